"""The legal figures, typed in by hand from the sources of legislation_refs/ (the Method and its
amendments, the budget laws, the operator's coefficient table evidence_operator_ref_tn_code_2022),
for tests to compute expected payments independently of the package's parameters and code."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

D = datetime.date.fromisoformat

# §4: MRP from each date (the law's figures, including the mid-year changes).
MRP = [
    (D("2016-01-01"), 2121), (D("2017-01-01"), 2269), (D("2018-01-01"), 2405), (D("2019-01-01"), 2525),
    (D("2020-01-01"), 2651), (D("2020-04-01"), 2778), (D("2021-01-01"), 2917), (D("2022-01-01"), 3063),
    (D("2022-06-01"), 3180), (D("2023-01-01"), 3450), (D("2024-01-01"), 3692), (D("2025-01-01"), 3932),
    (D("2026-01-01"), 4325),
]

# §3: Appendix 1 coefficient k, rows 1-23 in order.
K = {
    "tyres": "14.15", "electric_accumulators": "56.25", "oils": "11.09", "special_fluids": "0",
    "paper_packaging": "1.76", "glass_packaging": "1.14", "polymer_packaging": "1.40", "metal_packaging": "0.20",
    "combined_packaging": "0.91", "plastic_products": "1.40", "printed_matter": "1.76", "paper_and_cardboard": "1.76",
    "primary_batteries": "0", "lamps": "0", "thermometers": "0", "eee_large": "0", "eee_medium": "0", "eee_small": "0",
    "packaged_goods_paper": "1.76", "packaged_goods_glass": "1.14", "packaged_goods_polymer": "1.40",
    "packaged_goods_metal": "0.20", "packaged_goods_combined": "0.91",
}
# The operator's table ref_tn_code (evidence_operator_ref_tn_code_2022), k from 11.01.2022: every
# row as above except lamps and the three sizes of electrical and electronic equipment (0 until
# 10.01.2022); combined-material packaging (rows 9 and 23) unknown. The same k from 16.01.2023.
K_FROM_2022 = {**K, "lamps": "47.21", "eee_large": "3.94", "eee_medium": "7.88", "eee_small": "16.3",
               "combined_packaging": None, "packaged_goods_combined": None}
OPERATOR_K_FROM = D("2022-01-11")
NEW_LIST_FROM = D("2023-01-16")  # Order 689: the same k (inferred)
# Goods of section 16 (goods in packaging) owe nothing on the goods: their packaging pays by its
# material, rows 19-23.
PACKAGING_ROW = {"paper": "packaged_goods_paper", "glass": "packaged_goods_glass", "polymer": "packaged_goods_polymer",
                 "metal": "packaged_goods_metal", "combined": "packaged_goods_combined"}

# §2: the operator's rates 2016-2020, tenge per kg (so ×1000 per tonne); every other goods row 0.
FLAT_PER_KG = {"tyres": 37, "electric_accumulators": 147, "oils": 29, "special_fluids": 10}

GOODS_CHARGED_FROM = D("2016-01-28")  # §0.2: up to 27.01.2016 inclusive owe nothing
ITEM_5_FROM = D("2020-01-17")  # Order 122
GOODS_LAST_DAY = D("2022-01-10")  # §0.1: Order 448 from 11.01.2022
CABLE_FROM = D("2021-06-01")  # Order 110, item 5-1: 5 % of the invoice
CABLE_RATE = Decimal("0.05")
CABLE_LAST_DAY = D("2022-05-23")  # the suspension's day is unknown after this (Order 183 signed 24.05.2022)

# §5: vehicle coefficients (left column 24.05.2019-13.05.2022, right column from 14.05.2022).
VEHICLES_FROM = D("2019-05-24")
HALVED_FROM = D("2022-05-14")
ORDER_54_FROM = D("2026-05-07")
M1_BANDS = [(1000, 3, "1.5"), (2000, 7, "3.5"), (3000, 10, "5"), (None, 23, "11.5")]  # upper bound inclusive
N_BANDS = [("2.5", 7, "3.5"), ("3.5", 15, "7.5"), ("5", 15, "7.5"), ("8", 16, "8"), ("12", 19, "9.5"),
           ("20", 21, "10.5"), ("50", 41, "20.5")]
BASE_RATE_MRP = 50


def mrp(day: datetime.date) -> int:
    return [value for start, value in MRP if start <= day][-1]


def half_up(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def goods_payment(day: datetime.date, product: str, mass: Decimal) -> Decimal:
    """The payment for ``mass`` tonnes of goods placed on the market on ``day`` (to 31.12.2026;
    combined-material packaging to 10.01.2022)."""
    if day < GOODS_CHARGED_FROM or product == "packaged_goods":
        return Decimal("0.00")
    if day < ITEM_5_FROM:
        return half_up(mass * FLAT_PER_KG.get(product, 0) * 1000)
    k = K_FROM_2022[product] if day >= OPERATOR_K_FROM else K[product]
    return half_up(mass * mrp(day) * Decimal(k))


def cable_payment(day: datetime.date, invoice: Decimal) -> Decimal:
    return half_up(invoice * CABLE_RATE) if day >= CABLE_FROM else Decimal("0.00")


def m1_payment(day: datetime.date, cm3: int) -> Decimal:
    """An M1 car with a combustion engine, 24.05.2019-06.05.2026."""
    for upper, before, after in M1_BANDS:
        if upper is None or cm3 <= upper:
            coefficient = Decimal(after) if day >= HALVED_FROM else Decimal(before)
            return half_up(BASE_RATE_MRP * mrp(day) * coefficient)


def n_payment(day: datetime.date, tonnes: Decimal) -> Decimal:
    """A goods vehicle (not a road tractor) of up to 50 t, 24.05.2019-06.05.2026."""
    for upper, before, after in N_BANDS:
        if tonnes <= Decimal(upper):
            coefficient = Decimal(after) if day >= HALVED_FROM else Decimal(before)
            return half_up(BASE_RATE_MRP * mrp(day) * coefficient)
