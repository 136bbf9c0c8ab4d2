"""Money is exact: 100 000+ random lines priced by the package equal, to the tiyn, the same
payment computed line by line in Python's decimal from the legal figures typed into
tests/legal_figures.py: goods from 2016 to the end of 2026 (the operator's k from 11.01.2022), goods
with their packaging on the same line (two parts, each rounded), cable and vehicles."""

import datetime
from decimal import Decimal

import legal_figures as dossier
import numpy
import pytest

from openfisca_kz_epr.engine.bulk import compute
from openfisca_kz_epr.products import GOODS, PackagingMaterial, Product, VehicleCategory

N = 120_000
FIRST, LAST = dossier.D("2016-01-01"), dossier.D("2026-12-31")
COMBINED = [Product.combined_packaging.index, Product.packaged_goods_combined.index]
ROWS_19_23 = [Product[row].index for row in dossier.PACKAGING_ROW.values()]


def _random_lines(seed: int):
    rng = numpy.random.default_rng(seed)
    kind = rng.choice(["goods", "cable", "m1", "n"], size=N, p=[0.85, 0.05, 0.05, 0.05])
    # each kind on days it can be priced: goods to 10.01.2022, cable to 23.05.2022, vehicles 24.05.2019-06.05.2026
    first = numpy.where(numpy.isin(kind, ["m1", "n"]), numpy.datetime64(dossier.VEHICLES_FROM), numpy.datetime64(FIRST))
    last = numpy.select([kind == "goods", kind == "cable"], [numpy.datetime64(LAST), numpy.datetime64(dossier.CABLE_LAST_DAY)],
                        numpy.datetime64(dossier.ORDER_54_FROM) - 1)
    days = first + (rng.random(N) * ((last - first).astype(int) + 1)).astype(int)
    goods = numpy.array([p.index for p in GOODS])
    product = numpy.where(kind == "goods", rng.choice(goods, N), numpy.where(kind == "cable", Product.cable_products.index, Product.vehicle.index))
    # combined-material packaging has no known k from 11.01.2022: those lines take tyres instead
    unknown = numpy.isin(product, COMBINED) & (days >= numpy.datetime64(dossier.OPERATOR_K_FROM))
    product = numpy.where(unknown, Product.tyres.index, product)
    # a quarter of the goods lines carry their packaging (goods of section 16 always do; rows
    # 19-23 never: they are priced on their packaging already); its material is known on the day
    packed = (kind == "goods") & ((rng.random(N) < 0.25) | (product == Product.packaged_goods.index)) & ~numpy.isin(product, ROWS_19_23)
    materials = numpy.array([m.index for m in PackagingMaterial if m is not PackagingMaterial.unspecified])
    material = numpy.where(packed, rng.choice(materials, N), PackagingMaterial.unspecified.index)
    combined = (material == PackagingMaterial.combined.index) & (days >= numpy.datetime64(dossier.OPERATOR_K_FROM))
    material = numpy.where(combined, PackagingMaterial.polymer.index, material)
    packaging_grams = numpy.where(packed, rng.integers(0, 10**10 + 1, N), 0)
    # masses up to 1 000 000 t with up to 6 decimals (to the gram), some of them tiny
    grams = numpy.where(rng.random(N) < 0.5, rng.integers(0, 10**12 + 1, N), rng.integers(0, 10**4, N))
    invoice_tiyn = rng.integers(0, 10**13, N)  # up to 100 billion tenge
    lines = {
        "product": product.astype(numpy.int16),
        "mass_tonnes": numpy.where(kind == "goods", grams / 1e6, numpy.nan),
        "invoice_value": numpy.where(kind == "cable", invoice_tiyn / 100, numpy.nan),
        "vehicle_category": numpy.where(kind == "m1", VehicleCategory.m1.index, numpy.where(kind == "n", VehicleCategory.n.index, VehicleCategory.unspecified.index)).astype(numpy.int16),
        "engine_displacement_cm3": numpy.where(kind == "m1", rng.integers(600, 6000, N), numpy.nan).astype(float),
        "gross_vehicle_mass_tonnes": numpy.where(kind == "n", rng.integers(1, 500, N) / 10, numpy.nan),
        "engine_power_hp": numpy.full(N, numpy.nan),
        "is_electric": numpy.zeros(N, dtype=bool),
        "packaging_material": material.astype(numpy.int16),
        "packaging_mass_tonnes": numpy.where(packed, packaging_grams / 1e6, numpy.nan),
    }
    return days.astype("datetime64[D]"), kind, grams, invoice_tiyn, lines


