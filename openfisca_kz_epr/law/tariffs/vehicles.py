"""Vehicles and self-propelled agricultural machinery (chapter 2 of the Method, items 7-9,
Appendix 4): the payment for one vehicle = base rate × coefficient, once per vehicle, with
the base rate 50 MRP and the coefficient by category and band.

Each category's coefficients form a scale over one input (``band_by`` in the scale's
metadata); a band runs from its threshold, exclusive, to the next, inclusive. An electric
vehicle uses ``<category>_electric`` where the law gives one.

Some rows have a parallel coefficient chosen by a declared fact (``VARIANTS``): from
14.05.2022 road tractors used in international transport, from 07.05.2026 (Order No. 54)
vehicles imported from Russia or Belarus. It is a scale of its own, ``<key>_<suffix>``; on
the days it is in force the fact must be declared.
"""

from dataclasses import dataclass

from openfisca_core.indexed_enums import Enum

from openfisca_kz_epr.law.tariffs.mrp import mrp_on
from openfisca_kz_epr.law.tariffs.tariff import PER_VEHICLE, Tariff, unknown
from openfisca_kz_epr.law.values import Band, LegalValue, NotCovered, bands, legal_value
from openfisca_kz_epr.products import ImportOrigin, RoadTractorUse
from openfisca_kz_epr.resources import PARAMETERS_DIR

ITEM_9 = "S = base rate × MRP × coefficient, once per vehicle (the Method, chapter 2, item 9; Appendix 4)"


@dataclass(frozen=True)
class Variant:
    """A declared fact (the enum input ``input``) whose member ``chosen`` selects the parallel
    scale ``<key>_<suffix>``; the member ``other`` keeps the scale ``<key>``."""

    input: str
    enum: type[Enum]
    chosen: str
    other: str
    suffix: str


VARIANTS = (
    Variant("road_tractor_use", RoadTractorUse, "international_transport", "other", "international"),
    Variant("import_origin", ImportOrigin, "russia_or_belarus", "other", "russia_belarus"),
)


@dataclass(frozen=True)
class ListLimit:
    """Vehicles whose ``band_by`` is above ``above`` are not in the List of products."""

    band_by: str
    above: float


OUTSIDE_THE_LIST = ListLimit("gross_vehicle_mass_tonnes", 50.0)
"""Goods vehicles (N, road tractors included) above 50 t gross vehicle mass are not in the List
of products under extended producer obligations (order_695_2015; from 16.01.2023 order_689_2022)
and owe nothing on every day, electric or not: the scales of N carry a band above 50 t with
coefficient 0 (its note says why), which an electric vehicle takes too, instead of its
electric coefficient (``vehicle_band``)."""
SCALE_KEYS = sorted(path.stem for path in (PARAMETERS_DIR / "vehicles" / "coefficients").glob("*.yaml")
                    if path.stem != "index" and not path.stem.endswith("_electric"))
"""Every scale of Appendix 4 (a category, or its parallel scale), by name: ``vehicle_scale`` holds an index here."""


@dataclass(frozen=True)
class CategoryTariffs:
    """A category's tariffs on a day: one per band of ``band_by``, lowest first."""

    band_by: str
    thresholds: tuple
    tariffs: tuple[Tariff, ...]


def vehicle_tariff(parameters, day, coefficient: LegalValue) -> Tariff:
    """The values that make the payment for one vehicle with ``coefficient`` on ``day``."""
    base = legal_value(parameters.vehicles.base_rate, day)
    if not coefficient.known:
        return unknown(PER_VEHICLE, ITEM_9, (coefficient,), coefficient.why_unknown)
    mrp = mrp_on(parameters, day)
    if not mrp.known:
        return unknown(PER_VEHICLE, ITEM_9, (base, mrp, coefficient), mrp.why_unknown)
    values = (base, mrp, coefficient)
    return Tariff(PER_VEHICLE, ITEM_9, values, coefficient.note if any(value.value == 0 for value in values) else None)


def category_tariffs(parameters, day, category: str) -> CategoryTariffs:
    scale = parameters.vehicles.coefficients.children[category]
    in_force: list[Band] = bands(scale, day)
    return CategoryTariffs(
        band_by=scale.metadata["band_by"],
        thresholds=tuple(band.above for band in in_force),
        tariffs=tuple(vehicle_tariff(parameters, day, band.coefficient) for band in in_force),
    )


def electric_tariff(parameters, day, category: str) -> Tariff | None:
    """The tariff of an electric vehicle of ``category``, or None where the law gives no
    separate coefficient for electric vehicles of that category."""
    parameter = parameters.vehicles.coefficients.children.get(f"{category}_electric")
    if parameter is None:
        return None
    return vehicle_tariff(parameters, day, legal_value(parameter, day))


def parallel_scale(parameters, day, key: str, variant: Variant) -> LegalValue | None:
    """The first band of ``key``'s parallel scale for ``variant`` in force on ``day`` (its
    reference names the act that makes the distinction), or None where the law makes none."""
    scale = parameters.vehicles.coefficients.children.get(f"{key}_{variant.suffix}")
    if scale is None:
        return None
    try:
        return bands(scale, day)[0].coefficient
    except NotCovered:
        return None
