"""Where the law lives on disk.

The design card keeps ``parameters/``, ``variables/`` and ``legislation_refs/`` at the
repository root; the built wheel carries them inside the package. Both layouts resolve here.
"""

import functools
from pathlib import Path

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder ``name`` (``parameters``, ``variables``, ``legislation_refs``)."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"openfisca_kz_epr: the folder {name!r} is missing from the installation")


PARAMETERS_DIR = resource_dir("parameters")
VARIABLES_DIR = resource_dir("variables")
LEGISLATION_REFS_DIR = resource_dir("legislation_refs")


@functools.cache
def acts() -> dict[str, dict]:
    """Every file of ``legislation_refs/`` (an act, a budget law or a source of evidence) by its id."""
    found = {}
    for path in sorted(LEGISLATION_REFS_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as file:
            found[path.stem] = yaml.safe_load(file)
    return found
