"""Revenue of a placed-on-market scenario under the law and under a reform, exact to the tiyn.

A scenario is rows like declarations (``declarations.COLUMNS``) with one more column,
``count``: how many identical lines a row stands for (vehicles of one band; 1 when empty).
Each line is priced by ``engine.bulk.compute`` under each tax-benefit system; a row's revenue is its
count times its line's payment, and every total is a sum of those integers of tiyn.

The days the rows are priced on:
- as declared (``read_scenario``): each row on its own ``date``;
- on one day (``read_scenario(..., day=D)``): every row on that day;
- spread over a range of days, a year (``spread``): each row is what was placed on the market
  over the range at an even pace. The range is cut into the legal periods of both systems
  (``law.intervals.legal_periods``) and each period gets the share of the row's quantity (grams,
  tiyn of invoice, vehicles) in proportion to its days, in whole units by largest remainder,
  so that the shares add up to the row exactly. Each share is one line dated the period's
  first day and rounded once, as a declaration would be: every day is priced on its own law,
  without 365 lines per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy

from openfisca_kz_epr.engine.bulk import BulkResult, compute
from openfisca_kz_epr.engine.declarations import read_declarations
from openfisca_kz_epr.language import Said
from openfisca_kz_epr.law import customs_codes
from openfisca_kz_epr.law.intervals import Interval, legal_periods
from openfisca_kz_epr.law.tariffs.day import tariffs_on
from openfisca_kz_epr.money import fixed_point
from openfisca_kz_epr.products import Product

_PRODUCTS = list(Product)


class ScenarioError(ValueError):
    """A scenario that cannot be priced; the message names the rows and the reasons."""


@dataclass
class Scenario:
    """Lines to price: ``days``, ``lines`` (``law.tariffs.day.INPUTS`` arrays), ``count``
    per line, the scenario ``row`` (0-based) each line comes from, and reading problems."""

    days: numpy.ndarray
    lines: dict
    count: numpy.ndarray
    row: numpy.ndarray
    problem: numpy.ndarray

    def __len__(self) -> int:
        return len(self.days)

    def take(self, rows: numpy.ndarray, days: numpy.ndarray, **quantities) -> Scenario:
        """Lines ``rows`` of this scenario on ``days``, with some inputs replaced."""
        lines = {name: numpy.asarray(values)[rows] for name, values in self.lines.items()}
        count = quantities.pop("count", self.count[rows])
        lines.update(quantities)
        return Scenario(days, lines, count, self.row[rows], self.problem[rows])


def scenario_columns(name: str, columns: dict, size: int) -> tuple[dict, int]:
    """A placed-on-market file's cells by column name (``columns``, ``size`` rows, as
    ``audit.whole_file`` reads a CSV file or a workbook) checked for ``read_scenario``: raises
    ``ScenarioError`` naming ``name`` where it has no row, or names neither a ``product`` nor a
    ``customs_code`` column."""
    if not size:
        raise ScenarioError(f"{name}: no rows (a header line, then one row per product)")
    if "product" not in columns and "customs_code" not in columns:
        raise ScenarioError(f"{name}: no 'product' or 'customs_code' column (columns: {', '.join(map(str, columns))})")
    return {column: cells for column, cells in columns.items() if column}, size


def read_scenario(columns: dict, size: int, day=None, problems=None, kilograms: tuple[str, ...] = ()) -> Scenario:
    """Scenario rows from text cells (``columns``: name → cells), each on its own ``date``, or
    all on ``day`` when given (the ``date`` column is then not read); ``problems``: '' or the
    problem the file's reading found in each row (it stays the row's problem); ``kilograms``: the
    columns that hold masses in kg (``engine.declarations.read_declarations``)."""
    if day is not None:
        columns = {**columns, "date": [str(day)] * size}
    days, lines, problem = read_declarations(columns, size, kilograms)
    if problems is not None:
        problem = numpy.where(numpy.asarray(problems, dtype=object) != "", problems, problem).astype(object)
    if "customs_code" in lines:  # the row a code names, to spread and sum by product (the Method checks it on the day)
        codes, _, _ = customs_codes.normalise(lines["customs_code"])
        row = customs_codes.rows_of(codes)
        named = (lines["product"] == Product.unspecified.index) & (row >= 0)
        lines["product"] = numpy.where(named, row, lines["product"]).astype(lines["product"].dtype)
    count = numpy.ones(size, dtype=object)  # Python integers: a count of any size stays exact
    for i, cell in enumerate(columns.get("count") or [""] * size):
        text = (cell or "").strip()
        if text and not (text.isdigit() and int(text) > 0):
            problem[i] = problem[i] or f"count {text!r} is not a whole number above 0"
        elif text:
            count[i] = int(text)
    return Scenario(days, lines, count, numpy.arange(size), problem)


def spread(scenario: Scenario, first, last, *systems) -> Scenario:
    """The scenario's rows placed on the market evenly from ``first`` to ``last``: one line per
    row and legal period of ``systems``, carrying the period's share (see the module's doc)."""
    periods = legal_periods(first, last, *(system.parameters for system in systems))
    table = tariffs_on(systems[0].parameters, periods[0].first)
    parts: list[Scenario] = []
    whole = []
    for index in range(len(scenario)):
        quantity = _quantity(scenario, index, table)
        if quantity is None:
            whole.append(index)
            continue
        name, places, units = quantity
        shares = shares_by_days(units, periods)
        kept = [i for i, share in enumerate(shares) if share] or [0]
        days = numpy.array([periods[i].first for i in kept], dtype="datetime64[D]")
        values = numpy.array([shares[i] for i in kept], dtype=object if name == "count" else numpy.int64)
        parts.append(scenario.take(numpy.full(len(kept), index), days, **{name: values if name == "count" else values / 10**places}))
    if whole:
        rows = numpy.array(whole)
        parts.append(scenario.take(rows, numpy.full(len(rows), periods[0].first, dtype="datetime64[D]")))
    return _concatenate(parts)


def _quantity(scenario: Scenario, index: int, table) -> tuple[str, int, int] | None:
    """What a row's quantity is counted in: (the input, its fixed point, the row's quantity
    in whole units). The tariff's basis says which (mass in grams, invoice in tiyn); a vehicle
    is counted by ``count``. None for a row without a readable quantity: it is priced whole,
    and the Method says what is wrong with it."""
    product = int(scenario.lines["product"][index])
    if scenario.problem[index]:
        return None
    if table[product] is None:
        return ("count", 0, int(scenario.count[index])) if product == Product.vehicle.index else None
    name, places = table[product].basis.quantity, table[product].basis.quantity_places
    units, exact = fixed_point(numpy.asarray(scenario.lines[name])[index:index + 1], places)
    return (name, places, int(units[0])) if exact[0] and units[0] >= 0 else None


def shares_by_days(units: int, periods: list[Interval]) -> list[int]:
    """``units`` shared among ``periods`` in proportion to their days, in whole units: each
    gets the floor of its exact share, and the units left go one each to the periods with the
    largest remainders (the earliest first on a tie)."""
    total = sum(period.days for period in periods)
    exact = [units * period.days for period in periods]
    shares = [value // total for value in exact]
    left = units - sum(shares)
    order = sorted(range(len(periods)), key=lambda i: (-(exact[i] % total), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def _concatenate(parts: list[Scenario]) -> Scenario:
    return Scenario(
        days=numpy.concatenate([part.days for part in parts]),
        lines={name: numpy.concatenate([part.lines[name] for part in parts]) for name in parts[0].lines},
        count=numpy.concatenate([part.count for part in parts]),
        row=numpy.concatenate([part.row for part in parts]),
        problem=numpy.concatenate([part.problem for part in parts]),
    )


@dataclass(frozen=True)
class Revenue:
    """Revenue of one product (or ``total``) in tiyn under the law and the reform; ``baseline``
    is None when the law cannot price some of its lines (``Comparison.not_known``)."""

    product: str
    baseline: int | None
    reform: int

    @property
    def difference(self) -> int | None:
        return None if self.baseline is None else self.reform - self.baseline

    @property
    def change_percent(self) -> Decimal | None:
        """The change in % of the baseline, to 0.01 half up; None when the baseline is 0 or not known."""
        if not self.baseline:
            return None
        return (Decimal(self.difference) * 100 / Decimal(self.baseline)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Comparison:
    """Each line of ``scenario`` priced under the law (``baseline``) and the reform, in tiyn
    (count times the line's payment), as Python integers (object arrays): sums are exact. A line
    the reform prices and the law cannot (a day whose value the law does not know, such as the
    MRP of a year to come) is None under the law, its reason in ``not_known``."""

    scenario: Scenario
    baseline: numpy.ndarray
    reform: numpy.ndarray
    not_known: list[str]
    relieved: list[tuple[str, Decimal]] | None = None  # under the law: the tonnes art. 386 relieves, by reason
    left_out: list[str] = field(default_factory=list)  # compare(..., refuse=False): the lines not priced, each with its reason
    priced: numpy.ndarray | None = None  # the lines in the revenues (None: all)

    def by_product(self) -> list[Revenue]:
        """Revenue per product present, in the order of ``Product``, then the ``total``."""
        products = numpy.where(self.priced, self.scenario.lines["product"], -1) if self.priced is not None else self.scenario.lines["product"]
        rows = [
            Revenue(product.name, _total(self.baseline[products == product.index]), int(self.reform[products == product.index].sum()))
            for product in _PRODUCTS
            if (products == product.index).any()
        ]
        return [*rows, Revenue("total", _total(self.baseline), int(self.reform.sum()))]


def _total(tiyn: numpy.ndarray) -> int | None:
    """The sum of ``tiyn`` (Python integers), None if one is not known."""
    return None if any(value is None for value in tiyn) else int(tiyn.sum())


def compare(baseline, reform, scenario: Scenario, refuse: bool = True) -> Comparison:
    """Price ``scenario`` under both tax-benefit systems. A line only the reform prices is not
    known under the law (``Comparison.not_known``); raises ``ScenarioError`` naming the lines
    that cannot be priced under the reform (a revenue with a hole is not a revenue), or, with
    ``refuse=False``, leaves them out of both revenues, each named with its reason in
    ``Comparison.left_out`` (the page's what-if: every row is a revenue or its error)."""
    results = {label: compute(system, scenario.days, scenario.lines, scenario.problem) for label, system in (("the law", baseline), ("the reform", reform))}
    law, reformed = results["the law"], results["the reform"]
    only_reform = ~law.ok & reformed.ok
    problems = _problems(scenario, results, ~only_reform)
    if problems and refuse:
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        raise ScenarioError(f"{len(problems)} line(s) cannot be priced: {shown}")
    # count × payment in Python integers: exact whatever their size (int64 would wrap)
    tiyn = {label: result.tiyn.astype(object) * scenario.count for label, result in results.items()}
    for label in tiyn:  # left out (refuse=False): neither revenue counts a line the reform cannot price
        tiyn[label][~reformed.ok] = 0
    tiyn["the law"][only_reform] = None
    return Comparison(scenario, tiyn["the law"], tiyn["the reform"], _problems(scenario, {"the law": law}, only_reform),
                      relieved=_relieved_tonnes(law, scenario), left_out=problems, priced=None if refuse else reformed.ok)


def _relieved_tonnes(result: BulkResult, scenario: Scenario) -> list[tuple[str, Decimal]] | None:
    """(reason, tonnes) of what art. 386 relieves under the law, by reason (count × grams, exact);
    None where the scenario claims nothing."""
    if result.relief is None:
        return None
    grams: dict[str, int] = {}
    for i in numpy.flatnonzero(result.relief != "").tolist():
        grams[result.relief[i]] = grams.get(result.relief[i], 0) + int(result.relieved_grams[i]) * int(scenario.count[i])
    return [(reason, Decimal(total).scaleb(-6)) for reason, total in sorted(grams.items())]


def _problems(scenario: Scenario, results: dict[str, BulkResult], rows: numpy.ndarray) -> list[str]:
    """The problems of the lines ``rows`` (a mask) a result does not price, one per row, day and reason."""
    found: dict[tuple, str] = {}
    for label, result in results.items():
        for i in numpy.flatnonzero(~result.ok & rows):
            product = _PRODUCTS[int(scenario.lines["product"][i])].name
            day = None if numpy.isnat(scenario.days[i]) else str(scenario.days[i])
            row = int(scenario.row[i]) + 1
            reason = result.problem[i]
            said = Said(_ROW_PROBLEM[day is None, label != "the law"], row=row, product=product, day=day,
                        reason=reason.message if isinstance(reason, Said) else reason)
            found.setdefault((row, day, result.problem[i]), said)
    return list(found.values())


_ROW_PROBLEM = {  # (no date, under the reform): a row's problem, as every face says it (the page in its language)
    (False, False): "row {row} ({product}, {day}): {reason}",
    (True, False): "row {row} ({product}, no date): {reason}",
    (False, True): "row {row} ({product}, {day}) under the reform: {reason}",
    (True, True): "row {row} ({product}, no date) under the reform: {reason}",
}
