"""Many lines over many days: grouped by legal period, each group one OpenFisca simulation.

A legal period is an interval between two consecutive days on which any parameter (value
or metadata: source, confidence, note) changes; within it the law is the same every day, so
all its lines are computed at once, on its first day. Lines with a problem (unreadable, not
covered, unknown law) are reported and the others computed: nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from openfisca_core import periods
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.simulations import Simulation

from openfisca_kz_epr.law import change_days
from openfisca_kz_epr.line_assessment import problems_per_line
from openfisca_kz_epr.method.assessment import INPUTS
from openfisca_kz_epr.products import Product, VehicleCategory

_ENUMS = {"product": Product, "vehicle_category": VehicleCategory}


@dataclass
class BulkResult:
    """Per line: exact payment in tiyn (0 where ``problem``), problem ('' if none), the act
    ids used (';'-separated) and the confidence."""

    tiyn: numpy.ndarray
    problem: numpy.ndarray
    legal_basis: numpy.ndarray
    confidence: numpy.ndarray

    @property
    def ok(self) -> numpy.ndarray:
        return self.problem == ""


def legal_period_starts(tax_benefit_system) -> numpy.ndarray:
    """The first day of every legal period of the system's parameters, sorted."""
    return numpy.array(sorted(change_days(tax_benefit_system.parameters)), dtype="datetime64[D]")


def compute(tax_benefit_system, days: numpy.ndarray, lines: dict, problem: numpy.ndarray | None = None, progress=None) -> BulkResult:
    """Price every line of ``lines`` on its own day of ``days`` (datetime64[D]).

    ``problem`` holds problems already found while reading (those lines are skipped);
    ``progress(n)`` is called with the number of lines done after each legal period.
    """
    size = len(days)
    result = BulkResult(
        tiyn=numpy.zeros(size, dtype=numpy.int64),
        problem=numpy.full(size, "", dtype=object) if problem is None else problem.astype(object).copy(),
        legal_basis=numpy.full(size, "", dtype=object),
        confidence=numpy.full(size, "", dtype=object),
    )
    starts = legal_period_starts(tax_benefit_system)
    readable = (result.problem == "") & ~numpy.isnat(days)
    period_of = numpy.where(readable, numpy.searchsorted(starts, days, side="right") - 1, -2)
    for period in numpy.flatnonzero(numpy.bincount(period_of[readable] + 1)) - 1:
        rows = numpy.flatnonzero(period_of == period)
        day = days[rows].min() if period < 0 else starts[period]
        _compute_group(tax_benefit_system, periods.period(str(day)), rows, lines, result)
        if progress:
            progress(len(rows))
    return result


def _simulation(tax_benefit_system, day, inputs: dict):
    """A simulation of the lines ``inputs`` (arrays named as ``INPUTS``), one producer each
    (as OpenFisca's default simulation, with ids made by ``arange``: its own ``range`` loop
    costs more than the Method here)."""
    size = len(inputs["product"])
    populations = tax_benefit_system.instantiate_entities()
    for population in populations.values():
        population.count = size
        population.ids = numpy.arange(size)
        if hasattr(population, "members_entity_id"):
            population.members_entity_id = numpy.arange(size)
    simulation = Simulation(tax_benefit_system, populations)
    for name, values in inputs.items():
        if name in _ENUMS:
            values = EnumArray(values.astype(numpy.int16, copy=False), _ENUMS[name])
        simulation.set_input(name, day, values)
    return simulation


def _compute_group(tax_benefit_system, day, rows, lines, result: BulkResult) -> None:
    """Price the lines ``rows``, all of the legal period that starts on the DAY period ``day``."""
    simulation = _simulation(tax_benefit_system, day, {name: numpy.asarray(lines[name])[rows] for name in INPUTS})
    problems_per_line(simulation)
    problem = simulation.calculate("epr_problem", day)
    good = problem == ""
    result.problem[rows[~good]] = problem[~good]
    if good.any():
        priced = rows[good]
        result.tiyn[priced] = simulation.calculate("epr_payment_tiyn", day)[good]
        result.legal_basis[priced] = simulation.calculate("epr_legal_basis", day)[good]
        result.confidence[priced] = simulation.calculate("epr_confidence", day)[good]
