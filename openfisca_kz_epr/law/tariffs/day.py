"""The law of one day as a short table of tariffs, each with the values and acts that make it:
one per goods row of Appendix 1, cable, and each band of each vehicle scale (``DayTariffs``).

The Method's variables (``variables/``) price the lines; they give each line the index of its
tariff here (``tariff_index``), from which ``Sources`` reads the acts and the confidence of a
result, ``epr_problem`` the reason a value is not known, and the explanations the formula.
The model's inputs (``INPUTS``, and the claims under art. 386 ``CLAIM_INPUTS``) are listed here
for the faces that read declarations.
"""

from __future__ import annotations

import datetime
import weakref
from dataclasses import dataclass

import numpy

from openfisca_kz_epr.language import Said
from openfisca_kz_epr.law import customs_codes
from openfisca_kz_epr.law.tariffs.cable import cable_tariff
from openfisca_kz_epr.law.tariffs.goods import goods_tariff
from openfisca_kz_epr.law.tariffs.tariff import (
    PER_TONNE,
    PER_VEHICLE,
    SHARE_OF_INVOICE,
    Basis,
    Tariff,
    unknown,
    weakest,
)
from openfisca_kz_epr.law.tariffs.vehicles import (
    ITEM_9,
    VARIANTS,
    category_tariffs,
    electric_tariff,
    parallel_scale,
)
from openfisca_kz_epr.law.values import NotCovered, legal_period_start
from openfisca_kz_epr.products import (
    GOODS,
    Declarant,
    Exemption,
    Fulfilment,
    ImportOrigin,
    PackagingMaterial,
    Product,
    RoadTractorUse,
    VehicleCategory,
)

PRODUCTS = list(Product)
CATEGORIES = [c for c in VehicleCategory if c is not VehicleCategory.unspecified]
CABLE = PRODUCTS.index(Product.cable_products)
NONE = -1
BEFORE_THE_MODEL = "the day is before the EPR payment as modelled"


def before_the_model(error) -> Said:
    """The problem of a line whose day precedes the model, ``error`` (a ``NotCovered``) saying what starts when."""
    return Said(BEFORE_THE_MODEL + ": {reason}", reason=error.args[0].message if isinstance(error.args[0], Said) else str(error))

INPUTS = (
    "product",
    "customs_code",
    "mass_tonnes",
    "invoice_value",
    "vehicle_category",
    "engine_displacement_cm3",
    "gross_vehicle_mass_tonnes",
    "engine_power_hp",
    "is_electric",
    "import_origin",
    "road_tractor_use",
    "packaging_material",
    "packaging_customs_code",
    "packaging_mass_tonnes",
)
CLAIM_INPUTS = ("exemption", "fulfilment", "declarant", "recycled_share_percent")
"""What a line may claim under art. 386 of the Environmental Code (an exemption of item 6, the
producer's own system of item 2 sub. 1) and the facts a claim needs: set only where declared, so
a line that claims nothing costs nothing more."""
CLAIM_ENUMS = {"exemption": Exemption, "fulfilment": Fulfilment, "declarant": Declarant}
ENUM_INPUTS = {"product": Product, "vehicle_category": VehicleCategory, "import_origin": ImportOrigin,
               "road_tractor_use": RoadTractorUse, "packaging_material": PackagingMaterial}
TEXT_INPUTS = ("customs_code", "packaging_customs_code")


@dataclass
class Sources:
    """What priced each line: the index of its tariff in ``tariffs`` (-1 where none), of its
    packaging's tariff (-1 where no packaging is priced), and whether it was keyed by its
    customs code (``code_list`` then says by which list); ``reform``: the names of the structural
    reforms that replaced a formula of the Method (``reform_marks``: the results are hypothetical)."""

    tariff_index: numpy.ndarray
    tariffs: list[Tariff]
    packaging_tariff_index: numpy.ndarray
    by_code: numpy.ndarray
    code_list: customs_codes.CodeList | None = None
    reform: tuple[str, ...] = ()

    def legal_basis(self) -> numpy.ndarray:
        """Per line, the ids of the acts whose values priced it, sorted and ';'-separated: its
        tariff's, its packaging tariff's, the source of the customs codes if keyed by one, and
        ``reform:<name>`` for each reform that replaced a formula."""
        marks = {f"reform:{name}" for name in self.reform}
        return self._combined(lambda sources: ";".join(sorted({act for source in sources for act in source.acts} | marks)))

    def confidence(self) -> numpy.ndarray:
        """Per line, the weakest confidence of what priced it (``tariff.weakest``); 'reform' under a
        structural reform."""
        return self._combined(lambda sources: weakest([source.confidence for source in sources]
                                                      + (["reform"] if self.reform else [])))

    def _combined(self, attribute) -> numpy.ndarray:
        """``attribute(sources)`` for every line with a tariff (None where none): ``sources``
        are its tariff, its packaging tariff if any, and the code list if keyed by code."""
        if not self.by_code.any() and (self.packaging_tariff_index == NONE).all():
            return self.per_line(lambda tariff: attribute((tariff,)))
        slots = len(self.tariffs) + 1
        key = ((self.tariff_index + 1) * slots + self.packaging_tariff_index + 1) * 2 + self.by_code
        table = numpy.full(slots * slots * 2, None, dtype=object)
        for combined in numpy.flatnonzero(numpy.bincount(key, minlength=len(table))).tolist():
            goods, packaging = divmod(combined // 2, slots)
            sources = [self.tariffs[index - 1] for index in (goods, packaging) if index]
            if combined % 2:
                sources.append(self.code_list)
            table[combined] = attribute(sources) if goods else None
        return table[key]

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
        return unknown(basis, "", (), before_the_model(error))


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
    """Every tariff in force on one day (``tariffs``; ``reason`` per tariff, the last slot, -1,
    standing for no tariff), the tariff of each product (``by_product``), and each vehicle scale
    (a category, or its parallel scale for a declared fact). Read whole when built, then only
    read: safe to share between threads."""

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


_PERIODS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def day_tariffs(parameters, day) -> DayTariffs:
    """The tariffs of ``day`` under ``parameters``, read once per parameter tree and legal period
    (``law.values.legal_period_start``: the law is the same on every day of one, and a tariff
    holds no day but those its values took effect), so a request of one line does not read the
    law of every product again."""
    start = legal_period_start(parameters, day) or datetime.date.min  # before the first change day: nothing in force
    kept = _PERIODS.setdefault(parameters, {})
    if start not in kept:
        kept[start] = DayTariffs(parameters, start)
    return kept[start]


def tariffs_on(parameters, day) -> tuple[Tariff | None, ...]:
    """The tariff of each goods product and of cable on ``day``, indexed like ``Product``."""
    return day_tariffs(parameters, day).products


def _read_tariffs(parameters, day) -> tuple[Tariff | None, ...]:
    table: list[Tariff | None] = [None] * len(PRODUCTS)
    for product in GOODS:
        table[PRODUCTS.index(product)] = _covered(PER_TONNE, goods_tariff, parameters, day, product.name)
    table[CABLE] = _covered(SHARE_OF_INVOICE, cable_tariff, parameters, day)
    return tuple(table)
