"""No silent zeros: every line the law cannot price raises an EprError naming the line, the
value and the reason; a product the law did not charge is a legitimate 0."""

import pytest
from openfisca_core import periods
from openfisca_core.errors import SituationParsingError
from openfisca_core.simulations import SimulationBuilder

from openfisca_kz_epr.errors import EprError, PeriodError


def payment(tax_benefit_system, day, **line):
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"line_1": {name: {day: value} for name, value in line.items()}},
    })
    return simulation.calculate("epr_payment", day)[0]


def problem(tax_benefit_system, day, **line) -> str:
    """The reason the line is refused: when its inputs are read (a value no input takes, in the
    words of the web API) or when it is priced (EprError)."""
    with pytest.raises(SituationParsingError) as raised:
        payment(tax_benefit_system, day, **line)
    error = raised.value
    if not isinstance(error, EprError):  # refused as an input, at its path
        (_name, by_day), = error.error["product_lines"]["line_1"].items()
        return by_day[day]
    assert list(error.problems) == ["line_1"]
    assert error.error["product_lines"]["line_1"]["epr_payment"][day] == error.problems["line_1"]
    return error.problems["line_1"]


@pytest.mark.parametrize(("day", "line", "words"), [
    ("2015-12-31", {"product": "tyres", "mass_tonnes": 1}, ["before the EPR payment", "2016-01-01"]),
    ("2015-12-31", {"product": "cable_products", "invoice_value": 1}, ["before the EPR payment"]),
    ("2015-12-31", {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1500}, ["before the EPR payment"]),
    ("2022-01-11", {"product": "combined_packaging", "mass_tonnes": 1}, ["combined-material packaging", "Order 448"]),
    ("2023-05-01", {"product": "packaged_goods_combined", "mass_tonnes": 1}, ["row 23", "Order 448"]),
    ("2022-05-24", {"product": "cable_products", "invoice_value": 100}, ["Order No. 183", "suspended"]),
    ("2023-10-29", {"product": "cable_products", "invoice_value": 100}, ["29.10.2023"]),
    ("2019-05-23", {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1500}, ["before 24.05.2019"]),
    ("2020-12-31", {"product": "vehicle", "vehicle_category": "m1", "is_electric": True}, ["electric car before 01.01.2021"]),
    ("2022-05-14", {"product": "vehicle", "vehicle_category": "n_road_tractor", "gross_vehicle_mass_tonnes": 40}, ["road_tractor_use is not declared", "international transport"]),
    ("2021-01-05", {"product": "vehicle", "vehicle_category": "n_road_tractor", "gross_vehicle_mass_tonnes": 15}, ["20-50 t"]),
    ("2021-01-05", {"product": "vehicle", "vehicle_category": "m2_m3", "engine_displacement_cm3": 2501}, ["2 501-5 000", "before 14.05.2022"]),
    ("2021-01-05", {"product": "vehicle", "vehicle_category": "combine_harvester", "engine_power_hp": 400}, ["400 hp"]),
    ("2022-05-14", {"product": "vehicle", "vehicle_category": "combine_harvester", "engine_power_hp": 500}, ["14.05.2022"]),
    ("2026-05-07", {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1500}, ["import_origin is not declared", "order_54_2026", "Russia or Belarus"]),
    ("2026-05-06", {"product": "vehicle", "vehicle_category": "m1", "is_electric": True, "engine_displacement_cm3": 0}, None),
    ("2021-01-05", {"product": "tyres", "mass_tonnes": -2.5}, ["-2.5 is negative: mass_tonnes is a quantity"]),
    ("2021-01-05", {"product": "tyres", "mass_tonnes": True}, ["expected a number, got true"]),
    ("2021-01-05", {"product": "tyres", "mass_tonnes": "1+1"}, ['expected a number, got "1+1"']),
    ("2021-01-05", {"product": "tyres", "is_electric": 1}, ["expected true or false, got 1"]),
    ("2021-01-05", {"product": 3, "mass_tonnes": 1}, ["expected one of the names of product, got 3"]),
    ("2021-01-05", {"product": "tyres"}, ["mass_tonnes is missing"]),
    ("2021-01-05", {"product": "tyres", "mass_tonnes": 0.0000004}, ["mass_tonnes = 4e-07", "finer"]),
    ("2021-07-05", {"product": "cable_products", "invoice_value": -10}, ["-10 is negative: invoice_value is a quantity"]),
    ("2021-07-05", {"product": "cable_products"}, ["invoice_value is missing"]),
    ("2021-07-05", {"product": "cable_products", "invoice_value": 10.005}, ["invoice_value = 10.005", "finer"]),
    ("2021-01-05", {"mass_tonnes": 1}, ["neither product nor customs_code is declared"]),
    ("2021-01-05", {"product": "vehicle"}, ["vehicle_category is not declared"]),
    ("2021-01-05", {"product": "vehicle", "vehicle_category": "m1"}, ["engine_displacement_cm3 is missing"]),
    ("2021-01-05", {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": -1500}, ["-1500 is negative: engine_displacement_cm3 is a quantity"]),
    ("2021-01-05", {"product": "vehicle", "vehicle_category": "n", "gross_vehicle_mass_tonnes": 0}, ["gross_vehicle_mass_tonnes = 0.0", "positive"]),
    ("2021-07-05", {"product": "vehicle", "vehicle_category": "n_road_tractor", "is_electric": True, "gross_vehicle_mass_tonnes": 30}, ["electric", "category n_road_tractor"]),
])
def test_problem_names_the_value_and_the_reason(tax_benefit_system, day, line, words):
    if words is None:  # control: an electric car on the last day before Order 54 owes 0
        assert payment(tax_benefit_system, day, **line) == 0
        return
    reason = problem(tax_benefit_system, day, **line)
    for word in words:
        assert word in reason, reason


def test_infinite_and_nan_inputs_are_refused(tax_benefit_system):
    assert problem(tax_benefit_system, "2021-01-05", product="tyres", mass_tonnes=float("inf")) == "Infinity is not a finite number"
    assert problem(tax_benefit_system, "2021-01-05", product="tyres", mass_tonnes=float("nan")) == "NaN is not a finite number"


@pytest.mark.parametrize(("period", "reason"), [
    ("2021-03", "the period '2021-03' is not one day: every variable of this model is defined for a day, written YYYY-MM-DD"),
    ("1899-12-31", "'1899-12-31' is out of range: a day from 1900-01-01 to 2100-12-31"),
])
def test_a_period_that_is_not_a_day_gets_the_web_api_s_words(tax_benefit_system, period, reason):
    """Asked for a month, epr_payment used to say "product is not declared"."""
    day = "2021-03-01"
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"l": {"product": {day: "tyres"}, "mass_tonnes": {day: 1}}}})
    with pytest.raises(PeriodError) as raised:
        simulation.calculate("epr_payment", period)
    assert raised.value.error == {"period": {period: reason}, "variable": "epr_payment"}
    with pytest.raises(SituationParsingError) as raised:  # an input for a month
        SimulationBuilder().build_from_entities(tax_benefit_system, {"product_lines": {"l": {"product": {"2021-03": "tyres"}}}})
    assert raised.value.error == {"product_lines": {"l": {"product": {"2021-03": ("the period '2021-03' is not one day: every "
                                  "variable of this model is defined for a day, written YYYY-MM-DD")}}}}


