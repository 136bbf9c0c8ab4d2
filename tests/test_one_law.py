"""One implementation of the law: the Method's variables (``variables/``) compute every rate
and amount; an explanation and a timeline write the figures of the simulation that priced the
line, so a structural reform shows in their arithmetic, and no module outside ``variables/``
multiplies a rate."""

import ast
import re
from pathlib import Path

import numpy
import pytest
from openfisca_core.periods import DAY
from openfisca_core.reforms import Reform

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.explain.explanation import explain, timeline
from openfisca_kz_epr.variable_types import WideFloat

ROOT = Path(__file__).resolve().parent.parent
RATE_HELPERS = {"times_rate", "amount_tiyn", "exact_amounts"}  # money's products of a quantity and a rate
RATE_WORDS = re.compile(r"rate|coefficient|mrp|^k$|^value$")
EXEMPT = {  # (file, the product): why it is not a rate of a line
    ("openfisca_kz_epr/reforms/__init__.py", "decimal_of(value) * change.factor"):
        "a reform file's factor makes a new value of a parameter (the law as data), which the variables then read",
}


class goods_rate_per_tonne(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    label = "A flat 1000 KZT per tonne for every goods line (a test's reform)"

    def formula(product_line, period, parameters):
        return numpy.where(numpy.isnan(product_line("goods_coefficient", period)), numpy.nan, 1000.0)


class flat_goods_rate(Reform):
    name = "Every goods row at 1000 KZT per tonne"

    def apply(self):
        self.update_variable(goods_rate_per_tonne)


@pytest.fixture(scope="module")
def reformed(tax_benefit_system):
    return flat_goods_rate(tax_benefit_system)


def test_a_structural_reform_shows_its_figures_in_the_arithmetic(tax_benefit_system, reformed):
    law = explain(tax_benefit_system, "2021-03-01", {"product": "tyres", "mass_tonnes": 2})
    assert law["arithmetic"][0] == "rate = 2917 × 14.15 = 41275.55 KZT per tonne"  # MRP 2021 × k of tyres
    result = explain(reformed, "2021-03-01", {"product": "tyres", "mass_tonnes": 2})
    assert result["payment"] == {"tiyn": 2 * 1000 * 100, "kzt": "2000.00"}
    assert result["rate"] == "1000"
    assert result["arithmetic"] == [
        "rate = 1000 KZT per tonne",  # the reform's rate, not MRP × k
        "S = 2 × 1000 = 2000 → 2000.00 KZT (rounded half up to the tiyn, once per line)",
    ]
    assert result["confidence"] == "reform" and "reform:flat_goods_rate" in result["acts"]


def test_a_structural_reform_shows_in_each_part_s_arithmetic(reformed):
    result = explain(reformed, "2024-03-01", {"product": "tyres", "mass_tonnes": "0.025", "packaging_material": "polymer",
                                              "packaging_mass_tonnes": "0.00625"})
    assert result["arithmetic"] == [
        "rate = 1000 KZT per tonne",
        "S = 0.025 × 1000 = 25 → 25.00 KZT (rounded half up to the tiyn, each part)",
        "packaging rate = 5168.8 KZT per tonne",  # the reform leaves the packaging's rate: 3692 × 1.40
        "S packaging = 0.00625 × 5168.8 = 32.305 → 32.31 KZT (rounded half up to the tiyn, each part)",
        "S line = 25.00 + 32.31 = 57.31 KZT",
    ]
    assert result["payment"]["kzt"] == "57.31"


def test_a_timeline_gives_the_reform_s_rate(reformed):
    intervals = timeline(reformed, "tyres", "2021-03-01", "2021-03-01")["intervals"]
    assert [interval["rate"] for interval in intervals] == ["1000"]


def products_of_rates(source: str, name: str) -> list[str]:
    """The products in the module ``source`` (named ``name``, relative to the repository) that
    multiply a rate: a call of one of ``RATE_HELPERS``, or a ``*`` (binary or augmented) one of
    whose operands names a rate or a value of the law (an identifier matching ``RATE_WORDS``:
    rate, coefficient, MRP, k, a legal value's ``value``); ``EXEMPT`` ones left out."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called in RATE_HELPERS:
                found.append(ast.get_source_segment(source, node))
        elif isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.Mult):
            operands = (node.left, node.right) if isinstance(node, ast.BinOp) else (node.target, node.value)
            names = {getattr(sub, "id", None) or getattr(sub, "attr", None) for operand in operands for sub in ast.walk(operand)}
            if any(word and RATE_WORDS.search(word) for word in names):
                found.append(ast.get_source_segment(source, node))
    return [product for product in found if (name, product) not in EXEMPT]


def modules_outside_the_method() -> list[Path]:
    """Every module of the package but ``money.py``, which defines the rate helpers for the
    variables (``variables/`` is the Method; it is at the root of the repository)."""
    return [path for path in sorted((ROOT / "openfisca_kz_epr").rglob("*.py")) if path != ROOT / "openfisca_kz_epr" / "money.py"]


@pytest.mark.parametrize("path", modules_outside_the_method(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_module_outside_variables_multiplies_a_rate(path):
    name = path.relative_to(ROOT).as_posix()
    assert not products_of_rates(path.read_text(encoding="utf-8"), name), f"{name} multiplies a rate: the Method's variables do"


def test_the_check_finds_a_product_of_rates():
    source = "def rate(mrp, k):\n    return mrp.value * k.value\n\n\ndef paid(q, r):\n    return amount_tiyn(q, 6, r, 8, q > 0) * 2\n"
    assert products_of_rates(source, "m.py") == ["mrp.value * k.value", "amount_tiyn(q, 6, r, 8, q > 0)"]
