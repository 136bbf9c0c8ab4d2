"""How this package runs openfisca-core's simulations: the law read once per legal period, and
a lean path for simulations that are not traced. The one module that relies on openfisca-core's
internals (``tests/test_core_internals.py`` fails if a new openfisca-core changes them).

The law per legal period. openfisca-core builds the parameters of a day
(``ParameterNodeAtInstant``: every value, every vehicle scale) on each day asked and keeps the
last 128 days only. Between two change days (``law.values.legal_period_start``) every value is
the same, so ``law_on`` builds the tree once per legal period and gives each day a copy of its
few nodes stamped with that day (the day is what ``/trace`` and a parameter's error name).

The lean path. ``Simulation.calculate`` of an untraced simulation keeps each result per variable
and day, looks a variable and its formula up once, and runs the formula with ``law_on``,
without core's per-call checks, cycle detection or tracer; the results are those of core's
``calculate`` (the period checked, an input or a value given first, the default where no formula
applies, the result cast to the variable's type, stored in its holder). A traced simulation
(``/trace``) runs core's own ``calculate``, with ``law_on`` under its tracer.

    simulation = Simulation(system, populations)   # or lean(SimulationBuilder().build(...))
    simulation.calculate("line_payment_tiyn", periods.period("2021-03-01"))
"""

from __future__ import annotations

import datetime
import functools
import weakref

from openfisca_core import periods, simulations, tracers
from openfisca_core.parameters import ParameterNodeAtInstant

from openfisca_kz_epr.law.values import legal_period_start

DAYS_KEPT = 4096  # days stamped per parameter tree; then forgotten (each is a copy of a few nodes)

_LAW: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # parameter tree -> ({start: tree}, {Instant: tree})


def law_on(system, instant) -> ParameterNodeAtInstant:
    """The parameters of ``system`` on ``instant`` (an ``Instant``, a ``Period``: its first day,
    or ISO text), as ``system.get_parameters_at_instant`` gives them, built once per legal period."""
    if isinstance(instant, periods.Period):
        instant = instant.start
    elif not isinstance(instant, periods.Instant):
        instant = periods.instant(instant)
    parameters = system.parameters
    periods_built, days = _LAW.get(parameters) or _LAW.setdefault(parameters, ({}, {}))
    on_day = days.get(instant)
    if on_day is None:
        start = legal_period_start(parameters, instant.date) or datetime.date.min  # before any value: nothing in force
        whole = periods_built.get(start)
        if whole is None:
            whole = periods_built[start] = parameters.get_at_instant(str(instant))
        if len(days) >= DAYS_KEPT:
            days.clear()
        on_day = days[instant] = _stamped(whole, str(instant))
    return on_day


def _stamped(node: ParameterNodeAtInstant, day: str) -> ParameterNodeAtInstant:
    """A copy of the nodes of ``node`` naming ``day``; their values (numbers, scales) shared."""
    copy = ParameterNodeAtInstant.__new__(ParameterNodeAtInstant)
    copy._name, copy._instant_str, copy._children = node._name, day, {}
    for name, child in node._children.items():
        copy.add_child(name, _stamped(child, day) if isinstance(child, ParameterNodeAtInstant) else child)
    return copy


class Simulation(simulations.Simulation):
    """openfisca-core's simulation, with the law per legal period and, untraced, the lean path."""

    def __init__(self, tax_benefit_system, populations) -> None:
        super().__init__(tax_benefit_system, populations)
        _leaner(self)

    def calculate(self, variable_name: str, period):
        if self.trace:
            return super().calculate(variable_name, period)
        if not isinstance(period, periods.Period):
            period = periods.period(period)
        try:
            return self._computed[variable_name, period]
        except KeyError:
            pass
        variable, formula = _looked_up(self, variable_name, period)
        population = self.populations[variable.entity.key]
        holder = population.get_holder(variable_name)
        array = holder.get_array(period)  # an input, or a value set before
        if array is None:
            if formula is None:
                array = holder.default_array()
            elif formula.__code__.co_argcount == 2:
                array = formula(population, period)
            else:
                array = formula(population, period, self._law)
            if array is None:
                array = holder.default_array()
            array = self._cast_formula_result(array, variable)
            holder.put_in_cache(array, period)
        self._computed[variable_name, period] = array
        return array

    def set_input(self, variable_name: str, period, value) -> None:
        self._computed.clear()  # a result computed before may depend on it
        super().set_input(variable_name, period, value)

    def trace_parameters_at_instant(self, formula_period):
        return tracers.TracingParameterNodeAtInstant(law_on(self.tax_benefit_system, formula_period), self.tracer)

    @functools.cached_property
    def _law(self):
        return functools.partial(law_on, self.tax_benefit_system)


_LOOKED_UP: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # system -> {(name, period): (variable, formula)}


def _looked_up(simulation, variable_name: str, period):
    """(the variable, its formula on ``period`` or None), the period checked against the variable's
    definition period: once per system, variable and day (at most ``DAYS_KEPT`` days' worth)."""
    system = simulation.tax_benefit_system
    known = _LOOKED_UP.get(system) or _LOOKED_UP.setdefault(system, {})
    found = known.get((variable_name, period))
    if found is None:
        variable = system.get_variable(variable_name, check_existence=True)
        simulation._check_period_consistency(period, variable)
        if len(known) >= DAYS_KEPT * len(system.variables):
            known.clear()
        found = known[variable_name, period] = (variable, variable.get_formula(period))
    return found


def lean(simulation: simulations.Simulation) -> Simulation:
    """``simulation`` (built by openfisca-core's ``SimulationBuilder``) run as a ``Simulation``."""
    simulation.__class__ = Simulation
    _leaner(simulation)
    return simulation


def _leaner(simulation: Simulation) -> None:
    """Results kept per variable and day; each population answers a formula's
    ``population(name, period)`` from them, core's checks made on a variable's first call only."""
    simulation._computed = {}
    for population in simulation.populations.values():
        kind = type(population)
        if kind not in _LEAN_POPULATIONS:
            _LEAN_POPULATIONS[kind] = type(kind.__name__, (kind,), {"__call__": _known_first, "__doc__": kind.__doc__})
        population.__class__ = _LEAN_POPULATIONS[kind]


_LEAN_POPULATIONS: dict[type, type] = {}


_CHECKED: set = set()  # (entity, variable) whose population call core has checked


def _known_first(population, variable_name: str, period, options=None):
    """``population(variable_name, period)``: a result already computed, else the simulation's
    ``calculate``, core's checks of the call (the variable is of the population's entity, the
    period of its definition) made once per entity and variable."""
    simulation = population.simulation
    if options is None and not simulation.trace and isinstance(period, periods.Period):
        try:
            return simulation._computed[variable_name, period]
        except KeyError:
            pass
        if (population.entity, variable_name) in _CHECKED:
            return simulation.calculate(variable_name, period)
    result = super(type(population), population).__call__(variable_name, period, options)
    if options is None:
        _CHECKED.add((population.entity, variable_name))
    return result
