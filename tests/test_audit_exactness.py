"""The audit is exact: 120 000 random declarations written as CSV text (masses up to 1 000 000 t
with up to 6 decimals, every product, every version of the law from 2016 to 2021, vehicles of
every category) come back with the expected payment that Python's decimal gives row by row
from the legal research's figures (tests/legal_figures.py and the vehicle rules below), to the tiyn; and
every status follows from that figure and the tolerance."""

import csv
import datetime
import random
from decimal import Decimal

import legal_figures as dossier
import numpy

from openfisca_kz_epr.audit.report import audit
from openfisca_kz_epr.money import times_rate
from openfisca_kz_epr.products import GOODS, Product

ROWS = 120_000
FIRST, LAST = dossier.D("2016-01-01"), dossier.D("2021-12-31")
TOLERANCE = Decimal("1.00")
COMBINES_FROM = dossier.D("2019-12-23")  # agri_machinery_2019: agricultural machinery in chapter 2
ELECTRIC_CARS_FROM = dossier.D("2021-06-04")  # §0.4: electric cars owe 0


def vehicle_payment(day: datetime.date, coefficient) -> Decimal:
    """Chapter 2: base rate 50 MRP × coefficient, once per vehicle (§2, §5)."""
    return dossier.half_up(dossier.BASE_RATE_MRP * dossier.mrp(day) * Decimal(coefficient))


def random_day(rng: random.Random, first: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((LAST - first).days + 1))


def decimal_text(units: int, places: int, rng: random.Random) -> str:
    """``units`` × 10^-places as text, written as declarants do: '12', '12.5', '12.500000'."""
    text = str(Decimal(units).scaleb(-places)) if places else str(units)
    if "." in text and rng.random() < 0.5:
        text = text.rstrip("0").rstrip(".")
    return text


def random_declaration(rng: random.Random, number: int):
    """One declaration (cells) and its payment by the legal research's arithmetic."""
    kind = rng.choices(["goods", "cable", "m1", "electric", "n", "tractor", "bus", "combine"], [80, 6, 5, 1, 4, 1, 1, 2])[0]
    cells = {"declaration_id": f"D{number}", "producer_id": f"P{rng.randrange(50)}"}
    if kind == "goods":
        day = random_day(rng, FIRST)
        product = rng.choice([g for g in GOODS if g is not Product.packaged_goods]).name  # packaging: test_exactness
        grams = int(10 ** rng.uniform(0, 12))  # to 1 000 000 t, by the gram
        cells.update(product=product, mass_tonnes=decimal_text(grams, 6, rng))
        expected = dossier.goods_payment(day, product, Decimal(grams).scaleb(-6))
    elif kind == "cable":
        day = random_day(rng, FIRST)
        tiyn = rng.randrange(10**13)
        cells.update(product="cable_products", invoice_value=decimal_text(tiyn, 2, rng))
        expected = dossier.cable_payment(day, Decimal(tiyn).scaleb(-2))
    elif kind == "m1":
        day = random_day(rng, dossier.VEHICLES_FROM)
        cm3 = rng.choice([1000, 2000, 3000, rng.randrange(500, 7000)])  # the bounds belong to the lower band
        cells.update(product="vehicle", vehicle_category="m1", engine_displacement_cm3=str(cm3))
        expected = dossier.m1_payment(day, cm3)
    elif kind == "electric":
        day = random_day(rng, ELECTRIC_CARS_FROM)
        cells.update(product="vehicle", vehicle_category="m1", is_electric=rng.choice(["true", "TRUE", "1", "yes"]))
        expected = Decimal("0.00")
    elif kind == "n":
        day = random_day(rng, dossier.VEHICLES_FROM)
        tenths = rng.choice([25, 35, 50, 80, 120, 200, 500, rng.randrange(1, 501)])
        cells.update(product="vehicle", vehicle_category="n", gross_vehicle_mass_tonnes=decimal_text(tenths, 1, rng))
        expected = dossier.n_payment(day, Decimal(tenths).scaleb(-1))
    elif kind == "tractor":  # §5: road tractors of 20-50 t, 11 until 13.05.2022
        day = random_day(rng, dossier.VEHICLES_FROM)
        tenths = rng.choice([201, 500, rng.randrange(201, 501)])
        cells.update(product="vehicle", vehicle_category="n_road_tractor", gross_vehicle_mass_tonnes=decimal_text(tenths, 1, rng))
        expected = vehicle_payment(day, 11)
    elif kind == "bus":  # §5: M2/M3 up to 2 500 cm³, 8 until 13.05.2022
        day = random_day(rng, dossier.VEHICLES_FROM)
        cm3 = rng.choice([2500, rng.randrange(800, 2501)])
        cells.update(product="vehicle", vehicle_category="m2_m3", engine_displacement_cm3=str(cm3))
        expected = vehicle_payment(day, 8)
    else:  # §5: combine harvesters over 400 hp, 90
        day = random_day(rng, COMBINES_FROM)
        hp = rng.randrange(401, 1000)
        cells.update(product="vehicle", vehicle_category="combine_harvester", engine_power_hp=str(hp))
        expected = vehicle_payment(day, 90)
    paid = max(Decimal(0), expected + rng.choice([Decimal(0), Decimal(rng.randrange(-150, 151)).scaleb(-2),
                                                  Decimal(rng.randrange(-10**8, 10**8)).scaleb(-2)]))
    cells.update(date=day.isoformat(), paid_amount=str(paid))
    return cells, expected, paid


