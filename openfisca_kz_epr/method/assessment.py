"""Many lines of one day, priced at once and exactly, each bad line with its reason."""

from __future__ import annotations

from dataclasses import dataclass

import numpy

from openfisca_kz_epr.law import NotCovered
from openfisca_kz_epr.method.cable import cable_tariff
from openfisca_kz_epr.method.goods import goods_tariff
from openfisca_kz_epr.method.tariff import PER_TONNE, PER_VEHICLE, SHARE_OF_INVOICE, Basis, Tariff, unknown
from openfisca_kz_epr.method.vehicles import category_tariffs, electric_tariff
from openfisca_kz_epr.money import fixed_point, times_rate
from openfisca_kz_epr.products import GOODS, Product, VehicleCategory

PRODUCTS = list(Product)
CATEGORIES = [c for c in VehicleCategory if c is not VehicleCategory.unspecified]
CABLE = PRODUCTS.index(Product.cable_products)
VEHICLE = PRODUCTS.index(Product.vehicle)
UNSPECIFIED = PRODUCTS.index(Product.unspecified)

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
    and the tariff applied (None where none could be chosen)."""

    tiyn: numpy.ndarray
    problem: numpy.ndarray
    tariff: numpy.ndarray

    @property
    def ok(self) -> numpy.ndarray:
        return self.problem == ""


def _covered(basis: Basis, day, build, *args) -> Tariff:
    """``build(*args)``, or an unknown tariff naming the first day the model covers."""
    try:
        return build(*args)
    except NotCovered as error:
        return unknown(basis, "", (), f"no EPR payment is modelled on {day}: {error} (Order 762 took effect on 2016-01-01)")


def tariffs_on(parameters, day) -> list[Tariff | None]:
    """The tariff of each goods product and of cable on ``day``, indexed like ``Product``."""
    table: list[Tariff | None] = [None] * len(PRODUCTS)
    for product in GOODS:
        table[PRODUCTS.index(product)] = _covered(PER_TONNE, day, goods_tariff, parameters, day, product.name)
    table[CABLE] = _covered(SHARE_OF_INVOICE, day, cable_tariff, parameters, day)
    return table


def assess(parameters, day, lines: dict) -> Assessment:
    """Price every line of ``lines`` (arrays named as ``INPUTS``) on ``day``."""
    product = numpy.asarray(lines["product"])
    size = len(product)
    problem = numpy.full(size, "", dtype=object)
    tariff = numpy.full(size, None, dtype=object)

    table = tariffs_on(parameters, day)
    problem[product == UNSPECIFIED] = "product is not declared"
    for index, entry in enumerate(table):
        if entry is not None:
            tariff[product == index] = entry
    vehicles = product == VEHICLE
    if vehicles.any():
        _vehicle_tariffs(parameters, day, lines, vehicles, tariff, problem)

    tiyn = numpy.zeros(size, dtype=numpy.int64)
    for basis in (PER_TONNE, SHARE_OF_INVOICE, PER_VEHICLE):
        _price(basis, lines, tariff, problem, tiyn)
    return Assessment(tiyn, problem, tariff)


def _price(basis: Basis, lines, tariff, problem, tiyn) -> None:
    """Check the quantity of the lines charged on ``basis`` and price the good ones."""
    on_basis = numpy.fromiter((t is not None and t.basis is basis for t in tariff), bool, len(tariff))
    lines_on = on_basis & (problem == "")
    if not lines_on.any():
        return
    if basis.quantity is None:
        quantity = numpy.ones(len(tariff), dtype=numpy.int64)
    else:
        values = numpy.asarray(lines[basis.quantity], dtype=numpy.float64)
        quantity, exact = fixed_point(values, basis.quantity_places)
        _flag(problem, lines_on & numpy.isnan(values), lambda i: f"{basis.quantity} is missing")
        _flag(problem, lines_on & numpy.isinf(values), lambda i: f"{basis.quantity} = {values[i]} is not finite")
        _flag(problem, lines_on & (values < 0), lambda i: f"{basis.quantity} = {values[i]!r} is negative")
        _flag(
            problem,
            lines_on & ~exact,
            lambda i: f"{basis.quantity} = {values[i]!r} is finer than 10^-{basis.quantity_places} or too large to hold exactly",
        )
    unknown_rate = numpy.fromiter((t is not None and not t.known for t in tariff), bool, len(tariff))
    _flag(problem, lines_on & unknown_rate, lambda i: tariff[i].reason)
    good = lines_on & (problem == "")
    if good.any():
        rates = numpy.fromiter((t.scaled_rate() if g else 0 for t, g in zip(tariff, good)), numpy.int64, len(tariff))
        tiyn[good] = times_rate(quantity[good], rates[good], basis.divisor)


def _flag(problem, mask, reason) -> None:
    """Give the lines of ``mask`` still without a problem the problem ``reason(i)``."""
    for i in numpy.flatnonzero(mask & (problem == "")):
        problem[i] = reason(i)


def _vehicle_tariffs(parameters, day, lines, vehicles, tariff, problem) -> None:
    """Choose each vehicle line's tariff: its category, then its band or its electric rule."""
    category = numpy.asarray(lines["vehicle_category"])
    electric = numpy.asarray(lines["is_electric"], dtype=bool)
    _flag(problem, vehicles & (category == VehicleCategory.unspecified.index), lambda i: "vehicle_category is not declared")
    for member in CATEGORIES:
        of_category = vehicles & (category == member.index) & (problem == "")
        if not of_category.any():
            continue
        scale = _covered(PER_VEHICLE, day, category_tariffs, parameters, day, member.name)
        if isinstance(scale, Tariff):  # the day precedes the model
            _flag(problem, of_category, lambda i: scale.reason)
            continue
        electric_lines = of_category & electric
        if electric_lines.any():
            rule = electric_tariff(parameters, day, member.name)
            if rule is None:
                _flag(problem, electric_lines, lambda i: f"no coefficient is known for electric vehicles of category {member.name}")
            else:
                tariff[electric_lines] = rule
        by_band = of_category & ~electric
        if not by_band.any():
            continue
        values = numpy.asarray(lines[scale.band_by], dtype=numpy.float64)
        _flag(problem, by_band & numpy.isnan(values), lambda i: f"{scale.band_by} is missing for a vehicle of category {member.name}")
        _flag(problem, by_band & ~numpy.isfinite(values), lambda i: f"{scale.band_by} = {values[i]} is not finite")
        _flag(problem, by_band & (values <= 0), lambda i: f"{scale.band_by} = {values[i]!r} must be positive")
        banded = by_band & (problem == "")
        thresholds = numpy.array([float(t) for t in scale.thresholds])
        band = numpy.searchsorted(thresholds, values, side="left") - 1
        _flag(problem, banded & (band < 0), lambda i: f"{scale.band_by} = {values[i]!r} is below every band of category {member.name} on {day}")
        for i in numpy.flatnonzero(banded & (band >= 0) & (problem == "")):
            tariff[i] = scale.tariffs[band[i]]
