"""A reform against the law, line by line: the day before its start every line pays exactly
what the law says; from its start the products it names change by exactly the amount
worked out by hand from the legal research's figures, and no other product changes; every total is
the exact sum of its lines."""

import datetime
from decimal import Decimal
from pathlib import Path

import numpy
import pytest
from legal_figures import K, half_up, m1_payment, mrp

from openfisca_kz_epr.products import GOODS
from openfisca_kz_epr.reforms import apply_reform
from openfisca_kz_epr.reforms.revenue import compare, read_scenario

REFORMS = Path(__file__).resolve().parent.parent / "openfisca_kz_epr" / "reforms"
D = datetime.date.fromisoformat
ONE_DAY = datetime.timedelta(days=1)

# One line per goods row (row i: i + 1.125 t, every mass different), a cable invoice, an M1 car.
GOODS_MASS = {product.name: Decimal(index + 1) + Decimal("0.125") for index, product in enumerate(GOODS)
              if product.name != "packaged_goods"}  # priced on its packaging: a line of its own kind
INVOICE = Decimal("1000000.50")
PACKAGING = ["paper_packaging", "glass_packaging", "polymer_packaging", "metal_packaging", "combined_packaging",
             "packaged_goods_paper", "packaged_goods_glass", "packaged_goods_polymer", "packaged_goods_metal",
             "packaged_goods_combined"]


def _scenario(day, extra=()):
    rows = [{"product": name, "mass_tonnes": str(mass)} for name, mass in GOODS_MASS.items()]
    rows += [{"product": "cable_products", "invoice_value": str(INVOICE)},
             {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": "1600"}, *extra]
    names = {name for row in rows for name in row}
    return read_scenario({name: [row.get(name, "") for row in rows] for name in names}, len(rows), day=day), rows


def _law(day: datetime.date, row: dict) -> Decimal:
    """What the law makes a line pay in 2021 (item 5, item 5-1 at 5 %, chapter 2), by hand."""
    if row["product"] == "cable_products":
        return half_up(INVOICE * Decimal("0.05")) if day >= D("2021-06-01") else Decimal(0)
    if row["product"] == "vehicle":
        return m1_payment(day, 1600)
    return half_up(Decimal(row["mass_tonnes"]) * mrp(day) * Decimal(K[row["product"]]))


def _tiyn(amount: Decimal) -> int:
    return int(amount * 100)


# reform, its first day, and what each product it changes pays from that day (by hand)
CASES = [
    ("eee_coefficient.yaml", "2021-07-01",
     {name: (lambda row, day: half_up(Decimal(row["mass_tonnes"]) * 2917 * 10)) for name in ("eee_large", "eee_medium", "eee_small")}),
    ("packaging_raise.yaml", "2021-07-01",
     {name: (lambda row, day: half_up(Decimal(row["mass_tonnes"]) * 2917 * Decimal(K[row["product"]]) * Decimal("1.25"))) for name in PACKAGING}),
    ("cable_rate_10.yaml", "2021-06-01", {"cable_products": lambda row, day: half_up(INVOICE * Decimal("0.10"))}),
    ("printed_matter_out_of_scope.yaml", "2021-01-01", {"printed_matter": lambda row, day: Decimal(0)}),
    ("openfisca_kz_epr.reforms.small_consignments.small_consignments", "2021-07-01", {}),  # every line here is above 0.1 t
]


@pytest.mark.parametrize(("reform_name", "start", "changed"), CASES, ids=[case[0] for case in CASES])
def test_before_its_start_the_law_from_it_exactly_the_change(tax_benefit_system, reform_name, start, changed):
    reform = apply_reform(tax_benefit_system, str(REFORMS / reform_name) if reform_name.endswith(".yaml") else reform_name)
    start = D(start)

    scenario, rows = _scenario(start - ONE_DAY)
    before = compare(tax_benefit_system, reform, scenario)
    law = [_tiyn(_law(start - ONE_DAY, row)) for row in rows]
    assert before.baseline.tolist() == law
    assert before.reform.tolist() == law

    scenario, rows = _scenario(start)
    on = compare(tax_benefit_system, reform, scenario)
    law = [_tiyn(_law(start, row)) for row in rows]
    expected = [_tiyn(changed[row["product"]](row, start)) if row["product"] in changed else law[i] for i, row in enumerate(rows)]
    assert on.baseline.tolist() == law
    assert on.reform.tolist() == expected
    assert {row["product"] for i, row in enumerate(rows) if on.reform[i] != on.baseline[i]} == set(changed)

    by_product = {revenue.product: revenue for revenue in on.by_product()}
    assert by_product["total"].baseline == sum(law)
    assert by_product["total"].reform == sum(expected)
    assert by_product["total"].reform == sum(r.reform for name, r in by_product.items() if name != "total")


def test_the_e_waste_reform_by_hand(tax_benefit_system):
    """196 000 t of EEE (the ITU e-waste figure) on 01.07.2021: 196 000 × 2 917 × 10."""
    reform = apply_reform(tax_benefit_system, str(REFORMS / "eee_coefficient.yaml"))
    scenario = read_scenario({"product": ["eee_small"], "mass_tonnes": ["196000"]}, 1, day="2021-07-01")
    (eee, total) = compare(tax_benefit_system, reform, scenario).by_product()
    assert (eee.baseline, eee.reform) == (0, 196000 * 2917 * 10 * 100)
    assert eee.change_percent is None  # from nothing: no percentage
    assert total.difference == 5_717_320_000 * 100


def test_a_formula_reform_exempts_small_consignments_only(tax_benefit_system):
    reform = apply_reform(tax_benefit_system, "openfisca_kz_epr.reforms.small_consignments.small_consignments")
    small = [{"product": "tyres", "mass_tonnes": "0.05"}, {"product": "paper_packaging", "mass_tonnes": "0.099999"},
             {"product": "tyres", "mass_tonnes": "0.1"}]
    for day, exempt in (("2021-06-30", False), ("2021-07-01", True)):
        scenario, rows = _scenario(day, small)
        comparison = compare(tax_benefit_system, reform, scenario)
        law = [_tiyn(_law(D(day), row)) for row in rows]
        assert comparison.baseline.tolist() == law
        below = [i for i, row in enumerate(rows) if row.get("mass_tonnes") in ("0.05", "0.099999")]
        assert law[below[0]] == _tiyn(half_up(Decimal("0.05") * 2917 * Decimal("14.15")))  # 2 063.78
        expected = [0 if exempt and i in below else amount for i, amount in enumerate(law)]
        assert comparison.reform.tolist() == expected


def test_a_reform_with_a_stop_gives_the_law_back_the_day_after(tax_benefit_system, tmp_path):
    path = tmp_path / "tyres_march.yaml"
    path.write_text("name: tyres_march\ndescription: Tyres at k = 20 in March 2021.\n"
                    "changes:\n  goods.appendix_1.tyres: [{start: 2021-03-01, stop: 2021-03-31, value: 20}]\n")
    reform = apply_reform(tax_benefit_system, str(path))
    for day, k in (("2021-02-28", "14.15"), ("2021-03-01", "20"), ("2021-03-31", "20"), ("2021-04-01", "14.15")):
        scenario, rows = _scenario(day)
        comparison = compare(tax_benefit_system, reform, scenario)
        tyres = next(i for i, row in enumerate(rows) if row["product"] == "tyres")
        assert comparison.reform[tyres] == _tiyn(half_up(Decimal("1.125") * 2917 * Decimal(k)))
        others = numpy.arange(len(rows)) != tyres
        assert (comparison.reform[others] == comparison.baseline[others]).all()
