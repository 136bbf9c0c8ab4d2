"""No silent zeros: every line the law cannot price raises an EprError naming the line, the
value and the reason; a product the law did not charge is a legitimate 0."""

import pytest
from openfisca_core import periods
from openfisca_core.simulations import SimulationBuilder

from openfisca_kz_epr.errors import EprError


def payment(tax_benefit_system, day, **line):
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"line_1": {name: {day: value} for name, value in line.items()}},
    })
    return simulation.calculate("epr_payment", day)[0]


def problem(tax_benefit_system, day, **line) -> str:
    with pytest.raises(EprError) as raised:
        payment(tax_benefit_system, day, **line)
    error = raised.value
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
    ("2021-01-05", {"product": "tyres", "mass_tonnes": -2.5}, ["mass_tonnes = -2.5", "negative"]),
    ("2021-01-05", {"product": "tyres"}, ["mass_tonnes is missing"]),
    ("2021-01-05", {"product": "tyres", "mass_tonnes": 0.0000004}, ["mass_tonnes = 4e-07", "finer"]),
    ("2021-07-05", {"product": "cable_products", "invoice_value": -10}, ["invoice_value = -10.0", "negative"]),
    ("2021-07-05", {"product": "cable_products"}, ["invoice_value is missing"]),
    ("2021-07-05", {"product": "cable_products", "invoice_value": 10.005}, ["invoice_value = 10.005", "finer"]),
    ("2021-01-05", {"mass_tonnes": 1}, ["neither product nor customs_code is declared"]),
    ("2021-01-05", {"product": "vehicle"}, ["vehicle_category is not declared"]),
    ("2021-01-05", {"product": "vehicle", "vehicle_category": "m1"}, ["engine_displacement_cm3 is missing"]),
    ("2021-01-05", {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": -1500}, ["engine_displacement_cm3 = -1500.0", "positive"]),
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
    assert "not finite" in problem(tax_benefit_system, "2021-01-05", product="tyres", mass_tonnes=float("inf"))
    assert "missing" in problem(tax_benefit_system, "2021-01-05", product="tyres", mass_tonnes=float("nan"))


def test_only_the_bad_lines_are_named(tax_benefit_system):
    day = "2021-01-05"
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {
            "good": {"product": {day: "tyres"}, "mass_tonnes": {day: 1}},
            "bad": {"product": {day: "oils"}, "mass_tonnes": {day: -1}},
        },
    })
    with pytest.raises(EprError) as raised:
        simulation.calculate("epr_payment", day)
    assert list(raised.value.problems) == ["bad"]
    assert list(simulation.calculate("epr_problem", day)) == ["", "mass_tonnes = -1.0 is negative"]


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
    from openfisca_kz_epr.line_assessment import assessment

    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {"line_1": {name: {day: value} for name, value in line.items()}},
    })
    assert simulation.calculate("epr_payment", day)[0] == 0
    result = assessment(simulation.populations["product_line"], periods.period(day))
    assert why in result.tariffs[result.tariff_index[0]].reason
