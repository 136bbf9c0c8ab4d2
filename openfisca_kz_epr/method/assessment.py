"""Many lines of one day, priced at once and exactly, each bad line with its reason.

Every line gets the index of its tariff in a short table of the day's tariffs (one per
goods product, cable, and vehicle band); everything per line is then an array lookup.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cached_property

import numpy

from openfisca_kz_epr.law import NotCovered, as_date
from openfisca_kz_epr.method.cable import cable_tariff
from openfisca_kz_epr.method.goods import goods_tariff
from openfisca_kz_epr.method.tariff import PER_TONNE, PER_VEHICLE, SHARE_OF_INVOICE, Basis, Tariff, unknown
from openfisca_kz_epr.method.vehicles import category_tariffs, electric_tariff
from openfisca_kz_epr.money import fixed_point, times_rate
from openfisca_kz_epr.problems import Problems
from openfisca_kz_epr.products import GOODS, Product, VehicleCategory

PRODUCTS = list(Product)
CATEGORIES = [c for c in VehicleCategory if c is not VehicleCategory.unspecified]
CABLE = PRODUCTS.index(Product.cable_products)
VEHICLE = PRODUCTS.index(Product.vehicle)
UNSPECIFIED = PRODUCTS.index(Product.unspecified)
BASES = (PER_TONNE, SHARE_OF_INVOICE, PER_VEHICLE)
NONE = -1

INPUTS = (
    "product",
    "mass_tonnes",
    "invoice_value",
    "vehicle_category",
    "engine_displacement_cm3",
    "gross_vehicle_mass_tonnes",
    "engine_power_hp",
    "is_electric",
)


@dataclass
class Assessment:
    """Per line: the payment in tiyn (0 where there is a problem), the problem ('' if none)
    and the index of its tariff in ``tariffs`` (-1 where none could be chosen)."""

    tiyn: numpy.ndarray
    problem: numpy.ndarray
    tariff_index: numpy.ndarray
    tariffs: list[Tariff]

    @cached_property
    def ok(self) -> numpy.ndarray:
        return self.problem == ""

    def per_line(self, attribute) -> numpy.ndarray:
        """``attribute(tariff)`` for every line that can be priced (None for the others)."""
        used = numpy.bincount(self.tariff_index[self.ok] + 1, minlength=len(self.tariffs) + 1)[1:]
        table = numpy.array([attribute(t) if n else None for t, n in zip(self.tariffs, used)] + [None], dtype=object)
        return table[numpy.where(self.ok, self.tariff_index, NONE)]


class _Tariffs(list):
    """The day's tariffs; ``add`` returns a tariff's index, reusing an equal one."""

    def add(self, tariff: Tariff) -> int:
        for index, known in enumerate(self):
            if known is tariff:
                return index
        self.append(tariff)
        return len(self) - 1


def _covered(basis: Basis, build, *args) -> Tariff:
    """``build(*args)``, or an unknown tariff saying the day precedes the model."""
    try:
        return build(*args)
    except NotCovered as error:
        return unknown(basis, "", (), f"the day is before the EPR payment as modelled: {error}")


def tariffs_on(parameters, day) -> list[Tariff | None]:
    """The tariff of each goods product and of cable on ``day``, indexed like ``Product``."""
    table: list[Tariff | None] = [None] * len(PRODUCTS)
    for product in GOODS:
        table[PRODUCTS.index(product)] = _covered(PER_TONNE, goods_tariff, parameters, day, product.name)
    table[CABLE] = _covered(SHARE_OF_INVOICE, cable_tariff, parameters, day)
    return table


@dataclass(frozen=True)
class _Category:
    """A vehicle category's tariffs on a day: band thresholds (exclusive lower bounds) and
    the index of each band's tariff, the electric rule's index, or why none applies."""

    band_by: str | None
    thresholds: numpy.ndarray
    bands: numpy.ndarray
    electric: int
    not_covered: str | None


class DayTariffs:
    """Every tariff in force on one day, as arrays indexed by tariff (the last slot, -1,
    stands for no tariff): its basis, whether its rate is known, its scaled rate, its reason."""

    def __init__(self, parameters, day) -> None:
        self.tariffs = _Tariffs()
        self.by_product = numpy.array([NONE if t is None else self.tariffs.add(t) for t in tariffs_on(parameters, day)])
        self.categories = {member.index: self._category(parameters, day, member.name) for member in CATEGORIES}
        tariffs = list(self.tariffs)
        self.basis = numpy.array([BASES.index(t.basis) for t in tariffs] + [NONE])
        self.known = numpy.array([t.known for t in tariffs] + [False])
        self.rate = numpy.array([t.scaled_rate() if t.known else 0 for t in tariffs] + [0], dtype=numpy.int64)
        self.reason = numpy.array([t.reason for t in tariffs] + [None], dtype=object)

    def _category(self, parameters, day, category: str) -> _Category:
        scale = _covered(PER_VEHICLE, category_tariffs, parameters, day, category)
        if isinstance(scale, Tariff):  # the day precedes the model
            return _Category(None, numpy.zeros(0), numpy.zeros(0, dtype=int), NONE, scale.reason)
        electric = _covered(PER_VEHICLE, electric_tariff, parameters, day, category)
        return _Category(
            band_by=scale.band_by,
            thresholds=numpy.array([float(t) for t in scale.thresholds]),
            bands=numpy.array([self.tariffs.add(t) for t in scale.tariffs] + [NONE]),
            electric=NONE if electric is None else self.tariffs.add(electric),
            not_covered=None,
        )


_DAYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def day_tariffs(parameters, day) -> DayTariffs:
    """The tariffs of ``day`` under ``parameters``, built once per parameter tree and day (a
    tree is not changed once computed with: a reform works on its own copy)."""
    by_day = _DAYS.setdefault(parameters, {})
    day = as_date(day)
    if day not in by_day:
        by_day[day] = DayTariffs(parameters, day)
    return by_day[day]


def assess(parameters, day, lines: dict) -> Assessment:
    """Price every line of ``lines`` (arrays named as ``INPUTS``) on ``day``."""
    table = day_tariffs(parameters, day)
    product = numpy.asarray(lines["product"])
    problems = Problems(len(product))
    tariff_index = table.by_product[product]
    problems.flag(product == UNSPECIFIED, "product is not declared")
    vehicles = numpy.flatnonzero(product == VEHICLE)
    if len(vehicles):
        _vehicle_tariffs(table, lines, vehicles, tariff_index, problems)

    tiyn = numpy.zeros(len(product), dtype=numpy.int64)
    basis_of = table.basis[tariff_index]
    for code, basis in enumerate(BASES):
        _price(basis, lines, numpy.flatnonzero(basis_of == code), table, tariff_index, problems, tiyn)
    return Assessment(tiyn, problems.text, tariff_index, list(table.tariffs))


def _price(basis: Basis, lines, rows, table: DayTariffs, tariff_index, problems: Problems, tiyn) -> None:
    """Check the quantity of the lines ``rows``, charged on ``basis``, and price the good ones."""
    rows = rows[~problems.found[rows]]
    if not len(rows):
        return
    if basis.quantity is None:
        quantity = numpy.ones(len(rows), dtype=numpy.int64)
    else:
        values = numpy.asarray(lines[basis.quantity], dtype=numpy.float64)
        given = values[rows]
        quantity, exact = fixed_point(given, basis.quantity_places)
        problems.flag_rows(rows[numpy.isnan(given)], f"{basis.quantity} is missing")
        problems.flag_rows(rows[numpy.isinf(given)], lambda i: f"{basis.quantity} = {float(values[i])} is not finite")
        problems.flag_rows(rows[given < 0], lambda i: f"{basis.quantity} = {float(values[i])!r} is negative")
        problems.flag_rows(
            rows[~exact],
            lambda i: f"{basis.quantity} = {float(values[i])!r} is finer than 10^-{basis.quantity_places} or too large to hold exactly",
        )
    unknown = rows[~table.known[tariff_index[rows]]]
    problems.flag_rows(unknown, table.reason[tariff_index[unknown]])
    good = ~problems.found[rows]
    tiyn[rows[good]] = times_rate(quantity[good], table.rate[tariff_index[rows[good]]], basis.divisor)


def _vehicle_tariffs(table: DayTariffs, lines, vehicles, tariff_index, problems: Problems) -> None:
    """Choose the tariff of each vehicle line ``vehicles``: its category, then its band or
    its electric rule."""
    category = numpy.asarray(lines["vehicle_category"])[vehicles]
    electric = numpy.asarray(lines["is_electric"], dtype=bool)[vehicles]
    problems.flag_rows(vehicles[category == VehicleCategory.unspecified.index], "vehicle_category is not declared")
    for member in CATEGORIES:
        rows = vehicles[(category == member.index) & ~problems.found[vehicles]]
        if not len(rows):
            continue
        rule = table.categories[member.index]
        if rule.not_covered:
            problems.flag_rows(rows, rule.not_covered)
            continue
        of_electric = electric[numpy.searchsorted(vehicles, rows)]
        if rule.electric == NONE:
            problems.flag_rows(rows[of_electric], f"no coefficient is known for electric vehicles of category {member.name}")
        else:
            tariff_index[rows[of_electric]] = rule.electric
        rows = rows[~of_electric]
        if not len(rows):
            continue
        values = numpy.asarray(lines[rule.band_by], dtype=numpy.float64)
        given = values[rows]
        problems.flag_rows(rows[numpy.isnan(given)], f"{rule.band_by} is missing for a vehicle of category {member.name}")
        problems.flag_rows(rows[~numpy.isfinite(given)], lambda i: f"{rule.band_by} = {float(values[i])} is not finite")
        problems.flag_rows(rows[given <= 0], lambda i: f"{rule.band_by} = {float(values[i])!r} must be positive")
        band = numpy.searchsorted(rule.thresholds, given, side="left") - 1
        problems.flag_rows(rows[band < 0], lambda i: f"{rule.band_by} = {float(values[i])!r} is below every band of category {member.name}")
        in_band = ~problems.found[rows]
        tariff_index[rows[in_band]] = rule.bands[band[in_band]]
