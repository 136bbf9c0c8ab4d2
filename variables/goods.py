"""Goods (chapter 1 of the Method): the coefficient k, the rate per tonne and the payment.

Item 5 of Order 762 as amended by Order No. 122 (from 17.01.2020), kept by Order 448 from
11.01.2022, as printed: «С = m × МРП × К» (order_122_2019), С the payment in tenge, m the mass of the goods in tonnes, MRP
the monthly calculation index, k the coefficient of Appendix 1 for the row of the goods.
Before 17.01.2020 the operator's published rates per tonne applied (items 3-6 of the original
text, whose wording was not found): ``goods.operator_rates``.
"""

import numpy
from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.law.acts import urls
from openfisca_kz_epr.law.parameter_lookup import per_row
from openfisca_kz_epr.line_status import enum_indices, of_goods
from openfisca_kz_epr.money import MASS_DECIMALS, NOT_KNOWN, RATE_PER_TONNE_DECIMALS, amount_tiyn, held_exactly, not_known
from openfisca_kz_epr.variable_types import WideFloat, WideInt


def goods_rows(product_line, period) -> numpy.ndarray:
    """Each line's row of Appendix 1 (a Product index) where it is goods priced per tonne (item 5),
    -1 for cable, a vehicle or no product."""
    return of_goods(enum_indices(product_line("appendix_1_row", period)))


def rate_per_tonne(goods, rows, k, mrp) -> numpy.ndarray:
    """The rate per tonne in tenge of each line's row ``rows``: MRP × k (item 5, from 17.01.2020)
    where k (``k``, per line) has a value on the day; else the operator's published rate of the
    row (``goods.operator_rates``, before 17.01.2020); ``NOT_KNOWN`` where neither has one (or the MRP
    is not known)."""
    before_item_5 = not_known(k)
    factors_known = ~before_item_5 & ~not_known(mrp)
    item_5 = numpy.where(factors_known, numpy.round(mrp * k, RATE_PER_TONNE_DECIMALS), NOT_KNOWN)  # the float nearest the exact decimal product
    if not before_item_5.any():
        return item_5
    return numpy.where(before_item_5, per_row(goods.operator_rates, numpy.where(before_item_5, rows, -1)), item_5)


class mass_grams(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "gram"
    label = "m, the mass of the goods (mass_tonnes) held exactly in grams; -1 where missing, negative, finer than a gram or too large (epr_problem says which)"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), item 5."

    def formula(product_line, period, parameters):
        return held_exactly(product_line("mass_tonnes", period), MASS_DECIMALS)


class goods_coefficient(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "/1"
    label = "Coefficient k of Appendix 1 for the line's goods (item 5); money.NOT_KNOWN before Appendix 1, where it is not known, or for a line that is not goods"
    reference = urls("order_762_2015", "order_122_2019", "evidence_operator_ref_tn_code_2022")
    documentation = ("Order 762 (order_762_2015), Appendix 1 (Order 122, order_122_2019, from 17.01.2020; from 11.01.2022 the operator's k, evidence_operator_ref_tn_code_2022). "
                     "Item 5 as printed (order_122_2019): «С = m × МРП × К»; К, the coefficient of Appendix 1 for the row of the goods.")

    def formula(product_line, period, parameters):
        return per_row(parameters(period).goods.appendix_1, goods_rows(product_line, period))


class goods_rate_per_tonne(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "currency-KZT"
    label = "Rate per tonne of the line's goods in tenge: MRP × k (item 5), or the operator's rate before 17.01.2020; money.NOT_KNOWN where not known"
    reference = urls("order_762_2015", "order_122_2019")
    documentation = ("Order 762 (order_762_2015), item 5 (Order 122, order_122_2019, from 17.01.2020); before: the operator's published rates. "
                     "Item 5 as printed (order_122_2019): «С = m × МРП × К»; per tonne, MRP × К.")

    def formula(product_line, period, parameters):
        return rate_per_tonne(parameters(period).goods, goods_rows(product_line, period),
                              product_line("goods_coefficient", period), product_line("mrp", period))


class goods_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = ("Payment for the line's goods, m × rate per tonne, in tiyn, rounded half up; 0 for a line that is not goods, "
             "-1 where the mass or the rate is not held (epr_problem says why)")
    reference = urls("order_762_2015")
    documentation = ("Order 762 (order_762_2015), item 5. "
                     "Item 5 as printed (order_122_2019): «С = m × МРП × К»; С, the payment in tenge; m, the mass of the goods "
                     "in tonnes. The operator rounds each line to the tiyn (evidence_operator_portal): half up, once per line.")

    def formula(product_line, period, parameters):
        return amount_tiyn(product_line("mass_grams", period), MASS_DECIMALS,
                           product_line("goods_rate_per_tonne", period), RATE_PER_TONNE_DECIMALS,
                           goods_rows(product_line, period) >= 0)
