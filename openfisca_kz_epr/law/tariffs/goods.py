"""Goods (chapter 1 of the Method: Order 762, then from 11.01.2022 Order 448, whose text was not found).

From 17.01.2020, item 5 as amended by Order No. 122: S = m × MRP × k, m the mass in tonnes,
k the coefficient of Appendix 1 for the row of the goods. Before, items 3-6 of the original
text (wording not found) with the operator's published rates in tenge per tonne. Whichever
instrument has a value on the day decides: Appendix 1 from the day it is in force.
"""

from openfisca_kz_epr.law.tariffs.mrp import mrp_on
from openfisca_kz_epr.law.tariffs.tariff import PER_TONNE, Tariff, unknown
from openfisca_kz_epr.law.values import NotCovered, legal_value

ITEM_5 = "S = m × MRP × k (the Method, item 5; k from Appendix 1)"
FLAT_RATE = "S = m × rate per tonne (the Method's original items 3-6: the operator's published rates)"


def goods_tariff(parameters, day, product: str) -> Tariff:
    """The values that make the rate per tonne of the goods ``product`` (an Appendix 1 row key) on ``day``."""
    try:
        k = legal_value(parameters.goods.appendix_1.children[product], day)
    except NotCovered:
        return _operator_rate(parameters, day, product)
    if not k.known:
        return unknown(PER_TONNE, ITEM_5, (k,), k.why_unknown)
    mrp = mrp_on(parameters, day)
    if not mrp.known:
        return unknown(PER_TONNE, ITEM_5, (mrp, k), mrp.why_unknown)
    reason = k.note if k.value == 0 else None
    return Tariff(PER_TONNE, ITEM_5, (mrp, k), reason)


def _operator_rate(parameters, day, product: str) -> Tariff:
    rate = legal_value(parameters.goods.operator_rates.children[product], day)
    if not rate.known:
        return unknown(PER_TONNE, FLAT_RATE, (rate,), rate.why_unknown)
    return Tariff(PER_TONNE, FLAT_RATE, (rate,), rate.note if rate.value == 0 else None)