def test_only_the_bad_lines_are_named(tax_benefit_system):
    day = "2021-01-05"
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {
            "good": {"product": {day: "tyres"}, "mass_tonnes": {day: 1}},
            "bad": {"product": {day: "oils"}},
        },
    })
    with pytest.raises(EprError) as raised:
        simulation.calculate("epr_payment", day)
    assert list(raised.value.problems) == ["bad"]
    assert list(simulation.calculate("epr_problem", day)) == ["", "mass_tonnes is missing"]


@pytest.mark.parametrize(("day", "line", "why"), [
    ("2016-01-27", {"product": "tyres", "mass_tonnes": 3}, "27.01.2016"),
    ("2018-06-01", {"product": "glass_packaging", "mass_tonnes": 3}, "Not charged"),
    ("2021-01-05", {"product": "lamps", "mass_tonnes": 3}, "k = 0"),
    ("2021-05-31", {"product": "cable_products", "invoice_value": 1000}, "before item 5-1"),
    ("2023-10-30", {"product": "cable_products", "invoice_value": 1000}, "no longer pay"),
    ("2019-12-22", {"product": "vehicle", "vehicle_category": "combine_harvester", "engine_power_hp": 500}, "23.12.2019"),
    ("2021-06-04", {"product": "vehicle", "vehicle_category": "m1", "is_electric": True}, "Electric cars"),
])
def test_a_product_not_charged_is_a_legitimate_zero_with_its_reason(tax_benefit_system, day, line, why):
    from openfisca_kz_epr.engine.bulk import assessed

    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"line_1": {name: {day: value} for name, value in line.items()}},
    })
    assert simulation.calculate("epr_payment", day)[0] == 0
    result = assessed(simulation, periods.period(day))
    assert why in result.tariffs[result.tariff_index[0]].reason


def test_a_producer_total_is_right_or_refused(tax_benefit_system):
    """Python API (and openfisca serve, which builds the same way): a producer id shared with a
    line left out of every producer, and a sum beyond int64, are errors naming the producer."""
    day = "2021-03-01"
    colliding = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"a": {"product": {day: "tyres"}, "mass_tonnes": {day: 1}},
                          "p": {"product": {day: "tyres"}, "mass_tonnes": {day: 2}}},
        "producers": {"p": {"lines": ["a"]}},
    })
    with pytest.raises(EprError) as raised:
        colliding.calculate("producer_epr_payment", day)  # it was 123 826.65, the right one 41 275.55
    assert "two producers have the id 'p'" in raised.value.problems["p"]
    assert raised.value.error["producers"]["p"]["producer_epr_payment_tiyn"][day] == raised.value.problems["p"]
    huge = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {f"l{i}": {"product": {day: "electric_accumulators"}, "mass_tonnes": {day: 9e9}} for i in range(63)},
        "producers": {"p": {"lines": [f"l{i}" for i in range(63)]}},
    })
    # 63 × 9e9 × 2917 × 56.25 = 9 303 406 875 000 000 000 tiyn: more than int64 holds (it wrapped negative)
    assert 63 * 9 * 10**9 * 2917 * 5625 > 2**63 - 1
    with pytest.raises(EprError, match="exceeds 9 223 372 036 854 775 807 tiyn"):
        huge.calculate("producer_epr_payment_tiyn", day)
    assert list(huge.calculate("epr_payment_tiyn", day))[:1] == [9 * 10**9 * 2917 * 5625]  # each line exact


def test_a_payment_beyond_exact_tenge_is_refused_in_tenge_only(tax_benefit_system):
    day = "2021-03-01"
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"a": {"product": {day: "electric_accumulators"}, "mass_tonnes": {day: 1000000000.001}}}})
    # 1 000 000 000.001 × 2917 × 56.25 = 164 081 250 000 164.0812… → 16 408 125 000 016 408 tiyn, > 2^53
    assert simulation.calculate("epr_payment_tiyn", day)[0] == 16408125000016408
    with pytest.raises(EprError, match="more than a float64 holds exactly in tenge"):
        simulation.calculate("epr_payment", day)
