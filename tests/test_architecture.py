"""The rule of imports of ARCHITECTURE.md, checked on every module: a layer imports only the
layers below it and the ground floor; ``variables/`` (the Method, ``openfisca_kz_epr.variables``) imports only ``law``,
the ground floor and itself; nothing imports the faces (``cli``, ``web``) but the faces themselves."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "openfisca_kz_epr"
LAYERS = ["ground", "law", "variables", "engine", "audit", "explain", "reforms", "cli", "web"]
ALLOWED = {
    "ground": {"ground"},
    "law": {"ground", "law"},
    "variables": {"ground", "law", "variables"},
    "engine": {"ground", "law", "engine"},
    "audit": {"ground", "law", "engine", "audit"},
    "explain": {"ground", "law", "engine", "explain"},
    "reforms": {"ground", "law", "engine", "explain", "reforms"},
    "cli": {"ground", "law", "engine", "audit", "explain", "reforms", "cli", "web"},
    "web": {"ground", "law", "engine", "audit", "explain", "reforms", "web"},
}


def layer_of_module(name: str) -> str:
    """The layer of ``openfisca_kz_epr[.sub...]``: its first sub-package, or the ground floor."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "ground"


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        name = ".".join(part for part in relative.parts if part != "__init__")
        yield path, layer_of_module(name)
    for path in sorted((ROOT / "variables").rglob("*.py")):
        yield path, "variables"


def imported(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "openfisca_kz_epr":
                names += [f"openfisca_kz_epr.{alias.name}" for alias in node.names]
            else:
                names.append(node.module)
    return [name for name in names if name.split(".")[0] == "openfisca_kz_epr"]


@pytest.mark.parametrize(("path", "layer"), list(modules()), ids=lambda value: str(value).rsplit("/", 2)[-1])
def test_a_module_imports_only_the_layers_below_it(path, layer):
    wrong = [name for name in imported(path)
             if name != "openfisca_kz_epr.CountryTaxBenefitSystem" and layer_of_module(name) not in ALLOWED[layer]]
    assert not wrong, f"{path.relative_to(ROOT)} ({layer}) imports {wrong}"


def test_the_rule_can_fail(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from openfisca_kz_epr.engine.bulk import compute\n")
    assert [layer_of_module(name) for name in imported(module)] == ["engine"]
    assert "engine" not in ALLOWED["variables"]
