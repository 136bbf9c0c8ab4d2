"""``explain``: on both sides of each boundary the explanation names the act and the value
that decide the payment, and the payment is the legal research's arithmetic, exact to the tiyn.

Expected figures are typed from the acts of legislation_refs/: the operator's rates before
17.01.2020 (37 tenge/kg for tyres, evidence_operator_portal), then m × MRP × k (order_122_2019),
the MRP of each budget law, vehicles at 50 MRP × coefficient (order_762_2015, order_448_2021),
and the dates those acts give.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from openfisca_kz_epr.explain.explanation import ExplanationError, explain
from openfisca_kz_epr.reforms import apply_reform

REFORMS = Path(__file__).resolve().parent.parent / "openfisca_kz_epr" / "reforms"
M1_1600 = {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1600}


def tiyn(kzt) -> int:
    return int(Decimal(kzt) * 100)


def value_of(result, name):
    return next(value for value in result["values"] if value["name"] == name)


def test_tyres_the_day_before_order_122_pay_the_operators_rate(tax_benefit_system):
    result = explain(tax_benefit_system, "2020-01-16", {"product": "tyres", "mass_tonnes": 2})
    assert result["status"] == "owed"
    assert result["payment"] == {"tiyn": tiyn(2 * 37 * 1000), "kzt": "74000.00"}  # 2 t × 37 KZT/kg
    rate = value_of(result, "goods.operator_rates.tyres")
    assert (rate["value"], rate["act"]["id"], rate["confidence"]) == ("37000", "order_762_2015", "inferred")
    assert result["acts"] == ["order_762_2015"]


def test_tyres_from_order_122_pay_m_times_mrp_times_k(tax_benefit_system):
    result = explain(tax_benefit_system, "2020-01-17", {"product": "tyres", "mass_tonnes": 2})
    assert result["payment"]["kzt"] == "75023.30"  # 2 × 2651 × 14.15 = 75 023.30
    assert result["payment"]["tiyn"] == tiyn(2 * 2651 * Decimal("14.15"))
    assert result["formula"].startswith("S = m × MRP × k") and "item 5" in result["formula"]
    mrp, k = value_of(result, "general.mrp"), value_of(result, "goods.appendix_1.tyres")
    assert (mrp["value"], mrp["act"]["id"], mrp["act"]["number"]) == ("2651", "budget_law_276_vi", "276-VI")
    assert (k["value"], k["act"]["id"], k["item"]) == ("14.15", "order_122_2019", "Appendix 1, row 1")
    assert k["act"]["signed"] == "2019-12-26" and k["act"]["in_force"] == "2020-01-17"
    assert "https://recycle.kz/upakovka" in k["act"]["sources"]
    assert result["arithmetic"] == [
        "rate = 2651 × 14.15 = 37511.65 KZT per tonne",
        "S = 2 × 37511.65 = 75023.3 → 75023.30 KZT (rounded half up to the tiyn, once per line)",
    ]
    assert result["confidence"] == "confirmed"
    json.dumps(result)  # what the web API sends


def test_packaging_owed_nothing_before_order_122_and_pays_from_it(tax_benefit_system):
    before = explain(tax_benefit_system, "2020-01-16", {"product": "paper_packaging", "mass_tonnes": 3})
    assert before["status"] == "nothing_owed" and before["payment"]["tiyn"] == 0
    assert "Not charged" in before["reason"]  # §2: packaging in scope from 2017 with no payment
    after = explain(tax_benefit_system, "2020-01-17", {"product": "paper_packaging", "mass_tonnes": 3})
    assert after["payment"]["kzt"] == "13997.28"  # 3 × 2651 × 1.76 = 13 997.28
    assert value_of(after, "goods.appendix_1.paper_packaging")["item"] == "Appendix 1, row 5"


@pytest.mark.parametrize(("day", "mrp", "act", "tyres_kzt", "m1_kzt"), [
    ("2020-03-31", "2651", "budget_law_276_vi", "75023.30", "927850.00"),  # 2 × 2651 × 14.15; 50 × 2651 × 7
    ("2020-04-01", "2778", "decree_299_2020", "78617.40", "972300.00"),  # 2 × 2778 × 14.15; 50 × 2778 × 7
])
def test_the_2020_mrp_revision_on_both_sides(tax_benefit_system, day, mrp, act, tyres_kzt, m1_kzt):
    tyres = explain(tax_benefit_system, day, {"product": "tyres", "mass_tonnes": 2})
    car = explain(tax_benefit_system, day, M1_1600)
    assert tyres["payment"]["kzt"] == tyres_kzt and car["payment"]["kzt"] == m1_kzt
    for result in (tyres, car):
        assert (value_of(result, "general.mrp")["value"], value_of(result, "general.mrp")["act"]["id"]) == (mrp, act)


def test_cable_before_item_5_1_owes_nothing_and_says_why(tax_benefit_system):
    result = explain(tax_benefit_system, "2021-05-31", {"product": "cable_products", "invoice_value": 1000000})
    assert result["status"] == "nothing_owed" and result["payment"]["kzt"] == "0.00"
    assert "before item 5-1" in result["reason"]
    assert value_of(result, "cable.rate")["act"]["id"] == "order_762_2015"


def test_cable_from_item_5_1_pays_5_percent_of_the_invoice(tax_benefit_system):
    result = explain(tax_benefit_system, "2021-06-01", {"product": "cable_products", "invoice_value": "1234.57"})
    assert result["payment"]["kzt"] == "61.73"  # 1 234.57 × 0.05 = 61.7285, half up: 61.73
    rate = value_of(result, "cable.rate")
    assert (rate["value"], rate["act"]["id"], rate["item"]) == ("0.05", "order_110_2021", "item 5-1")
    assert rate["url"] == "https://recycle.kz/kabelno"
    assert rate["confidence"] == "inferred"  # §1 F: 01.06-11.06.2021 rests on one trade source
    assert "61.7285" in result["arithmetic"][-1]


@pytest.mark.parametrize(("day", "coefficient", "act", "kzt", "published"), [
    ("2022-05-13", "7", "order_448_2021", "1072050.00", None),  # 50 × 3063 × 7
    ("2022-05-14", "3.5", "order_448_amend_2022_04_29", "536025.00", "2022-05-03"),  # 50 × 3063 × 3.5; published 03.05.2022
])
def test_m1_car_on_both_sides_of_the_halving(tax_benefit_system, day, coefficient, act, kzt, published):
    result = explain(tax_benefit_system, day, M1_1600)
    assert result["payment"]["kzt"] == kzt
    band = value_of(result, "vehicles.coefficients.m1[1]")
    assert (band["value"], band["act"]["id"], band["official_journal_date"]) == (coefficient, act, published)
    assert result["band"] == {"by": "engine_displacement_cm3", "above": "1000", "up_to": "2000", "unit": "cm3"}
    assert value_of(result, "vehicles.base_rate")["value"] == "50"
    assert result["arithmetic"][0] == f"rate = 50 × 3063 × {coefficient} = {kzt[:-3]} KZT per vehicle"


@pytest.mark.parametrize(("day", "kzt"), [("2022-05-13", "2297250.00"), ("2022-05-14", "1148625.00")])
def test_goods_vehicle_of_3_2_t_on_both_sides_of_the_halving(tax_benefit_system, day, kzt):
    result = explain(tax_benefit_system, day, {"product": "vehicle", "vehicle_category": "n", "gross_vehicle_mass_tonnes": 3.2})
    assert result["payment"]["kzt"] == kzt  # 50 × 3063 × 15, then 50 × 3063 × 7.5
    assert result["band"]["above"] == "2.5" and result["band"]["up_to"] == "3.5"


def test_an_unknown_value_names_its_act_and_what_is_missing(tax_benefit_system):
    result = explain(tax_benefit_system, "2022-01-11", {"product": "combined_packaging", "mass_tonnes": 2})
    assert result["status"] == "unknown" and result["payment"] is None
    assert [(v["name"], v["act"]["id"]) for v in result["missing"]] == [
        ("goods.appendix_1.combined_packaging", "evidence_operator_ref_tn_code_2022")]
    assert "Order 448" in result["reason"] and "combined-material packaging" in result["reason"]


def test_a_goods_vehicle_above_50_t_owes_nothing_and_says_why(tax_benefit_system):
    line = {"product": "vehicle", "vehicle_category": "n", "gross_vehicle_mass_tonnes": 51}
    result = explain(tax_benefit_system, "2022-06-01", line)
    assert result["status"] == "nothing_owed" and result["payment"]["tiyn"] == 0
    assert "above 50 t owe nothing" in result["reason"] and result["confidence"] == "inferred"


def test_a_day_before_the_model_says_where_the_model_starts(tax_benefit_system):
    result = explain(tax_benefit_system, "2015-12-31", {"product": "tyres", "mass_tonnes": 2})
    assert result["status"] == "not_covered"
    assert "before the EPR payment as modelled" in result["reason"] and "starts on 2016-01-01" in result["reason"]
    assert "decree_28_2016" in result["reason"]


def test_a_coefficient_of_0_is_nothing_owed_with_its_reason(tax_benefit_system):
    result = explain(tax_benefit_system, "2021-03-01", {"product": "special_fluids", "mass_tonnes": 2})
    assert result["status"] == "nothing_owed" and "row 4" in result["reason"]
    car = explain(tax_benefit_system, "2021-06-04", {"product": "vehicle", "vehicle_category": "m1", "is_electric": True})
    assert car["status"] == "nothing_owed" and "Electric cars" in car["reason"]
    assert value_of(car, "vehicles.coefficients.m1_electric")["act"]["id"] == "order_136_2021"


def test_without_a_quantity_the_rate_is_explained(tax_benefit_system):
    result = explain(tax_benefit_system, "2021-03-01", {"product": "tyres"})
    assert result["status"] == "rate_only" and result["payment"] is None
    assert result["rate"] == str(2917 * Decimal("14.15"))  # 41275.55
    assert "mass_tonnes" in result["reason"]


def test_a_note_is_shown_only_for_the_value_it_documents(tax_benefit_system):
    revised = explain(tax_benefit_system, "2020-04-01", {"product": "tyres"})
    assert "Mid-year revision of the 2020 budget" in value_of(revised, "general.mrp")["note"]
    later = explain(tax_benefit_system, "2021-03-01", {"product": "tyres"})
    assert value_of(later, "general.mrp")["note"] is None  # 2 917 is not the 2020 revision


def test_a_reform_value_is_explained_as_a_reform(tax_benefit_system):
    reformed = apply_reform(tax_benefit_system, str(REFORMS / "eee_coefficient.yaml"))
    result = explain(reformed, "2021-07-01", {"product": "eee_small", "mass_tonnes": 2})
    assert result["payment"]["kzt"] == "58340.00"  # 2 × 2917 × 10
    k = value_of(result, "goods.appendix_1.eee_small")
    assert k["act"] == {"id": "reform:eee_coefficient", "kind": "reform",
                        "title_en": "reform eee_coefficient: a hypothetical change, not law"}
    assert result["confidence"] == "reform"


def test_a_formula_reform_is_explained_by_the_systems_own_payment(tax_benefit_system):
    reformed = apply_reform(tax_benefit_system, "openfisca_kz_epr.reforms.small_consignments.small_consignments")
    result = explain(reformed, "2021-07-01", {"product": "tyres", "mass_tonnes": "0.05"})
    assert result["status"] == "nothing_owed" and "reform:small_consignments" in result["reason"]
    assert "2063.78" in result["arithmetic"][-1]  # the Method alone: 0.05 × 2917 × 14.15 = 2063.7775


@pytest.mark.parametrize(("day", "line", "words"), [
    ("2021-13-01", {"product": "tyres"}, "date '2021-13-01' is not a day"),
    ("2021-03-01", {"mass_tonnes": 1}, "product is missing"),
    ("2021-03-01", {"product": "tyre"}, "product 'tyre' is not one of"),
    ("2021-03-01", {"product": "tyres", "mass": 1}, "'mass': not an input"),
    ("2021-03-01", {"product": "tyres", "mass_tonnes": "two"}, "mass_tonnes 'two' is not a number"),
    ("2021-03-01", {"product": "tyres", "mass_tonnes": -1}, "mass_tonnes = -1.0 is negative"),
    ("2021-03-01", {"product": "vehicle"}, "vehicle_category is not declared"),
    ("2021-03-01", {"product": "vehicle", "vehicle_category": "m1"}, "engine_displacement_cm3 is missing"),
    ("2026-05-07", M1_1600, "import_origin is not declared"),
])
def test_bad_input_is_an_error_naming_the_problem(tax_benefit_system, day, line, words):
    with pytest.raises(ExplanationError, match=words.replace("(", r"\(")):
        explain(tax_benefit_system, day, line)


def test_order_54_is_explained_once_the_origin_is_declared(tax_benefit_system):
    result = explain(tax_benefit_system, "2026-05-07", {**M1_1600, "import_origin": "russia_or_belarus"})
    assert result["payment"]["kzt"] == "29410000.00"  # 50 × 4325 × 136 (§1 O: coefficient 2 of the 1 001-2 000 cm³ band)
    assert value_of(result, "vehicles.coefficients.m1_russia_belarus[1]")["act"]["id"] == "order_54_2026"
