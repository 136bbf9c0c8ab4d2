"""Cable and conduction products: item 5-1 of the Method, added by Order No. 110 of
20.04.2021: S_kpp = N × 0.05, N the value of the goods on the invoice, in tenge."""

from openfisca_kz_epr.law.tariffs.tariff import SHARE_OF_INVOICE, Tariff, unknown
from openfisca_kz_epr.law.values import legal_value

ITEM_5_1 = "S = N × rate, N the invoice value (the Method, item 5-1)"


def cable_tariff(parameters, day) -> Tariff:
    rate = legal_value(parameters.cable.rate, day)
    if not rate.known:
        return unknown(SHARE_OF_INVOICE, ITEM_5_1, (rate,), rate.why_unknown)
    return Tariff(SHARE_OF_INVOICE, ITEM_5_1, (rate,), rate.note if rate.value == 0 else None)
