"""Many lines over many days: grouped by legal period, each group one OpenFisca simulation.

A legal period is an interval between two consecutive days on which any parameter (value
or metadata: source, confidence, note) changes; within it the law is the same every day, so
all its lines are computed at once, on its first day. Lines with a problem (unreadable, not
covered, unknown law) are reported and the others computed: nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy
import pyarrow
from openfisca_core import periods
from openfisca_core.indexed_enums import EnumArray

from openfisca_kz_epr.engine.simulation import Simulation
from openfisca_kz_epr.law.line_sources import sources
from openfisca_kz_epr.law.tariffs.day import CLAIM_ENUMS, CLAIM_INPUTS, ENUM_INPUTS, INPUTS, TEXT_INPUTS, Sources
from openfisca_kz_epr.law.values import legal_period_days
from openfisca_kz_epr.line_status import enum_indices
from openfisca_kz_epr.products import Product


@dataclass
class BulkResult:
    """Per line: exact payment in tiyn (0 where ``problem``), problem ('' if none), the act
    ids used (';'-separated), the confidence, the payment's two parts in tiyn: the goods'
    and the packaging's (0 for a line without packaging), and what the line is priced as (a
    ``Product`` index: the product declared or the row its customs code names; ``unspecified``
    where it was not found); where the lines claim under art. 386 of the Environmental Code, why a
    part is not owed (``relief``), what the Method would charge on it (``relieved_tiyn``) and the mass
    it counts (``relieved_grams``)."""

    tiyn: numpy.ndarray
    problem: numpy.ndarray
    legal_basis: numpy.ndarray
    confidence: numpy.ndarray
    goods_tiyn: numpy.ndarray
    packaging_tiyn: numpy.ndarray
    product: numpy.ndarray
    relief: numpy.ndarray | None = None  # where lines claim under art. 386: why a part is not owed ('' where none)
    relieved_tiyn: numpy.ndarray | None = None  # and what the Method would charge on it (-1 where not known)
    relieved_grams: numpy.ndarray | None = None  # and the mass it counts

    @property
    def ok(self) -> numpy.ndarray:
        return self.problem == ""


@dataclass
class Assessment(Sources):
    """``Sources`` and, per line: the payment in tiyn and its parts (goods, packaging; 0 where
    none or a problem), the problem ('' if none), its product (a ``Product`` index: the one
    declared, or the row its customs code maps to) and the rate of its own item (``line_rate``:
    float64, NaN where none is known)."""

    tiyn: numpy.ndarray = None
    problem: numpy.ndarray = None
    goods_tiyn: numpy.ndarray = None
    packaging_tiyn: numpy.ndarray = None
    product: numpy.ndarray = None
    rate: numpy.ndarray = None

    @cached_property
    def ok(self) -> numpy.ndarray:
        return self.problem == ""


def legal_period_starts(tax_benefit_system) -> numpy.ndarray:
    """The first day of every legal period of the system's parameters, sorted
    (``law.values.legal_period_days``)."""
    return numpy.array(legal_period_days(tax_benefit_system.parameters), dtype="datetime64[D]")


def compute(tax_benefit_system, days: numpy.ndarray, lines: dict, problem: numpy.ndarray | None = None, progress=None) -> BulkResult:
    """Price every line of ``lines`` on its own day of ``days`` (datetime64[D]).

    ``problem`` holds problems already found while reading (those lines are skipped);
    ``progress(n)`` is called with the number of lines done after each legal period.
    """
    size = len(days)
    result = BulkResult(
        tiyn=numpy.zeros(size, dtype=numpy.int64),
        problem=numpy.full(size, "", dtype=object) if problem is None else problem.astype(object),  # a copy
        legal_basis=numpy.full(size, "", dtype=object),
        confidence=numpy.full(size, "", dtype=object),
        goods_tiyn=numpy.zeros(size, dtype=numpy.int64),
        packaging_tiyn=numpy.zeros(size, dtype=numpy.int64),
        product=numpy.full(size, Product.unspecified.index, dtype=numpy.int16),
    )
    if any(name in lines for name in CLAIM_INPUTS):
        result.relief = numpy.full(size, "", dtype=object)
        result.relieved_tiyn, result.relieved_grams = numpy.zeros(size, dtype=numpy.int64), numpy.zeros(size, dtype=numpy.int64)
    starts = legal_period_starts(tax_benefit_system)
    readable = (result.problem == "") & ~numpy.isnat(days)
    period_of = numpy.where(readable, numpy.searchsorted(starts, days, side="right") - 1, -2)
    for period in numpy.flatnonzero(numpy.bincount(period_of[readable] + 1)) - 1:
        found = numpy.flatnonzero(period_of == period)
        day = days[found].min() if period < 0 else starts[period]
        _compute_group(tax_benefit_system, periods.period(str(day)), _span(found), lines, result)
        if progress:
            progress(len(found))
    return result


def _span(rows: numpy.ndarray) -> numpy.ndarray | slice:
    """``rows`` (ascending line numbers) as a slice where they are consecutive (all the lines of
    one day: a copy of a slice costs less than a gather), else as they are."""
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return rows


def build_simulation(tax_benefit_system, day, rows, lines):
    """An OpenFisca simulation of the lines ``rows`` (line numbers, or a slice) of ``lines``
    (``law.tariffs.day.INPUTS``) on ``day``, one producer each (as OpenFisca's default simulation,
    with ids made by ``arange``: its own ``range`` loop costs more than the Method here); the
    simulation holds copies of the inputs."""
    count = rows.stop - rows.start if isinstance(rows, slice) else len(rows)
    populations = tax_benefit_system.instantiate_entities()
    for population in populations.values():
        population.count = count
        population.ids = numpy.arange(count)
        if hasattr(population, "members_entity_id"):
            population.members_entity_id = numpy.arange(count)
    simulation = Simulation(tax_benefit_system, populations)
    for name in (*INPUTS, *CLAIM_INPUTS):
        if name not in lines:  # not given: the variable's default, "not declared" / missing / claims nothing
            continue
        if name in TEXT_INPUTS:  # strings: a pyarrow column (declarations) or a sequence
            values = _texts(lines[name], rows)
        else:
            values = numpy.asarray(lines[name])[rows]
            if isinstance(rows, slice):
                values = values.copy()
        enum = ENUM_INPUTS.get(name) or CLAIM_ENUMS.get(name)
        if enum is not None:
            values = EnumArray(values.astype(numpy.int16, copy=False), enum)
        simulation.set_input(name, day, values)
    return simulation


def _texts(column, rows) -> numpy.ndarray:
    """The cells ``rows`` (line numbers or a slice) of a text input (a pyarrow column or a
    sequence) as an object array."""
    if isinstance(column, pyarrow.Array | pyarrow.ChunkedArray):
        if isinstance(rows, slice):
            return column.slice(rows.start, rows.stop - rows.start).to_numpy(zero_copy_only=False)
        return column.take(pyarrow.array(rows)).to_numpy(zero_copy_only=False)
    values = numpy.asarray(column, dtype=object)[rows]
    return values.copy() if isinstance(rows, slice) else values


def _compute_group(tax_benefit_system, day, rows, lines, result: BulkResult) -> None:
    """Price the lines ``rows`` (line numbers or a slice), all of the legal period that starts on the DAY period ``day``:
    one simulation, whose ``line_…`` variables give 0 and '' where ``epr_problem`` says why."""
    simulation = build_simulation(tax_benefit_system, day, rows, lines)
    result.problem[rows] = simulation.calculate("epr_problem", day)
    result.goods_tiyn[rows] = simulation.calculate("line_goods_payment_tiyn", day)
    result.packaging_tiyn[rows] = simulation.calculate("line_packaging_payment_tiyn", day)
    result.tiyn[rows] = simulation.calculate("line_payment_tiyn", day)
    result.legal_basis[rows] = simulation.calculate("line_legal_basis", day)
    result.confidence[rows] = simulation.calculate("line_confidence", day)
    result.product[rows] = enum_indices(simulation.calculate("appendix_1_row", day))
    if result.relief is not None:
        result.relief[rows] = simulation.calculate("line_relief", day)
        result.relieved_tiyn[rows] = simulation.calculate("line_relieved_tiyn", day)
        result.relieved_grams[rows] = simulation.calculate("line_relieved_grams", day)


def assess(tax_benefit_system, day, lines: dict) -> Assessment:
    """The lines ``lines`` (``law.tariffs.day.INPUTS`` arrays, all on the same ``day``, a date
    or ISO text) priced by one simulation of the Method's variables."""
    period = periods.period(str(day))
    size = len(next(iter(lines.values())))
    return assessed(build_simulation(tax_benefit_system, period, numpy.arange(size), lines), period)


def assessed(simulation, day) -> Assessment:
    """Every line of ``simulation`` on the DAY period ``day``: its payment and parts, its problem,
    and what priced it (``Assessment``), read from the Method's variables."""
    found = sources(simulation.populations["product_line"], day)
    return Assessment(found.tariff_index, found.tariffs, found.packaging_tariff_index, found.by_code, found.code_list,
                      found.reform, tiyn=simulation.calculate("line_payment_tiyn", day),
                      problem=simulation.calculate("epr_problem", day),
                      goods_tiyn=simulation.calculate("line_goods_payment_tiyn", day),
                      packaging_tiyn=simulation.calculate("line_packaging_payment_tiyn", day),
                      product=enum_indices(simulation.calculate("appendix_1_row", day)),
                      rate=simulation.calculate("line_rate", day))
