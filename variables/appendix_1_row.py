"""Which row of Appendix 1 prices a goods line: the product it declares, or the row of its
customs code (ТН ВЭД) in the List of products under extended producer obligations.

The List (Order 695; from 16.01.2023 Order 689) names goods by customs code; the row of a
code is the one of the longest listed code that begins it (``customs_codes.rows_of``).
"""

import numpy
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.law import customs_codes
from openfisca_kz_epr.law.acts import urls
from openfisca_kz_epr.law.values import NotCovered
from openfisca_kz_epr.line_status import CodeStatus, enum_indices, given, has_text
from openfisca_kz_epr.products import PRICED_ON_PACKAGING, Product
from openfisca_kz_epr.variable_types import CheckedVariable

UNSPECIFIED = Product.unspecified.index
PACKAGED_GOODS = Product.packaged_goods.index


class customs_code_status(CheckedVariable):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    label = ("The row (a Product index) of the line's customs code, or why it has none: "
             "-1 no code, -2 not a customs code, -3 not in the List as known, -4 the day precedes the List, "
             "-5 the code and the declared product disagree")
    reference = urls("order_695_2015", "order_689_2022")
    documentation = "List of products under extended producer obligations: Order 695 (order_695_2015); from 16.01.2023 Order 689 (order_689_2022)."

    def formula(product_line, period, parameters):
        status = numpy.full(product_line.count, CodeStatus.NO_CODE, dtype=numpy.int32)
        if not given(product_line, "customs_code"):
            return status
        cells = product_line("customs_code", period)
        if not has_text(cells):
            return status
        codes, written, well_formed = customs_codes.normalise(cells)
        try:
            customs_codes.code_list_on(period.start.date)
        except NotCovered:
            status[written] = CodeStatus.BEFORE_THE_LIST
            return status
        row = customs_codes.rows_of(codes, period.start.date)
        status[written & ~well_formed] = CodeStatus.MALFORMED
        listed = written & well_formed
        status[listed & (row == customs_codes.NOT_LISTED)] = CodeStatus.NOT_LISTED
        found = listed & (row >= 0)
        product = enum_indices(product_line("product", period))
        agrees = (product == row) | ((row == PACKAGED_GOODS) & PRICED_ON_PACKAGING[product])
        status[found & (product != UNSPECIFIED) & ~agrees] = CodeStatus.DISAGREES
        ok = found & ((product == UNSPECIFIED) | agrees)
        status[ok] = row[ok]
        return status


class appendix_1_row(CheckedVariable):
    value_type = Enum
    possible_values = Product
    default_value = Product.unspecified
    entity = ProductLine
    definition_period = DAY
    label = ("What the line is priced as: its declared product, or the row of Appendix 1 its customs code "
             "names when it declares no product")
    reference = urls("order_762_2015", "order_695_2015", "order_689_2022")
    documentation = "Order 762 (order_762_2015), Appendix 1; List of products under extended producer obligations (order_695_2015, order_689_2022)."

    def formula(product_line, period, parameters):
        product = enum_indices(product_line("product", period))
        if not given(product_line, "customs_code"):
            return product
        code_row = product_line("customs_code_status", period)
        return numpy.where((product == UNSPECIFIED) & (code_row >= 0), code_row, product).astype(numpy.int16)
