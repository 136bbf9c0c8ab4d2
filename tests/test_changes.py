"""``changes``: over each boundary, exactly the changes the law (as the legal research states it and
the parameters encode it) makes that day, grouped under the act that makes them.

Values are the legal research's (§3 Appendix 1, §2 operator rates, §4 MRP, §5 vehicles); the
metadata expected (which reference, confidence, note or publication date changes) is what
the parameter files say, written out here by hand.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from legal_figures import FLAT_PER_KG, K

from openfisca_kz_epr.explain.explanation import ExplanationError, changes
from openfisca_kz_epr.reforms import apply_reform

REFORMS = Path(__file__).resolve().parent.parent / "openfisca_kz_epr" / "reforms"
METADATA = ("reference", "confidence", "notes", "official_journal_date")


def entries(result):
    return [change for group in result["acts"] for change in group["changes"]]


def number(text):
    return None if text is None else Decimal(text)


def values(result) -> set:
    """(parameter, old, new) of every value change; a value that starts has old 'starts'."""
    return {(c["parameter"], "starts" if c.get("starts") else number(c["old"]), number(c["new"]))
            for c in entries(result) if c["field"] == "value"}


def metadata(result) -> set:
    return {(c["parameter"], c["field"]) for c in entries(result) if c["field"] != "value"}


def acts(result) -> list:
    return [group["act"]["id"] for group in result["acts"]]


def test_order_122_on_17_01_2020(tax_benefit_system):
    result = changes(tax_benefit_system, "2020-01-16", "2020-01-17")
    assert acts(result) == ["order_122_2019"]
    assert values(result) == (
        # Appendix 1 comes into force (§3) ...
        {(f"goods.appendix_1.{row}", "starts", Decimal(k)) for row, k in K.items()}
        # ... and the operator's flat rates per tonne (§2: 37, 147, 29, 10 tenge per kg; the others 0) end
        | {(f"goods.operator_rates.{row}", Decimal(FLAT_PER_KG.get(row, 0) * 1000), None) for row in K}
        # goods of section 16 themselves: k 0 (their packaging pays, rows 19-23), after no operator rate
        | {("goods.appendix_1.packaged_goods", "starts", Decimal(0)), ("goods.operator_rates.packaged_goods", Decimal(0), None)}
    )
    vehicle_scales = ("combine_harvester", "m1", "m2_m3", "n", "n_electric", "n_road_tractor")
    assert metadata(result) == (
        {(f"goods.operator_rates.{row}", field) for row in [*K, "packaged_goods"] for field in METADATA}  # items 3, 4, 6 deleted
        | {(f"vehicles.coefficients.{scale}", "reference") for scale in vehicle_scales}  # Appendix 4 now cited
    )
    assert result["count"] == 24 + 24 + 24 * 4 + 6
    tyres = next(c for c in entries(result) if c["parameter"] == "goods.operator_rates.tyres" and c["field"] == "reference")
    assert (tyres["old"]["act"], tyres["new"]["act"]) == ("order_762_2015", "order_122_2019")


def test_the_2020_mrp_revision_on_01_04_2020(tax_benefit_system):
    result = changes(tax_benefit_system, "2020-03-31", "2020-04-01")
    assert acts(result) == ["decree_299_2020"]
    assert [(c["parameter"], c["field"], c["old"], c["new"]) for c in entries(result)] == [
        ("general.mrp", "value", "2651", "2778"),
        ("general.mrp", "reference", {"act": "budget_law_276_vi", "item": "MRP"}, {"act": "decree_299_2020", "item": "MRP"}),
        ("general.mrp", "notes", None, entries(result)[2]["new"]),
    ]
    assert "Mid-year revision" in entries(result)[2]["new"]
    assert result["acts"][0]["act"]["signed"] == "2020-04-08"


def test_item_5_1_on_01_06_2021(tax_benefit_system):
    result = changes(tax_benefit_system, "2021-05-31", "2021-06-01")
    assert acts(result) == ["order_110_2021"]
    assert [(c["parameter"], c["field"]) for c in entries(result)] == [
        ("cable.rate", field) for field in ("value", "reference", "confidence", "notes")
    ]
    value, reference, confidence, _ = entries(result)
    assert (value["old"], value["new"]) == ("0", "0.05")  # §2: S_kpp = N × 0.05
    assert reference["new"] == {"act": "order_110_2021", "item": "item 5-1", "url": "https://recycle.kz/kabelno"}
    assert (confidence["old"], confidence["new"]) == ("confirmed", "inferred")  # §1 F: date from one trade source


def test_the_halving_on_14_05_2022(tax_benefit_system):
    result = changes(tax_benefit_system, "2022-05-13", "2022-05-14")
    assert acts(result) == ["order_448_amend_2022_04_29"]
    c = "vehicles.coefficients."
    halved = {  # §5: left column → right column
        "m1": [3, 7, 10, 23], "n": [7, 15, 15, 16, 19, 21, 41], "m2_m3": [8],
    }
    expected = {(f"{c}{scale}[{i}].amount", Decimal(old), Decimal(old) / 2)
                for scale, olds in halved.items() for i, old in enumerate(olds)}
    expected |= {
        (f"{c}combine_harvester[1].amount", Decimal(90), None),  # §5: over 400 hp, 90 → unknown
        # buses above 2 500 cm³ (issue 7: the 2026 text restated by a calculator, inferred)
        (f"{c}m2_m3[1].amount", None, Decimal(8)), (f"{c}m2_m3[2].amount", None, Decimal("10.5")),
        (f"{c}m2_m3[3].amount", None, Decimal("13.5")),
        # road tractors: a band from 12 t at 11, and the parallel scale for international transport at 0
        (f"{c}n_road_tractor[1].threshold", "starts", Decimal(12)), (f"{c}n_road_tractor[1].amount", "starts", Decimal(11)),
        (f"{c}n_road_tractor_international[0].threshold", "starts", Decimal(0)),
        (f"{c}n_road_tractor_international[0].amount", "starts", None),
        (f"{c}n_road_tractor_international[1].threshold", "starts", Decimal(12)),
        (f"{c}n_road_tractor_international[1].amount", "starts", Decimal(0)),
        (f"{c}n_road_tractor_international[2].threshold", "starts", Decimal(50)),
        (f"{c}n_road_tractor_international[2].amount", "starts", Decimal(0)),  # above 50 t: nothing owed
    }
    assert values(result) == expected
    assert metadata(result) == {
        # shared by every band of the scale: once, for the scale
        (f"{c}m1", "reference"), (f"{c}m1", "confidence"), (f"{c}m1", "official_journal_date"),
        (f"{c}n", "reference"), (f"{c}n", "official_journal_date"),
        (f"{c}m2_m3", "official_journal_date"),
        (f"{c}n_road_tractor", "reference"), (f"{c}n_road_tractor", "official_journal_date"),
        (f"{c}combine_harvester", "reference"), (f"{c}combine_harvester", "notes"),
        (f"{c}combine_harvester", "official_journal_date"),
        # band by band
        *[(f"{c}n[{i}].amount", "confidence") for i in range(7)],  # n[7] (above 50 t) owes nothing on every day
        (f"{c}m2_m3[0].amount", "reference"), (f"{c}m2_m3[0].amount", "confidence"),
        *[(f"{c}m2_m3[{i}].amount", field) for i in (1, 2, 3) for field in ("reference", "confidence", "notes")],
        (f"{c}combine_harvester[1].amount", "confidence"),
        (f"{c}n_road_tractor[0].amount", "notes"), (f"{c}n_road_tractor[2].amount", "notes"),
        # electric vehicles: the amendment's own rows
        *[(f"{c}{scale}", field) for scale in ("m1_electric", "m2_m3_electric", "n_electric")
          for field in ("reference", "notes", "official_journal_date")],
        (f"{c}m1_electric", "confidence"),
    }
    publication = next(e for e in entries(result) if e["parameter"] == f"{c}m1" and e["field"] == "official_journal_date")
    assert (publication["old"], publication["new"]) == (None, "2022-05-03")  # §1 J: published 03.05.2022
    band = next(e for e in entries(result) if e["parameter"] == f"{c}m1[1].amount")
    assert band["band"] == "above 1000 cm3"


def test_nothing_changes_within_a_legal_period(tax_benefit_system):
    assert changes(tax_benefit_system, "2020-04-01", "2020-12-31")["acts"] == []
    assert changes(tax_benefit_system, "2020-04-01", "2020-04-01")["count"] == 0


def test_a_range_lists_each_change_on_its_day(tax_benefit_system):
    result = changes(tax_benefit_system, "2020-03-31", "2021-01-01")
    mrp = [(c["day"], c["old"], c["new"]) for c in entries(result) if c["parameter"] == "general.mrp" and c["field"] == "value"]
    assert mrp == [("2020-04-01", "2651", "2778"), ("2021-01-01", "2778", "2917")]
    # 01.01.2021 also brings the electric coefficients of the 2021 press amounts (cited as
    # Order 122's Appendix 4) and the base rate's confirmation (stated for 2021)
    assert acts(result) == ["decree_299_2020", "budget_law_2021", "order_122_2019", "order_762_2015"]


def test_a_reforms_changes_are_grouped_under_the_reform(tax_benefit_system):
    reformed = apply_reform(tax_benefit_system, str(REFORMS / "eee_coefficient.yaml"))
    result = changes(reformed, "2021-06-30", "2021-07-01")
    # 01.07.2021 is also the day art. 386 of the Environmental Code applies (its exemptions, the own system)
    assert acts(result) == ["eco_code_2021", "reform:eee_coefficient"]
    reform = {**result, "acts": [group for group in result["acts"] if group["act"]["id"] == "reform:eee_coefficient"]}
    assert reform["acts"][0]["act"]["kind"] == "reform"
    assert values(reform) == {(f"goods.appendix_1.eee_{size}", Decimal(0), Decimal(10)) for size in ("large", "medium", "small")}


@pytest.mark.parametrize(("start", "end", "words"), [
    ("2021-01-02", "2021-01-01", "to 2021-01-01 is before from 2021-01-02"),
    ("2021-02-30", "2021-03-01", "from '2021-02-30' is not a day"),
    ("2021-01-01", "", "to '' is not a day"),
])
def test_a_bad_range_is_an_error(tax_benefit_system, start, end, words):
    with pytest.raises(ExplanationError, match=words):
        changes(tax_benefit_system, start, end)
