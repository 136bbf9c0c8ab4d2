"""Issue 7: the vehicle law found after the legal research (legislation_refs/OPEN_QUESTIONS.md).

Each new boundary is tested from both sides. Expected payments are the sources' arithmetic,
written out: base rate 50 MRP (the sources of order_762_2015) × the MRP of the day (the budget laws of legislation_refs/) × the coefficient
the source gives (the 2026 calculator text of Appendix 4; the May 2021 press figures for
electric vehicles; the operator's road-tractor rule). What stays unknown must stay an error.
"""

from decimal import Decimal

import numpy
import pytest
from openfisca_core.simulations import SimulationBuilder

from openfisca_kz_epr.engine.bulk import compute
from openfisca_kz_epr.engine.declarations import read_declarations

BASE = 50  # MRP per vehicle
MRP_2021, MRP_2022, MRP_2022_JUNE, MRP_2026 = 2917, 3063, 3180, 4325

VEHICLE = {"product": "vehicle"}
RU = {"import_origin": "russia_or_belarus"}
ELSEWHERE = {"import_origin": "other"}
TRACTOR_INT = {"road_tractor_use": "international_transport"}
TRACTOR_OTHER = {"road_tractor_use": "other"}


def bus(cm3, **more):
    return {**VEHICLE, "vehicle_category": "m2_m3", "engine_displacement_cm3": cm3, **more}


def car(cm3, **more):
    return {**VEHICLE, "vehicle_category": "m1", "engine_displacement_cm3": cm3, **more}


def truck(tonnes, **more):
    return {**VEHICLE, "vehicle_category": "n", "gross_vehicle_mass_tonnes": tonnes, **more}


def tractor(tonnes, **more):
    return {**VEHICLE, "vehicle_category": "n_road_tractor", "gross_vehicle_mass_tonnes": tonnes, **more}


def electric(category, **more):
    return {**VEHICLE, "vehicle_category": category, "is_electric": True, **more}


def combine(hp, **more):
    return {**VEHICLE, "vehicle_category": "combine_harvester", "engine_power_hp": hp, **more}


def evaluate(tax_benefit_system, day, line):
    """(problem, payment in tenge as Decimal, confidence, legal basis) of one line on ``day``."""
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"line": {name: {day: value} for name, value in line.items()}},
    })
    problem = simulation.calculate("epr_problem", day)[0]
    if problem:
        return problem, None, None, None
    tiyn = int(simulation.calculate("epr_payment_tiyn", day)[0])
    return "", Decimal(tiyn).scaleb(-2), simulation.calculate("epr_confidence", day)[0], simulation.calculate("epr_legal_basis", day)[0]


