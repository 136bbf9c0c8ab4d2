"""Cable and conduction products: item 5-1 of the Method, added by Order No. 110 of 20.04.2021:
S_kpp = N × 0.05, N the value of the goods on the invoice, in tenge; suspended, then excluded
(``parameters/cable/rate.yaml`` says from when)."""

from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.law.acts import urls
from openfisca_kz_epr.law.parameter_lookup import value_or_not_known
from openfisca_kz_epr.line_status import enum_indices
from openfisca_kz_epr.money import INVOICE_DECIMALS, SHARE_DECIMALS, amount_tiyn, held_exactly
from openfisca_kz_epr.products import Product
from openfisca_kz_epr.variable_types import WideFloat, WideInt


def cable_lines(product_line, period):
    return enum_indices(product_line("appendix_1_row", period)) == Product.cable_products.index


class cable_rate(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "/1"
    label = "Share of the invoice value owed for cable and conduction products (item 5-1); money.NOT_KNOWN where not known or not in force"
    reference = urls("order_762_2015", "order_110_2021")
    documentation = "Order 762 (order_762_2015), item 5-1 (Order No. 110 of 20.04.2021, order_110_2021)."

    def formula(product_line, period, parameters):
        cable = parameters(period).cable
        return product_line.filled_array(value_or_not_known(cable, "rate"))


class invoice_value_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = "N, the invoice value (invoice_value) held exactly in tiyn; -1 where missing, negative, finer than a tiyn or too large"
    reference = urls("order_762_2015")
    documentation = "Order 762 (order_762_2015), item 5-1."

    def formula(product_line, period, parameters):
        return held_exactly(product_line("invoice_value", period), INVOICE_DECIMALS)


class cable_payment_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = "Payment for cable and conduction products, N × rate, in tiyn, rounded half up; 0 for other lines, -1 where N or the rate is not held (epr_problem says why)"
    reference = urls("order_762_2015")
    documentation = ("Order 762 (order_762_2015), item 5-1. "
                     "Item 5-1 (order_110_2021; its Russian wording is not among the sources): S = N × 0.05, N the value "
                     "of the cable and conduction products on the invoice, in tenge.")

    def formula(product_line, period, parameters):
        return amount_tiyn(product_line("invoice_value_tiyn", period), INVOICE_DECIMALS,
                           product_line("cable_rate", period), SHARE_DECIMALS, cable_lines(product_line, period))