def test_every_expected_payment_equals_decimal_to_the_tiyn(tmp_path, tax_benefit_system):
    rng = random.Random(2016)
    declarations = [random_declaration(rng, number) for number in range(ROWS)]
    source = tmp_path / "declarations.csv"
    header = ["declaration_id", "date", "producer_id", "product", "mass_tonnes", "invoice_value", "vehicle_category",
              "engine_displacement_cm3", "gross_vehicle_mass_tonnes", "engine_power_hp", "is_electric", "paid_amount"]
    with source.open("w", newline="") as file:
        writer = csv.DictWriter(file, header)
        writer.writeheader()
        writer.writerows(cells for cells, _, _ in declarations)

    report = tmp_path / "report.csv"
    audit(tax_benefit_system, source, report)

    mismatches = []
    with report.open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == ROWS
    for row, (cells, expected, paid) in zip(rows, declarations):
        difference = paid - expected
        status = "ok" if abs(difference) <= TOLERANCE else "underpaid" if difference < 0 else "overpaid"
        got = (row["declaration_id"], row["expected_payment"], row["difference"], row["status"])
        if got != (cells["declaration_id"], str(expected), str(difference), status) or not row["legal_basis"]:
            mismatches.append((cells, str(expected), row["expected_payment"], row["status"], row["error"]))
    assert not mismatches, f"{len(mismatches)} of {ROWS} differ, e.g. {mismatches[:3]}"

    expected = [e for _, e, _ in declarations]
    assert sum(e > 2**24 for e in expected) > 1000  # fees beyond float32's exact range
    assert sum(e >= 10**10 for e in expected) > 100  # and beyond ten billion tenge
    days = {cells["date"] for cells, _, _ in declarations}
    for boundary in ("2016-01-28", "2017-01-01", "2019-05-24", "2019-12-23", "2020-01-17", "2020-04-01", "2021-06-01", "2021-06-04"):
        assert boundary in days  # each version of the law has rows from its first day


def test_times_rate_equals_python_integers():
    """The int64 split product against Python's unbounded integers, at the sizes of the Method."""
    rng = numpy.random.default_rng(762)
    for divisor, quantity_max, rate_max in ((10**12, 10**15, 10**14), (10**6, 10**15, 10**8), (10**6, 2, 10**16), (10**5, 10**12, 10**9)):
        quantity = rng.integers(0, quantity_max, 50_000)
        rate = rng.integers(0, rate_max, 50_000)
        want = [(int(q) * int(r) + divisor // 2) // divisor for q, r in zip(quantity, rate)]
        assert times_rate(quantity, rate, divisor).tolist() == want
        for few in range(0, 40, 3):  # a few lines take another path (Python's integers): the same figures
            assert times_rate(quantity[:few], rate[:few], divisor).tolist() == want[:few]
        half = divisor // 2  # the rounding edge: q·r / divisor just below, at and just above one half
        for size in (3, 300):  # both paths
            edge = numpy.tile(numpy.array([half - 1, half, half + 1]), size // 3)
            assert times_rate(edge, numpy.ones_like(edge), divisor).tolist() == [0, 1, 1] * (size // 3)


def test_times_rate_of_rates_with_few_decimals():
    """Rates of the law have few decimals (14.15 × 3 692 KZT per tonne at 8 decimals ends in 7
    zeros): the product of a shortened rate, within int64, against Python's unbounded integers,
    at the rounding edge too, and where one rate has all its decimals (no shortening)."""
    rng = numpy.random.default_rng(448)
    for divisor, quantity_max, decimals in ((10**12, 10**15, 2), (10**12, 10**11, 8), (10**6, 10**9, 0), (10**12, 10**9, 5)):
        quantity = rng.integers(0, quantity_max, 50_000)
        rate = rng.integers(0, 10**7, 50_000) * 10 ** (8 - decimals)  # KZT per tonne to 8 decimals, `decimals` of them used
        for rates in (rate, numpy.concatenate([rate[:-1], [123456789123]])):  # the last: every decimal used
            want = [(int(q) * int(r) + divisor // 2) // divisor for q, r in zip(quantity, rates)]
            assert times_rate(quantity, rates, divisor).tolist() == want
    half = 10**12 // 2  # q·r / 10^12 just below, at and just above one half, with a rate of 10^8 (1 KZT per tonne)
    edge = numpy.tile(numpy.array([half // 10**8 * 10**8 - 1, half, half + 1]), 100)
    assert times_rate(edge, numpy.full(len(edge), 10**8), 10**12).tolist() == [
        (int(q) * 10**8 + half) // 10**12 for q in edge]
