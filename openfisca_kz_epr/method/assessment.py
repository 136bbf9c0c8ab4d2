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
from openfisca_kz_epr.method.vehicles import ITEM_9, VARIANTS, category_tariffs, electric_tariff, parallel_scale
from openfisca_kz_epr.money import fixed_point, times_rate
from openfisca_kz_epr.problems import Problems
from openfisca_kz_epr.products import GOODS, ImportOrigin, Product, RoadTractorUse, VehicleCategory

PRODUCTS = list(Product)
CATEGORIES = [c for c in VehicleCategory if c is not VehicleCategory.unspecified]
CABLE = PRODUCTS.index(Product.cable_products)
VEHICLE = PRODUCTS.index(Product.vehicle)
UNSPECIFIED = PRODUCTS.index(Product.unspecified)
BASES = (PER_TONNE, SHARE_OF_INVOICE, PER_VEHICLE)
NONE = -1
BEFORE_THE_MODEL = "the day is before the EPR payment as modelled"

INPUTS = (
    "product",
    "mass_tonnes",
    "invoice_value",
    "vehicle_category",
    "engine_displacement_cm3",
    "gross_vehicle_mass_tonnes",
    "engine_power_hp",
    "is_electric",
    "import_origin",
    "road_tractor_use",
)
ENUM_INPUTS = {"product": Product, "vehicle_category": VehicleCategory, "import_origin": ImportOrigin,
               "road_tractor_use": RoadTractorUse}


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

    def subset(self, lines: numpy.ndarray) -> Assessment:
        """The assessment of the lines ``lines`` (a mask or indices) only: each line's is its own."""
        return Assessment(self.tiyn[lines], self.problem[lines], self.tariff_index[lines], self.tariffs)

    def per_line(self, attribute) -> numpy.ndarray:
        """``attribute(tariff)`` for every line with a tariff (None where none), evaluated only
        for the tariffs lines use (a day's table may hold unknown rates no line needs)."""
        used = numpy.bincount(self.tariff_index + 1, minlength=len(self.tariffs) + 1)[1:]
        table = numpy.array([attribute(t) if n else None for t, n in zip(self.tariffs, used)] + [None], dtype=object)
        return table[self.tariff_index]


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
        return unknown(basis, "", (), f"{BEFORE_THE_MODEL}: {error}")


@dataclass(frozen=True)
class _Scale:
    """A vehicle scale's tariffs on a day: band thresholds (exclusive lower bounds) and the
    index of each band's tariff, the electric rule's index, or why none applies."""

    band_by: str | None
    thresholds: numpy.ndarray
    bands: numpy.ndarray
    electric: int
    not_covered: str | None


class DayTariffs:
    """Every tariff in force on one day, as arrays indexed by tariff (the last slot, -1,
    stands for no tariff): its basis, whether its rate is known, its scaled rate, its reason;
    and each vehicle scale (a category, or its parallel scale for a declared fact). Read whole
    when built, then only read: safe to share between threads."""

    def __init__(self, parameters, day) -> None:
        self.tariffs = _Tariffs()
        self.products = _read_tariffs(parameters, day)
        self.by_product = numpy.array([NONE if t is None else self.tariffs.add(t) for t in self.products])
        self.parallel = {}  # (scale key, variant) -> first band of the parallel scale, where the law has one
        self.scales = {}
        for member in CATEGORIES:
            keys = [member.name]
            for variant in VARIANTS:
                for key in list(keys):
                    self.parallel[key, variant] = parallel_scale(parameters, day, key, variant)
                    if self.parallel[key, variant] is not None:
                        keys.append(f"{key}_{variant.suffix}")
            for key in keys:
                self.scales[key] = self._read_scale(parameters, day, key)
        tariffs = list(self.tariffs)
        self.basis = numpy.array([BASES.index(t.basis) for t in tariffs] + [NONE])
        self.known = numpy.array([t.known for t in tariffs] + [False])
        self.rate = numpy.array([t.scaled_rate() if t.known else 0 for t in tariffs] + [0], dtype=numpy.int64)
        self.reason = numpy.array([t.reason for t in tariffs] + [None], dtype=object)

    def _read_scale(self, parameters, day, key: str) -> _Scale:
        scale = _covered(PER_VEHICLE, category_tariffs, parameters, day, key)
        if isinstance(scale, Tariff):  # the day precedes the model
            return _Scale(None, numpy.zeros(0), numpy.zeros(0, dtype=int), NONE, scale.reason)
        electric = _covered(PER_VEHICLE, electric_tariff, parameters, day, key)
        if electric is None:
            electric = unknown(PER_VEHICLE, ITEM_9, (), f"no coefficient is known for electric vehicles of category {key}")
        return _Scale(
            band_by=scale.band_by,
            thresholds=numpy.array([float(t) for t in scale.thresholds]),
            bands=numpy.array([self.tariffs.add(t) for t in scale.tariffs] + [NONE]),
            electric=self.tariffs.add(electric),
            not_covered=None,
        )


_DAYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_DAYS_KEPT = 4096


