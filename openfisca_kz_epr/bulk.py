"""Many lines over many days: grouped by legal period, each group one OpenFisca simulation.

A legal period is an interval between two consecutive days on which any parameter (value
or metadata: source, confidence, note) changes; within it the law is the same every day, so
all its lines are computed at once, on its first day. Lines with a problem (unreadable, not
covered, unknown law) are reported and the others computed: nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.simulations import SimulationBuilder

from openfisca_kz_epr.law import change_days
from openfisca_kz_epr.method.assessment import ENUM_INPUTS, INPUTS


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
    for period in numpy.unique(period_of[period_of > -2]):
        rows = numpy.flatnonzero(period_of == period)
        day = days[rows].min() if period < 0 else starts[period]
        _compute_group(tax_benefit_system, str(day), rows, lines, result)
        if progress:
            progress(len(rows))
    return result


def _simulation(tax_benefit_system, day: str, rows, lines):
    simulation = SimulationBuilder().build_default_simulation(tax_benefit_system, len(rows))
    for name in INPUTS:
        if name not in lines:  # not given: the variable's default, "not declared" / missing
            continue
        values = numpy.asarray(lines[name])[rows]
        if name in ENUM_INPUTS:
            values = EnumArray(values.astype(numpy.int16), ENUM_INPUTS[name])
        simulation.set_input(name, day, values)
    return simulation


def _compute_group(tax_benefit_system, day: str, rows, lines, result: BulkResult) -> None:
    simulation = _simulation(tax_benefit_system, day, rows, lines)
    problem = simulation.calculate("epr_problem", day)
    result.problem[rows] = problem
    good = rows[problem == ""]
    if not len(good):
        return
    if len(good) < len(rows):
        simulation = _simulation(tax_benefit_system, day, good, lines)
    result.tiyn[good] = simulation.calculate("epr_payment_tiyn", day)
    result.legal_basis[good] = simulation.calculate("epr_legal_basis", day)
    result.confidence[good] = simulation.calculate("epr_confidence", day)