def _expected(day, kind, product_index, grams, invoice_tiyn, cm3, tonnes, material, packaging_grams) -> Decimal:
    if kind == "goods":
        goods = dossier.goods_payment(day, list(Product)[product_index].name, Decimal(int(grams)).scaleb(-6))
        if material == PackagingMaterial.unspecified.index:
            return goods
        row = dossier.PACKAGING_ROW[list(PackagingMaterial)[material].name]
        return goods + dossier.goods_payment(day, row, Decimal(int(packaging_grams)).scaleb(-6))  # each part rounded
    if kind == "cable":
        return dossier.cable_payment(day, Decimal(int(invoice_tiyn)).scaleb(-2))
    if kind == "m1":
        return dossier.m1_payment(day, int(cm3))
    return dossier.n_payment(day, Decimal(repr(float(tonnes))))


@pytest.mark.parametrize("seed", [762])
def test_bulk_payments_equal_decimal_to_the_tiyn(tax_benefit_system, seed):
    days, kind, grams, invoice_tiyn, lines = _random_lines(seed)
    result = compute(tax_benefit_system, days, lines)
    assert result.ok.all(), result.problem[~result.ok][:5]
    mismatches = []
    for i in range(N):
        day = days[i].astype(datetime.date)
        expected = _expected(day, kind[i], lines["product"][i], grams[i], invoice_tiyn[i],
                             lines["engine_displacement_cm3"][i], lines["gross_vehicle_mass_tonnes"][i],
                             lines["packaging_material"][i], round(lines["packaging_mass_tonnes"][i] * 1e6)
                             if lines["packaging_material"][i] != PackagingMaterial.unspecified.index else 0)
        if Decimal(int(result.tiyn[i])).scaleb(-2) != expected:
            mismatches.append((str(day), kind[i], int(lines["product"][i]), int(grams[i]), int(result.tiyn[i]), str(expected)))
    assert not mismatches, f"{len(mismatches)} of {N} differ, e.g. {mismatches[:5]}"
    # the sample reaches the sizes that float32 cannot hold: fees above 16 777 216 tenge
    assert (result.tiyn > 2**24 * 100).sum() > 1000
    # and every version of the law: each legal period of the legal research has lines
    for boundary in ("2016-01-28", "2020-01-17", "2020-04-01", "2021-06-01", "2022-01-11", "2022-05-14", "2022-06-01",
                     "2023-01-16", "2024-01-01", "2025-01-01", "2026-01-01"):
        assert ((days >= numpy.datetime64(boundary)) & (days < numpy.datetime64(boundary) + 30)).sum() > 10
    # lines in two parts, both non-zero, from 11.01.2022 on
    two_parts = (result.packaging_tiyn > 0) & (result.tiyn > result.packaging_tiyn) & (days >= numpy.datetime64("2022-01-11"))
    assert two_parts.sum() > 1000


def test_epr_payment_float64_repr_is_the_exact_tenge(tax_benefit_system):
    """A fee of 16 408 125 000.00 KZT (float32 gives 16 408 125 440) comes out exact."""
    from openfisca_core.simulations import SimulationBuilder

    day = "2020-02-01"
    # 110 000 t of accumulators: 110000 * 2651 * 56.25 = 16 403 062 500.00; 1 000 000 t of tyres: 1000000 * 2651 * 14.15
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, {
        "product_lines": {
            "a": {"product": {day: "electric_accumulators"}, "mass_tonnes": {day: 110000}},
            "b": {"product": {day: "tyres"}, "mass_tonnes": {day: 1000000.000001}},
        },
        "producers": {"p": {"lines": ["a", "b"]}},
    })
    payments = simulation.calculate("epr_payment", day)
    assert repr(float(payments[0])) == "16403062500.0"  # 110000 * 2651 * 56.25
    # 1000000.000001 * 2651 * 14.15 = 37511650000.0375115 -> 37511650000.04
    assert Decimal(repr(float(payments[1]))) == Decimal("37511650000.04")
    total = simulation.calculate("producer_epr_payment", day)
    assert Decimal(repr(float(total[0]))) == Decimal("16403062500") + Decimal("37511650000.04")
