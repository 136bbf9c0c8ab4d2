"""The MkDocs hooks of the documentation site (``mkdocs.yml``: ``hooks``):

- before a build (not each rebuild of ``mkdocs serve``: the coverage takes seconds), refuse
  generated pages that are not current (``tools/docs_pages.py``), so a site built with
  ``mkdocs build --strict`` never shows a CLI reference or a coverage table that has drifted
  from the parsers or the parameters;
- add ``index.md``, the README with the site's links (``docs_pages.home_page``), and
  ``api.md``, the web API's reference rendered from the ``/spec`` that ``kz-epr serve`` answers
  (asked of the app in-process), so it describes the server being documented.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files


def _pages():
    spec = importlib.util.spec_from_file_location("docs_pages", Path(__file__).with_name("docs_pages.py"))
    pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pages)
    return pages


_COMMAND = {"name": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _COMMAND["name"] = command


def on_pre_build(config) -> None:
    if _COMMAND["name"] == "serve":
        return
    stale = _pages().stale()
    if stale:
        raise PluginError(f"not current: {', '.join(stale)}; run python tools/docs_pages.py")


def on_files(files: Files, config) -> Files:
    pages = _pages()
    readme = Path(config["config_file_path"]).with_name("README.md").read_text(encoding="utf-8")
    files.append(File.generated(config, "index.md", content=pages.home_page(readme)))
    files.append(File.generated(config, "api.md", content=pages.api_reference(pages.served_spec())))
    return files
