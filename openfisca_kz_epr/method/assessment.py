"""Many lines of one day, priced at once and exactly, each bad line with its reason.

Every line gets the index of its tariff in a short table of the day's tariffs (one per
goods product, cable, and vehicle band); everything per line is then an array lookup.

A goods line is keyed by its ``product`` (a row of Appendix 1) or by its ``customs_code``
(ТН ВЭД, mapped to the row by ``customs_codes``), and may carry its packaging (material or
customs code, and mass): its payment is then the goods' part plus the packaging's part, each
rounded half up to the tiyn, as the operator prices goods in packaging.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cached_property

import numpy
import pyarrow
import pyarrow.compute as pc

from openfisca_kz_epr import customs_codes
from openfisca_kz_epr.law import NotCovered, as_date
from openfisca_kz_epr.method.cable import cable_tariff
from openfisca_kz_epr.method.goods import goods_tariff
from openfisca_kz_epr.method.tariff import (
    PER_TONNE,
    PER_VEHICLE,
    SHARE_OF_INVOICE,
    Basis,
    Tariff,
    unknown,
    weakest,
)
from openfisca_kz_epr.method.vehicles import (
    ITEM_9,
    VARIANTS,
    category_tariffs,
    electric_tariff,
    parallel_scale,
)
from openfisca_kz_epr.money import fixed_point, times_rate
from openfisca_kz_epr.problems import Problems
from openfisca_kz_epr.products import (
    GOODS,
    PACKAGING_OF_ROW,
    PACKAGING_ROW,
    ImportOrigin,
    PackagingMaterial,
    Product,
    RoadTractorUse,
    VehicleCategory,
)

PRODUCTS = list(Product)
CATEGORIES = [c for c in VehicleCategory if c is not VehicleCategory.unspecified]
CABLE = PRODUCTS.index(Product.cable_products)
VEHICLE = PRODUCTS.index(Product.vehicle)
UNSPECIFIED = PRODUCTS.index(Product.unspecified)
NONE = -1
PACKAGED_GOODS = PRODUCTS.index(Product.packaged_goods)
PRICED_ON_PACKAGING = numpy.array([p.name.startswith("packaged_goods_") for p in PRODUCTS])  # rows 19-23
MATERIALS = [m for m in PackagingMaterial if m is not PackagingMaterial.unspecified]
MATERIAL_NAMES = [m.name for m in PackagingMaterial]
PACKAGING_TARIFF_OF = numpy.array([PRODUCTS.index(Product[PACKAGING_ROW[m]]) for m in MATERIALS])
MATERIAL_OF_ROW = numpy.full(len(PRODUCTS), PackagingMaterial.unspecified.index, dtype=numpy.int16)
for _row, _material in PACKAGING_OF_ROW.items():
    MATERIAL_OF_ROW[PRODUCTS.index(Product[_row])] = _material.index
BASES = (PER_TONNE, SHARE_OF_INVOICE, PER_VEHICLE)
BEFORE_THE_MODEL = "the day is before the EPR payment as modelled"

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
ENUM_INPUTS = {"product": Product, "vehicle_category": VehicleCategory, "import_origin": ImportOrigin,
               "road_tractor_use": RoadTractorUse, "packaging_material": PackagingMaterial}
TEXT_INPUTS = ("customs_code", "packaging_customs_code")
PACKAGING_INPUTS = ("packaging_material", "packaging_customs_code", "packaging_mass_tonnes")
OPTIONAL_INPUTS = (*TEXT_INPUTS, *PACKAGING_INPUTS)  # a caller may leave them out of ``lines``


@dataclass
class Assessment:
    """Per line: the payment in tiyn (0 where there is a problem), the problem ('' if none)
    and the index of its tariff in ``tariffs`` (-1 where none could be chosen); the parts of the
    payment (goods, packaging: 0 where none or a problem), the index of the packaging's tariff
    (-1 where no packaging is priced), whether the line was keyed by its customs code
    (``code_list`` then says by which list), and its product (a ``Product`` index: the one
    declared, or the row its customs code maps to)."""

    tiyn: numpy.ndarray
    problem: numpy.ndarray
    tariff_index: numpy.ndarray
    tariffs: list[Tariff]
    goods_tiyn: numpy.ndarray
    packaging_tiyn: numpy.ndarray
    packaging_tariff_index: numpy.ndarray
    by_code: numpy.ndarray
    product: numpy.ndarray
    code_list: customs_codes.CodeList | None = None

    @cached_property
    def ok(self) -> numpy.ndarray:
        return self.problem == ""

    def subset(self, lines: numpy.ndarray) -> Assessment:
        """The assessment of the lines ``lines`` (a mask or indices) only: each line's is its own."""
        return Assessment(self.tiyn[lines], self.problem[lines], self.tariff_index[lines], self.tariffs,
                          self.goods_tiyn[lines], self.packaging_tiyn[lines], self.packaging_tariff_index[lines],
                          self.by_code[lines], self.product[lines], self.code_list)

    def legal_basis(self) -> numpy.ndarray:
        """Per line, the ids of the acts whose values priced it, sorted and ';'-separated: its
        tariff's, its packaging tariff's, and the source of the customs codes if keyed by one."""
        return self._combined(lambda sources: ";".join(sorted({act for source in sources for act in source.acts})))

    def confidence(self) -> numpy.ndarray:
        """Per line, the weakest confidence of what priced it (``tariff.weakest``)."""
        return self._combined(lambda sources: weakest(
            source.confidence for source in sources))

    def _combined(self, attribute) -> numpy.ndarray:
        """``attribute(sources)`` for every line with a tariff (None where none): ``sources``
        are its tariff, its packaging tariff if any, and the code list if keyed by code."""
        if not self.by_code.any() and (self.packaging_tariff_index == NONE).all():
            return self.per_line(lambda tariff: attribute((tariff,)))
        slots = len(self.tariffs) + 1
        key = ((self.tariff_index + 1) * slots + self.packaging_tariff_index + 1) * 2 + self.by_code
        unique, inverse = numpy.unique(key, return_inverse=True)
        values = []
        for combined in unique.tolist():
            goods, packaging = divmod(combined // 2, slots)
            sources = [self.tariffs[index - 1] for index in (goods, packaging) if index]
            if combined % 2:
                sources.append(self.code_list)
            values.append(attribute(sources) if goods else None)
        return numpy.array(values, dtype=object)[inverse.reshape(-1)]

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
    """Price every line of ``lines`` (arrays named as ``INPUTS``; a text, packaging or vehicle
    input may be left out) on ``day``."""
    table = day_tariffs(parameters, day)
    product = numpy.asarray(lines["product"])
    size = len(product)
    problems = Problems(size)
    product, by_code, code_list = _keyed_by_code(day, lines, product, problems)
    tariff_index = table.by_product[product]
    problems.flag(product == UNSPECIFIED, "the line names no goods: neither product nor customs_code is declared")
    vehicles = numpy.flatnonzero(product == VEHICLE)
    if len(vehicles):
        _vehicle_tariffs(table, lines, vehicles, tariff_index, problems)
    packaged = _packaging_declared(lines, size)
    packaging_index = _packaging_tariffs(day, lines, product, packaged, table, problems)

    goods_tiyn = numpy.zeros(size, dtype=numpy.int64)
    basis_of = table.basis[tariff_index]
    for code, basis in enumerate(BASES):
        rows = numpy.flatnonzero(basis_of == code)
        if len(rows):
            _price(basis, basis.quantity, lines, rows, table, tariff_index, problems, goods_tiyn)
    packaging_tiyn = numpy.zeros(size, dtype=numpy.int64)
    rows = numpy.flatnonzero(packaging_index != NONE)
    if len(rows):
        _price(PER_TONNE, "packaging_mass_tonnes", lines, rows, table, packaging_index, problems, packaging_tiyn)
    bad = problems.found
    if bad.any():  # a part priced before the other part's problem was found owes nothing either
        goods_tiyn[bad] = packaging_tiyn[bad] = 0
    return Assessment(goods_tiyn + packaging_tiyn, problems.text, tariff_index, list(table.tariffs),
                      goods_tiyn, packaging_tiyn, packaging_index, by_code, product, code_list)


def _given(lines, name: str):
    """The input ``name`` of ``lines``, or None where the caller left it out."""
    try:
        return lines[name]
    except KeyError:
        return None


def _has_text(values) -> bool:
    """Whether any cell of ``values`` (numpy or pyarrow strings; None) holds text."""
    if values is None:
        return False
    if isinstance(values, (pyarrow.Array, pyarrow.ChunkedArray)):
        return bool(len(values)) and (pc.max(pc.utf8_length(pc.fill_null(values, ""))).as_py() or 0) > 0
    return any(map(bool, numpy.asarray(values, dtype=object).tolist()))


def _keyed_by_code(day, lines, product: numpy.ndarray, problems: Problems):
    """Each line's product, its customs code (if declared) mapped to its row of Appendix 1 by
    ``customs_codes``: (product, keyed by code, the code list in force or None). A malformed
    code, a code not in the List as known, and a code that disagrees with the declared
    product are problems naming them."""
    cells = _given(lines, "customs_code")
    by_code = numpy.zeros(len(product), dtype=bool)
    if not _has_text(cells):
        return product, by_code, None
    codes, given, well_formed = customs_codes.normalise(cells)
    try:
        code_list = customs_codes.code_list_on(day)
    except NotCovered as error:
        problems.flag(given, f"{BEFORE_THE_MODEL}: {error}")
        return product, by_code, None
    text = codes.to_numpy(zero_copy_only=False)
    written = customs_codes.as_strings(cells)
    problems.flag(given & ~well_formed, lambda i: f"customs_code {written[i].as_py()!r} is not a customs code "
                                                  f"(ТН ВЭД: 4 to 10 digits; spaces and dots are allowed)")
    row = customs_codes.rows_of(codes, day)
    problems.flag(given & (row == customs_codes.NOT_LISTED),
                  lambda i: f"customs_code {text[i]} is not in the List as known ({code_list.list_act}; codes "
                            f"from {code_list.source}): no listed code begins it")
    found = row >= 0
    agrees = (product == row) | ((row == PACKAGED_GOODS) & PRICED_ON_PACKAGING[product])
    problems.flag(found & (product != UNSPECIFIED) & ~agrees,
                  lambda i: f"product {PRODUCTS[product[i]].name} and customs_code {text[i]} disagree: the code is "
                            f"of {PRODUCTS[row[i]].name} ({PRODUCTS[row[i]].value})")
    by_code = found & ~problems.found
    return numpy.where(by_code & (product == UNSPECIFIED), row, product), by_code, code_list


def _packaging_declared(lines, size: int) -> numpy.ndarray:
    """The lines that declare any packaging input."""
    declared = numpy.zeros(size, dtype=bool)
    material = _given(lines, "packaging_material")
    if material is not None:
        declared |= numpy.asarray(material) != PackagingMaterial.unspecified.index
    mass = _given(lines, "packaging_mass_tonnes")
    if mass is not None:
        declared |= ~numpy.isnan(numpy.asarray(mass, dtype=numpy.float64))
    code = _given(lines, "packaging_customs_code")
    if _has_text(code):
        declared |= customs_codes.normalise(code)[1]
    return declared


def _packaging_tariffs(day, lines, product, declared, table: DayTariffs, problems: Problems) -> numpy.ndarray:
    """The index of the packaging tariff of every line that declares packaging (rows 19-23 by
    its material, given or read from its customs code), -1 elsewhere. Goods of section 16
    (``packaged_goods``) must declare it; a vehicle line and a line of rows 19-23 (already
    priced on its packaging) may not."""
    index = numpy.full(len(product), NONE)
    problems.flag((product == PACKAGED_GOODS) & ~declared,
                  "goods in packaging (section 16 of the List) are priced on their packaging: declare "
                  "packaging_material or packaging_customs_code, and packaging_mass_tonnes")
    rows = numpy.flatnonzero(declared & ~problems.found)
    if not len(rows):
        return index
    problems.flag_rows(rows[product[rows] == VEHICLE], "packaging is declared on a vehicle line: vehicles are priced "
                                                       "by chapter 2, not by their packaging")
    problems.flag_rows(rows[product[rows] == CABLE], "packaging is declared on a cable line: declare it on a line "
                                                     "of its own (a packaging row or product packaged_goods)")
    problems.flag_rows(rows[PRICED_ON_PACKAGING[product[rows]]],
                       lambda i: f"packaging is declared twice: product {PRODUCTS[product[i]].name} is already "
                                 f"priced on the mass of its packaging")
    rows = rows[~problems.found[rows]]
    declared_material = _given(lines, "packaging_material")
    if declared_material is None:
        material = numpy.full(len(rows), PackagingMaterial.unspecified.index, dtype=numpy.int16)
    else:
        material = numpy.asarray(declared_material)[rows].astype(numpy.int16)
    code_cells = _given(lines, "packaging_customs_code")
    if _has_text(code_cells):
        material = _material_of_code(day, code_cells, rows, material, problems)
    problems.flag_rows(rows[material == PackagingMaterial.unspecified.index],
                       "the packaging's material is not declared: give packaging_material or packaging_customs_code")
    good = ~problems.found[rows]
    index[rows[good]] = table.by_product[PACKAGING_TARIFF_OF[material[good]]]
    return index


def _material_of_code(day, cells, rows, material, problems: Problems) -> numpy.ndarray:
    """The material of each line ``rows`` read from its packaging's customs code (where given),
    checked against its declared material."""
    written = customs_codes.as_strings(cells)
    codes, given, well_formed = customs_codes.normalise(written.take(pyarrow.array(rows)))
    text = codes.to_numpy(zero_copy_only=False)
    problems.flag_rows(rows[given & ~well_formed], lambda i: f"packaging_customs_code {written[i].as_py()!r} is not a "
                                                            "customs code (ТН ВЭД: 4 to 10 digits)")
    try:
        row = customs_codes.rows_of(codes, day)
    except NotCovered as error:
        problems.flag_rows(rows[given], f"{BEFORE_THE_MODEL}: {error}")
        return material
    position = {line: at for at, line in enumerate(rows.tolist())}
    problems.flag_rows(rows[given & (row == customs_codes.NOT_LISTED)],
                       lambda i: f"packaging_customs_code {text[position[i]]} is not in the List as known")
    of_code = numpy.where(row >= 0, MATERIAL_OF_ROW[numpy.maximum(row, 0)], PackagingMaterial.unspecified.index)
    problems.flag_rows(rows[(row >= 0) & (of_code == PackagingMaterial.unspecified.index)],
                       lambda i: f"packaging_customs_code {text[position[i]]} is not a code of packaging: it is of "
                                 f"{PRODUCTS[row[position[i]]].name}")
    declared = material != PackagingMaterial.unspecified.index
    conflict = (row >= 0) & declared & (of_code != PackagingMaterial.unspecified.index) & (of_code != material)
    problems.flag_rows(rows[conflict], lambda i: f"packaging_material {MATERIAL_NAMES[material[position[i]]]} and "
                                                 f"packaging_customs_code {text[position[i]]} disagree: the code is of "
                                                 f"{MATERIAL_NAMES[of_code[position[i]]]} packaging")
    return numpy.where(declared, material, of_code).astype(numpy.int16)


def _price(basis: Basis, quantity_name, lines, rows, table: DayTariffs, tariff_index, problems: Problems, tiyn) -> None:
    """Check the quantity ``quantity_name`` of the lines ``rows``, charged on ``basis`` at the
    tariffs ``tariff_index``, and price the good ones into ``tiyn``."""
    rows = rows[~problems.found[rows]]
    if not len(rows):
        return
    if quantity_name is None:
        quantity = numpy.ones(len(rows), dtype=numpy.int64)
    else:
        given_column = _given(lines, quantity_name)  # an optional quantity left out: missing on every line
        values = numpy.full(len(tiyn), numpy.nan) if given_column is None else numpy.asarray(given_column, dtype=numpy.float64)
        given = values[rows]
        quantity, exact = fixed_point(given, basis.quantity_places)
        if not exact.all() or (given < 0).any():  # a missing or infinite value is not exact either
            problems.flag_rows(rows[numpy.isnan(given)], f"{quantity_name} is missing")
            problems.flag_rows(rows[numpy.isinf(given)], lambda i: f"{quantity_name} = {float(values[i])} is not finite")
            problems.flag_rows(rows[given < 0], lambda i: f"{quantity_name} = {float(values[i])!r} is negative")
            problems.flag_rows(
                rows[~exact],
                lambda i: f"{quantity_name} = {float(values[i])!r} is finer than 10^-{basis.quantity_places} or too large to hold exactly",
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
