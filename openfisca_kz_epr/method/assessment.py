"""Many lines of one day, priced at once and exactly, each bad line with its reason.

Every line gets the index of its tariff in a short table of the day's tariffs (one per
goods product, cable, and vehicle band); everything per line is then an array lookup.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy

from openfisca_kz_epr.law import NotCovered, as_date
from openfisca_kz_epr.method.cable import cable_tariff
from openfisca_kz_epr.method.goods import goods_tariff
from openfisca_kz_epr.method.tariff import PER_TONNE, PER_VEHICLE, SHARE_OF_INVOICE, Basis, Tariff, unknown
from openfisca_kz_epr.method.vehicles import ITEM_9, VARIANTS, category_tariffs, electric_tariff, parallel_scale
from openfisca_kz_epr.money import fixed_point, times_rate
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

    @property
    def ok(self) -> numpy.ndarray:
        return self.problem == ""

    def per_line(self, attribute) -> numpy.ndarray:
        """``attribute(tariff)`` for every line (None where no tariff)."""
        table = numpy.array([attribute(t) for t in self.tariffs] + [None], dtype=object)
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


_READ: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_DAYS_KEPT = 4096


def tariffs_on(parameters, day) -> tuple[Tariff | None, ...]:
    """The tariff of each goods product and of cable on ``day``, indexed like ``Product``.

    Read once per parameter tree and day (a tree is not changed once in use, as OpenFisca's
    own parameters-at-instant cache assumes), so a request of one line does not read the law
    of every product again; at most ``_DAYS_KEPT`` days are kept per tree.
    """
    day = as_date(day)
    kept = _READ.setdefault(parameters, {})
    if day not in kept:
        if len(kept) >= _DAYS_KEPT:
            kept.clear()
        kept[day] = _read_tariffs(parameters, day)
    return kept[day]


def _read_tariffs(parameters, day) -> tuple[Tariff | None, ...]:
    table: list[Tariff | None] = [None] * len(PRODUCTS)
    for product in GOODS:
        table[PRODUCTS.index(product)] = _covered(PER_TONNE, goods_tariff, parameters, day, product.name)
    table[CABLE] = _covered(SHARE_OF_INVOICE, cable_tariff, parameters, day)
    return tuple(table)


def assess(parameters, day, lines: dict) -> Assessment:
    """Price every line of ``lines`` (arrays named as ``INPUTS``) on ``day``."""
    product = numpy.asarray(lines["product"])
    size = len(product)
    problem = numpy.full(size, "", dtype=object)
    tariffs = _Tariffs()

    by_product = numpy.array([NONE if t is None else tariffs.add(t) for t in tariffs_on(parameters, day)])
    tariff_index = by_product[product]
    _flag(problem, product == UNSPECIFIED, lambda i: "product is not declared")
    vehicles = product == VEHICLE
    if vehicles.any():
        _vehicle_tariffs(parameters, day, lines, vehicles, tariffs, tariff_index, problem)

    tiyn = numpy.zeros(size, dtype=numpy.int64)
    basis_of = numpy.array([BASES.index(t.basis) for t in tariffs] + [NONE])[tariff_index]
    for code, basis in enumerate(BASES):
        _price(basis, lines, basis_of == code, tariffs, tariff_index, problem, tiyn)
    return Assessment(tiyn, problem, tariff_index, list(tariffs))


def _price(basis: Basis, lines, on_basis, tariffs, tariff_index, problem, tiyn) -> None:
    """Check the quantity of the lines charged on ``basis`` and price the good ones."""
    lines_on = on_basis & (problem == "")
    if not lines_on.any():
        return
    if basis.quantity is None:
        quantity = numpy.ones(len(problem), dtype=numpy.int64)
    else:
        values = numpy.asarray(lines[basis.quantity], dtype=numpy.float64)
        quantity, exact = fixed_point(values, basis.quantity_places)
        _flag(problem, lines_on & numpy.isnan(values), lambda i: f"{basis.quantity} is missing")
        _flag(problem, lines_on & numpy.isinf(values), lambda i: f"{basis.quantity} = {float(values[i])} is not finite")
        _flag(problem, lines_on & (values < 0), lambda i: f"{basis.quantity} = {float(values[i])!r} is negative")
        _flag(
            problem,
            lines_on & ~exact,
            lambda i: f"{basis.quantity} = {float(values[i])!r} is finer than 10^-{basis.quantity_places} or too large to hold exactly",
        )
    known = numpy.array([t.known for t in tariffs] + [False])[tariff_index]
    _flag(problem, lines_on & ~known, lambda i: tariffs[tariff_index[i]].reason)
    good = lines_on & (problem == "")
    if good.any():
        rates = numpy.array([t.scaled_rate() if t.known and t.basis is basis else 0 for t in tariffs] + [0], dtype=numpy.int64)
        tiyn[good] = times_rate(quantity[good], rates[tariff_index[good]], basis.divisor)


def _flag(problem, mask, reason) -> None:
    """Give the lines of ``mask`` still without a problem the problem ``reason(i)``."""
    for i in numpy.flatnonzero(mask & (problem == "")):
        problem[i] = reason(i)


def _vehicle_tariffs(parameters, day, lines, vehicles, tariffs, tariff_index, problem) -> None:
    """Choose each vehicle line's tariff: its category, the parallel scale its declared facts
    select, then its band or its electric rule."""
    category = numpy.asarray(lines["vehicle_category"])
    _flag(problem, vehicles & (category == VehicleCategory.unspecified.index), lambda i: "vehicle_category is not declared")
    for member in CATEGORIES:
        of_category = vehicles & (category == member.index) & (problem == "")
        if not of_category.any():
            continue
        for key, of_scale in _scales(parameters, day, lines, member.name, of_category, problem):
            _scale_tariffs(parameters, day, lines, key, of_scale, tariffs, tariff_index, problem)


def _scales(parameters, day, lines, category: str, of_category, problem) -> list:
    """The lines of ``of_category`` as (scale key, lines) pairs: the category's own scale, or the
    parallel scale of a ``VARIANTS`` fact where the law has one on ``day`` (the fact must then
    be declared)."""
    groups = [(category, of_category)]
    for variant in VARIANTS:
        enum = ENUM_INPUTS[variant.input]
        declared = numpy.asarray(lines[variant.input])
        split = []
        for key, lines_of_key in groups:
            first_band = parallel_scale(parameters, day, key, variant)
            if first_band is None:
                split.append((key, lines_of_key))
                continue
            _flag(problem, lines_of_key & (declared == enum.unspecified.index),
                  lambda i: f"{variant.input} is not declared: from {first_band.since} the law ({first_band.cite()}) "
                            f"sets a separate coefficient for {key} vehicles of this kind: {enum[variant.chosen].value}")
            good = lines_of_key & (problem == "")
            split.append((key, good & (declared == enum[variant.other].index)))
            split.append((f"{key}_{variant.suffix}", good & (declared == enum[variant.chosen].index)))
        groups = split
    return [(key, lines_of_key) for key, lines_of_key in groups if lines_of_key.any()]


def _scale_tariffs(parameters, day, lines, key: str, of_scale, tariffs, tariff_index, problem) -> None:
    """Give the lines of ``of_scale`` the tariff of their band of the scale ``key``, or its
    electric rule."""
    scale = _covered(PER_VEHICLE, category_tariffs, parameters, day, key)
    if isinstance(scale, Tariff):  # the day precedes the model
        _flag(problem, of_scale, lambda i: scale.reason)
        return
    electric = numpy.asarray(lines["is_electric"], dtype=bool)
    electric_lines = of_scale & electric
    if electric_lines.any():
        rule = electric_tariff(parameters, day, key)
        if rule is None:
            rule = unknown(PER_VEHICLE, ITEM_9, (), f"no coefficient is known for electric vehicles of category {key}")
        tariff_index[electric_lines] = tariffs.add(rule)
    by_band = of_scale & ~electric
    if not by_band.any():
        return
    values = numpy.asarray(lines[scale.band_by], dtype=numpy.float64)
    _flag(problem, by_band & numpy.isnan(values), lambda i: f"{scale.band_by} is missing for a vehicle of category {key}")
    _flag(problem, by_band & ~numpy.isfinite(values), lambda i: f"{scale.band_by} = {float(values[i])} is not finite")
    _flag(problem, by_band & (values <= 0), lambda i: f"{scale.band_by} = {float(values[i])!r} must be positive")
    banded = by_band & (problem == "")
    thresholds = numpy.array([float(t) for t in scale.thresholds])
    band = numpy.searchsorted(thresholds, values, side="left") - 1
    _flag(problem, banded & (band < 0), lambda i: f"{scale.band_by} = {float(values[i])!r} is below every band of category {key}")
    in_band = banded & (band >= 0)
    band_tariffs = numpy.array([tariffs.add(t) for t in scale.tariffs] + [NONE])
    tariff_index[in_band] = band_tariffs[band[in_band]]
