"""Where the law lives on disk.

The design card keeps ``parameters/``, ``variables/`` and ``legislation_refs/`` at the
repository root; the built wheel carries them inside the package. Both layouts resolve here.
"""

import functools
import importlib.machinery
import importlib.util
import sys
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


def read_yaml(file):
    """The YAML document of ``file`` (an open text file or a string), read as ``yaml.safe_load``
    reads it, by libyaml (PyYAML's C parser, a tenth of the time) when PyYAML was built with it."""
    return yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.cache
def acts() -> dict[str, dict]:
    """Every file of ``legislation_refs/`` (an act, a budget law or a source of evidence) by its id."""
    found = {}
    for path in sorted(LEGISLATION_REFS_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as file:
            found[path.stem] = read_yaml(file)
    return found
VARIABLES_PACKAGE = "openfisca_kz_epr.variables"


def variables_package() -> None:
    """Make ``variables/`` the package ``openfisca_kz_epr.variables`` (in either layout), so its
    files import as ``openfisca_kz_epr.variables.<file>`` under stable names: the classes of the
    Method then pickle by reference. Idempotent; run when ``openfisca_kz_epr`` is imported."""
    if VARIABLES_PACKAGE in sys.modules:
        return
    spec = importlib.machinery.ModuleSpec(VARIABLES_PACKAGE, None, is_package=True)
    spec.submodule_search_locations = [str(VARIABLES_DIR)]
    module = importlib.util.module_from_spec(spec)
    module.__doc__ = "The Method: the OpenFisca variables of ``variables/``."
    sys.modules[VARIABLES_PACKAGE] = module
