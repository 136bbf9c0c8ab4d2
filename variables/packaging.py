"""The packaging of the goods of a line (Appendix 1, rows 19-23: goods in packaging).

A goods line may carry its packaging: its material (``packaging_material``) or its own
customs code (``packaging_customs_code``, whose row of section 6 names the material), and its
mass. The packaging is then priced as the row of «товары в упаковке» of that material, on the
packaging's mass: S = m × MRP × k (item 5), rounded half up on its own, beside the goods' part.
Goods of section 16 of the List (``packaged_goods``) must declare it; a vehicle, a cable line
and a line of rows 19-23 (already priced on its packaging) may not.
"""

import numpy
from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.law import customs_codes
from openfisca_kz_epr.law.acts import urls
from openfisca_kz_epr.law.parameter_lookup import per_row
from openfisca_kz_epr.law.values import NotCovered
from openfisca_kz_epr.line_status import PackagingStatus, enum_indices, given, has_text
from openfisca_kz_epr.money import MASS_DECIMALS, RATE_PER_TONNE_DECIMALS, amount_tiyn, held_exactly, not_known
from openfisca_kz_epr.products import PACKAGING_OF_ROW, PACKAGING_ROW, PRICED_ON_PACKAGING, PackagingMaterial, Product
from openfisca_kz_epr.variable_types import CheckedVariable, WideFloat, WideInt
from openfisca_kz_epr.variables.goods import rate_per_tonne

UNSPECIFIED = PackagingMaterial.unspecified.index
ROW_OF_MATERIAL = numpy.full(len(PackagingMaterial), PackagingStatus.MATERIAL_MISSING, dtype=numpy.int32)
for _material, _row in PACKAGING_ROW.items():
    ROW_OF_MATERIAL[_material.index] = Product[_row].index
MATERIAL_OF_ROW = numpy.full(len(Product), UNSPECIFIED, dtype=numpy.int16)
for _row, _material in PACKAGING_OF_ROW.items():
    MATERIAL_OF_ROW[Product[_row].index] = _material.index


def packaging_declared(product_line, period) -> numpy.ndarray:
    """The lines that declare any packaging input (a material, a customs code or a mass other than
    0: a mass of 0 with neither material nor code declares no packaging, as the operator's files
    write a line without packaging)."""
    declared = numpy.zeros(product_line.count, dtype=bool)
    if given(product_line, "packaging_material"):
        declared |= enum_indices(product_line("packaging_material", period)) != UNSPECIFIED
    if given(product_line, "packaging_mass_tonnes"):
        mass = product_line("packaging_mass_tonnes", period)
        declared |= ~not_known(mass) & (mass != 0)
    if given(product_line, "packaging_customs_code"):
        cells = product_line("packaging_customs_code", period)
        if has_text(cells):
            declared |= customs_codes.normalise(cells)[1]
    return declared


class packaging_row(CheckedVariable):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    label = ("The row of Appendix 1 (a Product index, rows 19-23) that prices the line's packaging, or why none: "
             "-1 no packaging declared, -2 to -11 a mistake (line_status.PackagingStatus)")
    reference = urls("order_762_2015", "order_695_2015", "order_689_2022")
    documentation = "Order 762 (order_762_2015), Appendix 1, rows 19-23; List of products (order_695_2015, order_689_2022), section 6 (packaging) and section 16."

    def formula(product_line, period, parameters):
        row = enum_indices(product_line("appendix_1_row", period))
        declared = packaging_declared(product_line, period)
        status = numpy.full(product_line.count, PackagingStatus.NONE, dtype=numpy.int32)
        status[(row == Product.packaged_goods.index) & ~declared] = PackagingStatus.REQUIRED
        lines = numpy.flatnonzero(declared)
        if not len(lines):
            return status
        material = enum_indices(product_line("packaging_material", period))[lines]
        found = numpy.full(len(lines), 0, dtype=numpy.int32)  # 0: no mistake yet (statuses are negative)
        found[row[lines] == Product.vehicle.index] = PackagingStatus.ON_VEHICLE
        found[(found == 0) & (row[lines] == Product.cable_products.index)] = PackagingStatus.ON_CABLE
        found[(found == 0) & PRICED_ON_PACKAGING[row[lines]]] = PackagingStatus.TWICE
        cells = product_line("packaging_customs_code", period)
        if has_text(cells):
            material = _material_of_code(period, cells, lines, material, found)
        found[(found == 0) & (material == UNSPECIFIED)] = PackagingStatus.MATERIAL_MISSING
        status[lines] = numpy.where(found == 0, ROW_OF_MATERIAL[material], found)
        return status


def _material_of_code(period, cells, lines, material, found) -> numpy.ndarray:
    """The material of each line ``lines`` read from its packaging's customs code (where given),
    and each mistake of that code into ``found`` (where it has none yet)."""
    codes, written, well_formed = customs_codes.normalise(customs_codes.as_strings(cells).take(lines))
    found[(found == 0) & written & ~well_formed] = PackagingStatus.CODE_MALFORMED
    try:
        row = customs_codes.rows_of(codes, period.start.date)
    except NotCovered:
        found[(found == 0) & written] = PackagingStatus.BEFORE_THE_LIST
        return material
    found[(found == 0) & written & (row == customs_codes.NOT_LISTED)] = PackagingStatus.CODE_NOT_LISTED
    of_code = numpy.where(row >= 0, MATERIAL_OF_ROW[numpy.maximum(row, 0)], UNSPECIFIED)
    found[(found == 0) & (row >= 0) & (of_code == UNSPECIFIED)] = PackagingStatus.NOT_PACKAGING_CODE
    declared = material != UNSPECIFIED
    found[(found == 0) & (row >= 0) & declared & (of_code != UNSPECIFIED) & (of_code != material)] = PackagingStatus.DISAGREES
    return numpy.where(declared, material, of_code).astype(numpy.int16)


class packaging_mass_grams(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "gram"
    label = "The mass of the packaging (packaging_mass_tonnes) held exactly in grams; -1 where missing, negative, finer than a gram or too large"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), item 5 and Appendix 1, rows 19-23."

    def formula(product_line, period, parameters):
        return held_exactly(product_line("packaging_mass_tonnes", period), MASS_DECIMALS)


class packaging_coefficient(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "/1"
    label = "Coefficient k of Appendix 1 for the line's packaging (its row 19-23); money.NOT_KNOWN where none applies or it is not known"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), item 5 and Appendix 1, rows 19-23."

    def formula(product_line, period, parameters):
        return per_row(parameters(period).goods.appendix_1, product_line("packaging_row", period))


class packaging_rate_per_tonne(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "currency-KZT"
    label = "Rate per tonne of the line's packaging in tenge: MRP × k, or the operator's rate before 17.01.2020; money.NOT_KNOWN where none applies or it is not known"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), item 5: S = m × MRP × k."

    def formula(product_line, period, parameters):
        return rate_per_tonne(parameters(period).goods, product_line("packaging_row", period),
                              product_line("packaging_coefficient", period), product_line("mrp", period))


class packaging_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = ("The packaging's part of the line's payment, m × MRP × k on packaging_mass_tonnes, in tiyn, rounded "
             "half up; 0 where no packaging is priced, -1 where its mass or rate is not held (epr_problem says why)")
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), item 5 and Appendix 1, rows 19-23."

    def formula(product_line, period, parameters):
        return amount_tiyn(product_line("packaging_mass_grams", period), MASS_DECIMALS,
                           product_line("packaging_rate_per_tonne", period), RATE_PER_TONNE_DECIMALS,
                           product_line("packaging_row", period) >= 0)

