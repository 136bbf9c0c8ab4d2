"""The MkDocs hook of the documentation site (``mkdocs.yml``: ``hooks``): before the build,
refuse generated pages that are not current (``tools/docs_pages.py``), so a site built with
``mkdocs build --strict`` never shows a CLI reference or a coverage table that has drifted from
the parsers or the parameters."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from mkdocs.exceptions import PluginError


def on_pre_build(config) -> None:
    spec = importlib.util.spec_from_file_location("docs_pages", Path(__file__).with_name("docs_pages.py"))
    pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pages)
    stale = pages.stale()
    if stale:
        raise PluginError(f"not current: {', '.join(stale)}; run python tools/docs_pages.py")