PRICED = [
    # buses (M2/M3), Appendix 4 item 3, from 14.05.2022 (2026 calculator text carried back; the first band was known)
    ("2022-05-14", bus(2500), BASE * MRP_2022 * Decimal("4"), "confirmed"),  # 612 600
    ("2022-05-14", bus(2501), BASE * MRP_2022 * Decimal("8"), "inferred"),  # 1 225 200
    ("2022-05-14", bus(5000), BASE * MRP_2022 * Decimal("8"), "inferred"),
    ("2022-05-14", bus(5001), BASE * MRP_2022 * Decimal("10.5"), "inferred"),  # 1 608 075
    ("2022-06-01", bus(10000), BASE * MRP_2022_JUNE * Decimal("10.5"), "inferred"),  # 1 669 500
    ("2022-06-01", bus(10001), BASE * MRP_2022_JUNE * Decimal("13.5"), "inferred"),  # 2 146 500
    ("2026-05-06", bus(12000), BASE * MRP_2026 * Decimal("13.5"), "inferred"),  # 2 919 375, no country needed yet
    ("2026-05-07", bus(12000, **ELSEWHERE), BASE * MRP_2026 * Decimal("13.5"), "inferred"),
    ("2026-05-07", bus(2500, **RU), BASE * MRP_2026 * 164, "inferred"),  # 35 465 000
    ("2026-05-07", bus(2501, **RU), BASE * MRP_2026 * 246, "inferred"),  # 53 197 500
    ("2026-05-07", bus(12000, **RU), BASE * MRP_2026 * 246, "inferred"),
    # electric vehicles before amendment No. 136: the press amounts of May 2021
    ("2021-01-01", electric("m1"), BASE * MRP_2021 * 3, "inferred"),  # 437 550, as published
    ("2021-06-03", electric("m1"), BASE * MRP_2021 * 3, "inferred"),
    ("2021-06-03", electric("m2_m3"), BASE * MRP_2021 * 8, "inferred"),  # 1 166 800, as published
    # ... and 0 from 04.06.2021, every category of items 1-3
    ("2021-06-04", electric("m1"), Decimal(0), "inferred"),
    ("2021-06-04", electric("m2_m3"), Decimal(0), "inferred"),
    ("2021-06-04", electric("n"), Decimal(0), "inferred"),
    ("2026-05-06", electric("n"), Decimal(0), "inferred"),
    ("2026-05-07", electric("n", **ELSEWHERE), Decimal(0), "inferred"),
    ("2026-05-07", electric("n", **RU), BASE * MRP_2026 * 60, "inferred"),  # 12 975 000
    ("2026-05-07", electric("m1", **RU), BASE * MRP_2026 * 60, "inferred"),
    ("2026-05-07", electric("m2_m3", **RU), BASE * MRP_2026 * 60, "inferred"),
    # road tractors: 11 for 20-50 t until 13.05.2022, whatever their use (the law did not distinguish it yet)
    ("2022-05-13", tractor(40), BASE * MRP_2022 * 11, "inferred"),  # 1 684 650, the press "before" figure
    ("2022-05-13", tractor(40, **TRACTOR_INT), BASE * MRP_2022 * 11, "inferred"),
    # from 14.05.2022: 11 over 12 up to 50 t, 0 with the international-transport statement
    ("2022-05-14", tractor(12.5, **TRACTOR_OTHER), BASE * MRP_2022 * 11, "inferred"),
    ("2022-05-14", tractor(40, **TRACTOR_OTHER), BASE * MRP_2022 * 11, "inferred"),
    ("2022-05-14", tractor(50, **TRACTOR_OTHER), BASE * MRP_2022 * 11, "inferred"),
    ("2022-05-14", tractor(40, **TRACTOR_INT), Decimal(0), "inferred"),
    ("2022-05-14", tractor(50, **TRACTOR_INT), Decimal(0), "inferred"),
    ("2026-05-07", tractor(40, **TRACTOR_OTHER, **ELSEWHERE), BASE * MRP_2026 * 11, "inferred"),  # 2 378 750
    ("2026-05-07", tractor(40, **TRACTOR_OTHER, **RU), BASE * MRP_2026 * 164, "inferred"),  # 35 465 000
    ("2026-05-07", tractor(40, **TRACTOR_INT, **ELSEWHERE), Decimal(0), "inferred"),
    # Order No. 54: the country of import matters from 07.05.2026 only
    ("2026-05-06", car(1500), BASE * MRP_2026 * Decimal("3.5"), "confirmed"),  # 756 875
    ("2026-05-06", car(1500, **RU), BASE * MRP_2026 * Decimal("3.5"), "confirmed"),
    ("2026-05-07", car(1500, **ELSEWHERE), BASE * MRP_2026 * Decimal("3.5"), "inferred"),
    ("2026-05-07", car(1000, **RU), BASE * MRP_2026 * 22, "inferred"),  # 4 757 500
    ("2026-05-07", car(1001, **RU), BASE * MRP_2026 * 136, "inferred"),  # 29 410 000
    ("2026-05-07", car(3000, **RU), BASE * MRP_2026 * 164, "inferred"),  # 35 465 000
    ("2026-05-07", car(3001, **RU), BASE * MRP_2026 * 246, "inferred"),  # 53 197 500
    ("2026-05-07", electric("m1", **ELSEWHERE), Decimal(0), "inferred"),
    ("2026-05-07", truck(3, **ELSEWHERE), BASE * MRP_2026 * Decimal("7.5"), "inferred"),  # 2.5-3.5 t: 1 621 875
    ("2026-05-07", truck(2.5, **RU), BASE * MRP_2026 * 164, "inferred"),
    ("2026-05-07", truck(50, **RU), BASE * MRP_2026 * 164, "inferred"),
]


@pytest.mark.parametrize(("day", "line", "expected", "confidence"), PRICED)
def test_priced_from_the_sources(tax_benefit_system, day, line, expected, confidence):
    problem, payment, got_confidence, _ = evaluate(tax_benefit_system, day, line)
    assert problem == ""
    assert payment == expected
    assert got_confidence == confidence