def day_tariffs(parameters, day) -> DayTariffs:
    """The tariffs of ``day`` under ``parameters``, read once per parameter tree and day (a tree
    is not changed once in use, as OpenFisca's own parameters-at-instant cache assumes; a
    reform works on its own copy), so a request of one line does not read the law of every
    product again; at most ``_DAYS_KEPT`` days are kept per tree."""
    day = as_date(day)
    kept = _DAYS.setdefault(parameters, {})
    if day not in kept:
        if len(kept) >= _DAYS_KEPT:
            kept.clear()
        kept[day] = DayTariffs(parameters, day)
    return kept[day]


def tariffs_on(parameters, day) -> tuple[Tariff | None, ...]:
    """The tariff of each goods product and of cable on ``day``, indexed like ``Product``."""
    return day_tariffs(parameters, day).products


def _read_tariffs(parameters, day) -> tuple[Tariff | None, ...]:
    table: list[Tariff | None] = [None] * len(PRODUCTS)
    for product in GOODS:
        table[PRODUCTS.index(product)] = _covered(PER_TONNE, goods_tariff, parameters, day, product.name)
    table[CABLE] = _covered(SHARE_OF_INVOICE, cable_tariff, parameters, day)
    return tuple(table)


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
        rows = numpy.flatnonzero(basis_of == code)
        if len(rows):
            _price(basis, lines, rows, table, tariff_index, problems, tiyn)
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
        if not exact.all() or (given < 0).any():  # a missing or infinite value is not exact either
            problems.flag_rows(rows[numpy.isnan(given)], f"{basis.quantity} is missing")
            problems.flag_rows(rows[numpy.isinf(given)], lambda i: f"{basis.quantity} = {float(values[i])} is not finite")
            problems.flag_rows(rows[given < 0], lambda i: f"{basis.quantity} = {float(values[i])!r} is negative")
            problems.flag_rows(
                rows[~exact],
                lambda i: f"{basis.quantity} = {float(values[i])!r} is finer than 10^-{basis.quantity_places} or too large to hold exactly",
            )
    unknown_rate = rows[~table.known[tariff_index[rows]]]
    problems.flag_rows(unknown_rate, table.reason[tariff_index[unknown_rate]])
    good = ~problems.found[rows]
    tiyn[rows[good]] = times_rate(quantity[good], table.rate[tariff_index[rows[good]]], basis.divisor)


def _vehicle_tariffs(table: DayTariffs, lines, vehicles, tariff_index, problems: Problems) -> None:
    """Choose the tariff of each vehicle line ``vehicles``: its category, the parallel scale its
    declared facts select, then its band or its electric rule."""
    category = numpy.asarray(lines["vehicle_category"])[vehicles]
    problems.flag_rows(vehicles[category == VehicleCategory.unspecified.index], "vehicle_category is not declared")
    for member in CATEGORIES:
        rows = vehicles[(category == member.index) & ~problems.found[vehicles]]
        if len(rows):
            for key, of_scale in _scales(table, lines, member.name, rows, problems):
                _scale_tariffs(table, lines, key, of_scale, tariff_index, problems)


def _scales(table: DayTariffs, lines, category: str, rows, problems: Problems) -> list:
    """The lines ``rows`` as (scale key, lines) pairs: the category's own scale, or the parallel
    scale of a ``VARIANTS`` fact where the law has one on the day (the fact must then be declared)."""
    groups = [(category, rows)]
    for variant in VARIANTS:
        enum = ENUM_INPUTS[variant.input]
        declared = numpy.asarray(lines[variant.input])
        split = []
        for key, of_key in groups:
            first_band = table.parallel[key, variant]
            if first_band is None:
                split.append((key, of_key))
                continue
            problems.flag_rows(
                of_key[declared[of_key] == enum.unspecified.index],
                f"{variant.input} is not declared: from {first_band.since} the law ({first_band.cite()}) "
                f"sets a separate coefficient for {key} vehicles of this kind: {enum[variant.chosen].value}",
            )
            good = of_key[~problems.found[of_key]]
            split.append((key, good[declared[good] == enum[variant.other].index]))
            split.append((f"{key}_{variant.suffix}", good[declared[good] == enum[variant.chosen].index]))
        groups = split
    return [(key, of_key) for key, of_key in groups if len(of_key)]


def _scale_tariffs(table: DayTariffs, lines, key: str, rows, tariff_index, problems: Problems) -> None:
    """Give the lines ``rows`` the tariff of their band of the scale ``key``, or its electric rule."""
    rule = table.scales[key]
    if rule.not_covered:
        problems.flag_rows(rows, rule.not_covered)
        return
    electric = numpy.asarray(lines["is_electric"], dtype=bool)[rows]
    tariff_index[rows[electric]] = rule.electric
    rows = rows[~electric]
    if not len(rows):
        return
    values = numpy.asarray(lines[rule.band_by], dtype=numpy.float64)
    given = values[rows]
    problems.flag_rows(rows[numpy.isnan(given)], f"{rule.band_by} is missing for a vehicle of category {key}")
    problems.flag_rows(rows[~numpy.isfinite(given)], lambda i: f"{rule.band_by} = {float(values[i])} is not finite")
    problems.flag_rows(rows[given <= 0], lambda i: f"{rule.band_by} = {float(values[i])!r} must be positive")
    band = numpy.searchsorted(rule.thresholds, given, side="left") - 1
    problems.flag_rows(rows[band < 0], lambda i: f"{rule.band_by} = {float(values[i])!r} is below every band of category {key}")
    in_band = ~problems.found[rows]
    tariff_index[rows[in_band]] = rule.bands[band[in_band]]
