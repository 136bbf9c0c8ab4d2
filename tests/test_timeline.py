"""``timeline``: a rate's history covers the range with no gap and no overlap, each interval
with the rate the legal research gives and the act that set it."""

import datetime
import itertools
from decimal import Decimal

import pytest

from openfisca_kz_epr.explain.explanation import ExplanationError, timeline
from openfisca_kz_epr.products import Product

D = datetime.date.fromisoformat
SPECS = [p.name for p in Product if p not in (Product.vehicle, Product.unspecified)] + [
    "vehicle:m1:1600", "vehicle:m1:electric", "vehicle:n:3.2", "vehicle:n_road_tractor:30", "vehicle:m2_m3:2000",
    "vehicle:combine_harvester:500",
]


def rows(result):
    return [(s["first"], s["last"], None if s["rate"] is None else Decimal(s["rate"]), s["causes"]) for s in result["intervals"]]


@pytest.mark.parametrize("spec", SPECS)
def test_intervals_cover_the_range_with_no_gap_and_no_overlap(tax_benefit_system, spec):
    result = timeline(tax_benefit_system, spec, "2015-06-01", "2027-06-30")
    intervals = result["intervals"]
    assert intervals[0]["first"] == "2015-06-01" and intervals[-1]["last"] == "2027-06-30"
    for before, after in itertools.pairwise(intervals):
        assert D(after["first"]) == D(before["last"]) + datetime.timedelta(days=1)
    assert sum(i["days"] for i in intervals) == (D("2027-06-30") - D("2015-06-01")).days + 1
    for interval in intervals:
        assert (interval["rate"] is None) == (interval["status"] != "priced")
        assert interval["reason"] or interval["status"] == "priced"


def test_tyres_across_order_122_and_the_mrp_revision(tax_benefit_system):
    result = timeline(tax_benefit_system, "tyres", "2020-01-10", "2020-04-10")
    assert result["unit"] == "KZT per tonne"
    assert rows(result) == [
        ("2020-01-10", "2020-01-16", 37 * 1000, ["order_762_2015"]),  # 37 tenge per kg
        ("2020-01-17", "2020-03-31", 2651 * Decimal("14.15"), ["budget_law_276_vi", "order_122_2019"]),
        ("2020-04-01", "2020-04-10", 2778 * Decimal("14.15"), ["decree_299_2020"]),
    ]


def test_cable_across_item_5_1(tax_benefit_system):
    result = timeline(tax_benefit_system, "cable_products", "2021-05-01", "2021-06-30")
    assert [(s["first"], s["rate"], s["confidence"]) for s in result["intervals"]] == [
        ("2021-05-01", "0", "confirmed"),
        ("2021-06-01", "0.05", "inferred"),  # §1 F: 01.06-11.06.2021 from one trade source
        ("2021-06-12", "0.05", "confirmed"),  # the operator accepts cable from 12.06.2021
    ]
    assert "before item 5-1" in result["intervals"][0]["reason"]
    assert result["intervals"][1]["acts"] == ["order_110_2021"]


def test_a_vehicle_band_across_the_halving_and_the_2022_mrp_revision(tax_benefit_system):
    result = timeline(tax_benefit_system, "vehicle:m1:1600", "2022-05-01", "2022-06-30")
    assert rows(result) == [
        ("2022-05-01", "2022-05-13", 50 * 3063 * 7, ["budget_law_77_vii", "order_448_2021"]),
        ("2022-05-14", "2022-05-31", 50 * 3063 * Decimal("3.5"), ["order_448_amend_2022_04_29"]),
        ("2022-06-01", "2022-06-30", 50 * 3180 * Decimal("3.5"), ["budget_law_121_vii"]),
    ]
    assert {s["band"]["above"] for s in result["intervals"]} == {"1000"}


def test_a_vehicle_line_with_its_declared_origin_after_order_54(tax_benefit_system):
    line = {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1600, "import_origin": "russia_or_belarus"}
    result = timeline(tax_benefit_system, line, "2026-05-06", "2026-05-07")
    assert rows(result) == [
        ("2026-05-06", "2026-05-06", 50 * 4325 * Decimal("3.5"), ["budget_law_2026", "order_448_2021", "order_448_amend_2022_04_29"]),
        ("2026-05-07", "2026-05-07", 50 * 4325 * 136, ["order_54_2026"]),  # §1 O: coefficient 2 = 136
    ]


def test_without_the_origin_days_of_order_54_are_not_priced_and_say_why(tax_benefit_system):
    result = timeline(tax_benefit_system, "vehicle:m1:1600", "2026-05-06", "2026-05-07")
    last = result["intervals"][-1]
    assert last["status"] == "not_priced" and "import_origin is not declared" in last["reason"]


def test_unknown_and_uncovered_days_are_intervals_with_their_reason(tax_benefit_system):
    result = timeline(tax_benefit_system, "tyres", "2015-12-31", "2016-01-01")
    assert [s["status"] for s in result["intervals"]] == ["not_covered", "priced"]
    assert result["intervals"][1]["rate"] == "0"  # goods owe nothing until 27.01.2016 (§0.2)
    after = timeline(tax_benefit_system, "combined_packaging", "2022-01-10", "2022-01-11")["intervals"][1]
    assert after["status"] == "unknown" and "Order 448" in after["reason"]


@pytest.mark.parametrize(("product", "start", "end", "words"), [
    ("tyre", "2021-01-01", "2021-12-31", "product 'tyre': 'tyre' is not one of"),
    ("vehicle:m1", "2021-01-01", "2021-12-31", "a vehicle is vehicle:CATEGORY:VALUE"),
    ("vehicle:m1:big", "2021-01-01", "2021-12-31", "'big' is not a number of engine_displacement_cm3"),
    ("tyres", "2021-12-31", "2021-01-01", "to 2021-01-01 is before from 2021-12-31"),
    ({"product": "tyres", "mass_tonnes": 2}, "2021-01-01", "2021-12-31", "mass_tonnes: a timeline gives rates"),
    ({"product": "vehicle", "vehicle_category": "m3"}, "2021-01-01", "2021-12-31", "vehicle_category 'm3' is not one of"),
    (["tyres"], "2021-01-01", "2021-12-31", "or a line of inputs; not list"),
])
def test_bad_input_is_an_error_naming_the_problem(tax_benefit_system, product, start, end, words):
    with pytest.raises(ExplanationError, match=words):
        timeline(tax_benefit_system, product, start, end)