STILL_UNKNOWN = [
    ("2022-05-13", bus(2501), ["2 501-5 000", "before 14.05.2022"]),
    ("2022-05-13", bus(5001), ["5 001-10 000", "before 14.05.2022"]),
    ("2022-05-13", bus(10001), ["over 10 000", "before 14.05.2022"]),
    ("2020-12-31", electric("m1"), ["before 01.01.2021", "437 550"]),
    ("2020-12-31", electric("m2_m3"), ["before 01.01.2021", "1 166 800"]),
    ("2021-06-03", electric("n", gross_vehicle_mass_tonnes=3), ["started from", "1 020 950"]),
    ("2022-05-13", tractor(15), ["20-50 t"]),
    ("2022-05-14", tractor(40), ["road_tractor_use is not declared", "international transport"]),
    ("2022-05-14", tractor(12, **TRACTOR_OTHER), ["up to 12 t", "declare them as vehicle_category n"]),
    ("2022-05-14", tractor(12, **TRACTOR_INT), ["up to 12 t", "declare them as vehicle_category n"]),
    ("2026-05-07", tractor(40, **TRACTOR_INT, **RU), ["international transport", "Russia or Belarus", "no coefficient"]),
    ("2026-05-07", combine(500, **RU), ["Combine harvesters", "not found"]),
    ("2026-05-07", combine(500, **ELSEWHERE), ["Combine harvesters", "not found"]),
    ("2026-05-07", car(1500, import_origin="unspecified"), ["import_origin is not declared", "order_54_2026"]),
    ("2026-05-07", electric("m1"), ["import_origin is not declared", "order_54_2026"]),
]


@pytest.mark.parametrize(("day", "line", "words"), STILL_UNKNOWN)
def test_what_is_still_unknown_is_an_error_naming_it(tax_benefit_system, day, line, words):
    problem, *_ = evaluate(tax_benefit_system, day, line)
    for word in words:
        assert word in problem, problem


@pytest.mark.parametrize("line", [
    car(1500), truck(3), bus(2000), electric("n"), combine(500),
    tractor(40, **TRACTOR_OTHER), tractor(40, **TRACTOR_INT),
], ids=["m1", "n", "m2_m3", "n_electric", "combine", "tractor", "tractor_international"])
def test_from_order_54_every_vehicle_needs_its_country_of_import(tax_benefit_system, line):
    """A missing parallel scale would silently price a Russian vehicle at coefficient 1."""
    assert evaluate(tax_benefit_system, "2026-05-06", line)[0] != "import_origin is not declared"
    assert evaluate(tax_benefit_system, "2026-05-07", line)[0].startswith("import_origin is not declared")


def test_order_54_lines_cite_order_54(tax_benefit_system):
    *_, basis = evaluate(tax_benefit_system, "2026-05-07", car(1500, **RU))
    assert basis.split(";") == ["budget_law_2026", "order_448_2021", "order_54_2026"]


def test_a_zero_for_international_road_tractors_says_why(tax_benefit_system):
    from openfisca_core import periods

    from openfisca_kz_epr.engine.bulk import assessed

    day = "2022-05-14"
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"line": {name: {day: value} for name, value in tractor(40, **TRACTOR_INT).items()}},
    })
    result = assessed(simulation, periods.period(day))
    assert "international transport" in result.tariffs[result.tariff_index[0]].reason


def test_declarations_carry_the_country_and_the_use_through_bulk(tax_benefit_system):
    columns = {
        "date": ["2026-05-06", "2026-05-07", "2026-05-07", "2026-05-07", "2022-05-14", "2026-05-07"],
        "product": ["vehicle"] * 6,
        "vehicle_category": ["m1", "m1", "m1", "m1", "n_road_tractor", "m1"],
        "engine_displacement_cm3": ["1500", "1500", "1500", "1500", "", "1500"],
        "gross_vehicle_mass_tonnes": ["", "", "", "", "40", ""],
        "import_origin": ["", "other", "russia_or_belarus", "", "", "RU"],
        "road_tractor_use": ["", "", "", "", "international_transport", ""],
    }
    days, lines, problem = read_declarations(columns, 6)
    assert problem[5] == "import_origin 'RU' is not one of: other, russia_or_belarus"
    result = compute(tax_benefit_system, days, lines, problem)
    assert list(result.tiyn[:3]) == [
        BASE * MRP_2026 * Decimal("3.5") * 100,  # 75 687 500 tiyn, before Order 54
        BASE * MRP_2026 * Decimal("3.5") * 100,  # coefficient 1
        BASE * MRP_2026 * 136 * 100,  # 2 941 000 000 tiyn, coefficient 2
    ]
    assert result.problem[3].startswith("import_origin is not declared")
    assert result.tiyn[4] == 0 and result.problem[4] == ""
    assert numpy.count_nonzero(result.ok) == 4
