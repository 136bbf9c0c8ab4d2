"""Intervals of constant law: they cover a range with no gap and no overlap, and a line's
tariff on each names the act (or the reform) that set it."""

import datetime
import itertools
from decimal import Decimal
from pathlib import Path

from openfisca_kz_epr.explain.steps import tariff_steps
from openfisca_kz_epr.law.intervals import Interval, cut, legal_periods, one_line
from openfisca_kz_epr.reforms import apply_reform

D = datetime.date.fromisoformat
REFORMS = Path(__file__).resolve().parent.parent / "openfisca_kz_epr" / "reforms"


def test_cut_keeps_only_the_days_inside_the_range():
    periods = cut("2021-01-01", "2021-12-31", [D("2021-07-01"), D("2020-05-05"), D("2022-01-01"), D("2021-01-01")])
    assert periods == [Interval(D("2021-01-01"), D("2021-06-30")), Interval(D("2021-07-01"), D("2021-12-31"))]
    assert [p.days for p in periods] == [181, 184]


def test_legal_periods_cover_the_range_with_no_gap_and_no_overlap(tax_benefit_system):
    periods = legal_periods("2015-06-01", "2026-12-31", tax_benefit_system.parameters)
    assert periods[0].first == D("2015-06-01") and periods[-1].last == D("2026-12-31")
    for before, after in itertools.pairwise(periods):
        assert after.first == before.last + datetime.timedelta(days=1)
    assert sum(p.days for p in periods) == (D("2026-12-31") - D("2015-06-01")).days + 1
    assert {D("2020-01-17"), D("2020-04-01"), D("2021-06-01"), D("2022-05-14")} <= {p.first for p in periods}


def test_tyres_across_item_5_and_the_2020_mrp_change(tax_benefit_system):
    steps = tariff_steps(tax_benefit_system, one_line("tyres"), "2020-01-10", "2020-04-10")
    assert [(s.interval.first, s.interval.last, s.rate) for s in steps] == [
        (D("2020-01-10"), D("2020-01-16"), 37 * 1000),  # the operator's 37 tenge per kg
        (D("2020-01-17"), D("2020-03-31"), 2651 * Decimal("14.15")),  # item 5: MRP × k
        (D("2020-04-01"), D("2020-04-10"), 2778 * Decimal("14.15")),  # the revised 2020 MRP
    ]
    assert steps[1].causes == ("budget_law_276_vi", "order_122_2019")
    assert steps[2].causes == ("decree_299_2020",)


def test_a_vehicle_band_across_the_halving(tax_benefit_system):
    line = one_line("vehicle", vehicle_category="m1", engine_displacement_cm3=1600)
    steps = tariff_steps(tax_benefit_system, line, "2022-05-13", "2022-05-14")
    assert [(s.rate, s.causes) for s in steps] == [
        (50 * 3063 * 7, ("budget_law_77_vii", "order_448_2021")),
        (50 * 3063 * Decimal("3.5"), ("order_448_amend_2022_04_29",)),
    ]


def test_days_the_law_cannot_price_are_a_step_with_the_reason(tax_benefit_system):
    steps = tariff_steps(tax_benefit_system, one_line("combined_packaging"), "2022-01-10", "2022-01-11")
    assert steps[0].rate == 3063 * Decimal("0.91")
    assert steps[1].rate is None and "Order 448" in steps[1].problem
    assert steps[1].causes == ("evidence_operator_ref_tn_code_2022",)


def test_lamps_across_11_01_2022_take_the_operator_k(tax_benefit_system):
    steps = tariff_steps(tax_benefit_system, one_line("lamps"), "2022-01-10", "2022-01-11")
    assert [s.rate for s in steps] == [0, 3063 * Decimal("47.21")]
    assert steps[1].causes == ("evidence_operator_ref_tn_code_2022",)


def test_a_reform_step_is_caused_by_the_reform(tax_benefit_system):
    reform = apply_reform(tax_benefit_system, str(REFORMS / "eee_coefficient.yaml"))
    steps = tariff_steps(reform, one_line("eee_small"), "2021-06-30", "2022-01-11")
    assert [(s.interval.first, s.rate, s.causes) for s in steps] == [
        (D("2021-06-30"), 0, ("budget_law_2021", "order_122_2019")),
        (D("2021-07-01"), 2917 * 10, ("reform:eee_coefficient",)),
        (D("2022-01-01"), 3063 * 10, ("budget_law_77_vii",)),  # the reform's k has no stop: it outlives Order 448's gap
    ]
    assert steps[1].tariff.confidence == "reform"
