"""What ``engine.simulation`` relies on in openfisca-core: these fail if a new openfisca-core
changes it (then adapt ``engine/simulation.py``, the only module that uses core's internals).

- the parameters of a day: ``law_on`` gives, on every day, the tree core builds itself (same
  children, values and day);
- the lean path: every variable of the Method, on lines of every kind and on days of every legal
  period, has the value core's own ``calculate`` gives; a traced simulation records the same
  parameters and values as core's;
- the names it uses exist.
"""

from __future__ import annotations

import datetime

import numpy
import pytest
from openfisca_core import parameters, periods, populations, simulations
from openfisca_core.simulations import SimulationBuilder

from openfisca_kz_epr.engine.simulation import Simulation, law_on, lean
from openfisca_kz_epr.errors import EprError
from openfisca_kz_epr.law.values import legal_period_days

ONE_DAY = datetime.timedelta(days=1)


def _days(tax_benefit_system) -> list[str]:
    """The first day of every legal period, the day before it, and one day before any."""
    starts = legal_period_days(tax_benefit_system.parameters)
    return ["2000-01-01", *sorted({str(day) for start in starts for day in (start - ONE_DAY, start, start + 40 * ONE_DAY)})]


def _plain(node):
    if isinstance(node, parameters.ParameterNodeAtInstant):
        return (node._name, node._instant_str, {name: _plain(child) for name, child in node._children.items()})
    return repr(node)


def test_the_law_of_a_day_is_the_tree_core_builds(tax_benefit_system):
    for day in _days(tax_benefit_system):
        assert _plain(law_on(tax_benefit_system, day)) == _plain(tax_benefit_system.get_parameters_at_instant(day)), day


def _situation(day: str) -> dict:
    lines = {
        "goods": {"product": "tyres", "mass_tonnes": 2.5},
        "packaged": {"product": "packaged_goods", "mass_tonnes": 1.0, "packaging_material": "polymer", "packaging_mass_tonnes": 0.2},
        "code": {"customs_code": "8471300000", "mass_tonnes": 0.75},
        "cable": {"product": "cable_products", "invoice_value": 1000000.0},
        "car": {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1600},
        "tractor": {"product": "vehicle", "vehicle_category": "n_road_tractor", "gross_vehicle_mass_tonnes": 20, "road_tractor_use": "other"},
        "nothing": {"mass_tonnes": 1.0},
    }
    return {"product_lines": {name: {key: {day: value} for key, value in inputs.items()} for name, inputs in lines.items()},
            "producers": {"p": {"lines": list(lines)}}}


def _values(simulation, names, day) -> dict:
    """Each variable's values, or the error that refuses them (``epr_…`` refuse a line the law cannot price)."""
    values = {}
    for name in names:
        try:
            values[name] = repr(numpy.asarray(simulation.calculate(name, day)).tolist())  # NaN equal to NaN
        except EprError as error:
            values[name] = str(error)
    return values


@pytest.mark.parametrize("day", ["2016-06-01", "2020-03-01", "2021-03-01", "2022-06-01", "2026-06-01"])
def test_the_lean_path_gives_what_core_gives(tax_benefit_system, day):
    names = sorted(tax_benefit_system.variables)
    core = SimulationBuilder().build_from_entities(tax_benefit_system, _situation(day))
    ours = lean(SimulationBuilder().build_from_entities(tax_benefit_system, _situation(day)))
    assert type(core) is simulations.Simulation and isinstance(ours, Simulation)
    assert _values(ours, names, day) == _values(core, names, day)


def test_a_traced_simulation_records_what_core_records(tax_benefit_system):
    day = "2021-03-01"
    core = SimulationBuilder().build_from_entities(tax_benefit_system, _situation(day))
    ours = lean(SimulationBuilder().build_from_entities(tax_benefit_system, _situation(day)))
    for simulation in (core, ours):
        simulation.trace = True
        simulation.calculate("line_payment_tiyn", day)
        simulation.calculate("line_legal_basis", day)
    untimed = [{key: {k: v for k, v in value.items() if not k.endswith("_time")} for key, value in simulation.tracer.get_serialized_flat_trace().items()}
               for simulation in (core, ours)]
    assert repr(untimed[0]) == repr(untimed[1])  # NaN equal to NaN
    assert any(name.endswith(f"<{day}>") for step in untimed[1].values() for name in step["parameters"])


def test_the_names_it_uses_exist():
    for name in ("_check_period_consistency", "_cast_formula_result", "trace_parameters_at_instant", "get_variable_population", "set_input"):
        assert callable(getattr(simulations.Simulation, name, None)), name
    node = parameters.ParameterNodeAtInstant("x", parameters.ParameterNode("x", data={}), "2021-03-01")
    assert {"_name", "_instant_str", "_children"} <= set(vars(node)) and callable(node.add_child)
    assert list(populations.Population.__call__.__code__.co_varnames[:4]) == ["self", "variable_name", "period", "options"]
    assert isinstance(periods.period("2021-03-01"), periods.Period)
