"""The arithmetic of a line's payment, as the Method's variables make it: the rate of the line's
own item and the exact amounts before rounding, for the explanations to write out.

The rate is the goods' rate per tonne (item 5: ``goods_rate_per_tonne``), the share of the
invoice (item 5-1: ``cable_rate``) or the payment for one vehicle (chapter 2, item 9:
``vehicle_rate``); the exact amount is the quantity held exactly times that rate, which the
payment variables round half up to the tiyn (``goods_payment_tiyn``, ``cable_payment_tiyn``,
``vehicle_payment_tiyn``, ``packaging_payment_tiyn``). Under a reform these are the reformed
variables' values: an explanation shows the reform's figures.
"""

import numpy
from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.line_status import enum_indices, of_goods
from openfisca_kz_epr.money import (
    INVOICE_DECIMALS,
    MASS_DECIMALS,
    NOT_KNOWN,
    RATE_PER_TONNE_DECIMALS,
    RATE_PER_VEHICLE_DECIMALS,
    SHARE_DECIMALS,
    exact_amounts,
)
from openfisca_kz_epr.products import Product
from openfisca_kz_epr.variable_types import CheckedVariable, WideFloat

ITEMS = (  # the line's own item: its rate, its quantity held exactly and their fixed points
    ("goods_rate_per_tonne", RATE_PER_TONNE_DECIMALS, "mass_grams", MASS_DECIMALS),
    ("cable_rate", SHARE_DECIMALS, "invoice_value_tiyn", INVOICE_DECIMALS),
    ("vehicle_rate", RATE_PER_VEHICLE_DECIMALS, None, 0),
)


def own_items(product_line, period) -> list[numpy.ndarray]:
    """Per item of ``ITEMS``, the mask of the lines it prices (goods, cable, vehicle)."""
    row = enum_indices(product_line("appendix_1_row", period))
    return [of_goods(row) >= 0, row == Product.cable_products.index, row == Product.vehicle.index]


class line_rate(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    label = ("Rate of the line's own item: KZT per tonne (goods, item 5), share of the invoice (cable, item 5-1) or KZT "
             "per vehicle (chapter 2, item 9); NOT_KNOWN where none is known")
    reference = "https://zakon.uchet.kz/rus/history/V1500012753/05.12.2019"

    def formula(product_line, period, parameters):
        kinds = own_items(product_line, period)
        return numpy.select(kinds, [product_line(rate, period) if lines.any() else NOT_KNOWN
                                    for (rate, *_), lines in zip(ITEMS, kinds)], NOT_KNOWN)


class line_exact_payment(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = ("The payment of the line's own item before rounding, quantity × rate, as exact decimal text in tenge; '' "
             "where the quantity or the rate is not held")
    reference = "https://zakon.uchet.kz/rus/history/V1500012753/05.12.2019"

    def formula(product_line, period, parameters):
        exact = numpy.full(product_line.count, "", dtype=object)
        for (rate, rate_places, quantity, quantity_places), lines in zip(ITEMS, own_items(product_line, period)):
            if lines.any():
                held = product_line(quantity, period)[lines] if quantity else numpy.ones(lines.sum(), dtype=numpy.int64)
                exact[lines] = exact_amounts(held, quantity_places, product_line(rate, period)[lines], rate_places)
        return exact


class packaging_exact_payment(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = "The packaging's part before rounding, mass × rate per tonne, as exact decimal text in tenge; '' where none is priced"
    reference = "https://zakon.uchet.kz/rus/history/V1500012753/05.12.2019"

    def formula(product_line, period, parameters):
        exact = numpy.full(product_line.count, "", dtype=object)
        lines = product_line("packaging_row", period) >= 0
        if lines.any():
            exact[lines] = exact_amounts(product_line("packaging_mass_grams", period)[lines], MASS_DECIMALS,
                                         product_line("packaging_rate_per_tonne", period)[lines], RATE_PER_TONNE_DECIMALS)
        return exact
