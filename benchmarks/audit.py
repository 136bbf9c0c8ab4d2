"""Benchmark of ``kz-epr audit`` against other checkouts and a floor: the same work in plain
numpy and pyarrow with the same CSV I/O.

    python benchmarks/audit.py --rows 1000000 5000000 [--repeat N] [--baseline CHECKOUT ...]
                               [--memory-rows 10000000] [--workdir DIR] [--russian-locale]

For each size it generates N declarations across 2016-2021 (every product, some vehicles
of every category, some rows the law cannot price), then runs, each as its own process, paired
and alternated ``--repeat`` times: (a) ``kz-epr audit`` end to end, (b) the floor, (c) the audit
of each ``--baseline`` checkout (say 68b8962, or the commit before a change: ``git worktree add
../before HEAD~1``), run with this environment's packages. It prints for each the median and
range of the wall time, the processor time (user + system, all threads: fairer than wall time
on a shared machine) and the peak memory (maximum resident set size of the process alone), the
median and range of the paired ratios of the audit to each, and the load average. It checks
that every report gives every row the same expected payment, status, legal basis and
confidence (and the floor the same flags). ``--memory-rows`` runs the audit once on more rows
for its peak memory alone, printed as a ratio of the peak at the smallest size.

The floor does not import the package: the tariffs in force in each legal period are read
once from the package (the law is not copied here) and handed to it as a JSON table. It does
the audit's work with no check beyond it: parse, look up, multiply exactly, reconcile, the same
24 report columns (the error rows named by their line, the goods and packaging parts, the four
flags: kilograms, the repeated-id check across the whole file, VIN, code/product), the look at
each carried cell's first byte (formula-like cells), and the same two threads reading the next
chunk and writing the last one while this one is priced.

Every command runs with its modules compiled once (``PYTHONPYCACHEPREFIX`` in the work folder,
after a warm-up run on 1 000 rows), as an installed package does, not at every start.

``--russian-locale`` also audits the same rows written as 1C or Excel in a Russian locale
write them (``;`` between cells, decimal commas, DD.MM.YYYY days, Russian column names,
Windows-1251), alternated with the others; both reports must agree on every row.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy
import pyarrow
import pyarrow.compute as pc
import pyarrow.csv

FIRST_DAY, LAST_DAY = numpy.datetime64("2016-01-01"), numpy.datetime64("2021-12-31")
READ_BLOCK = 1 << 20  # as openfisca_kz_epr.audit.report
CHUNK_ROWS = 1 << 18
HEADER = ("declaration_id", "date", "producer_id", "product", "mass_tonnes", "invoice_value", "vehicle_category",
          "engine_displacement_cm3", "gross_vehicle_mass_tonnes", "engine_power_hp", "is_electric", "paid_amount")
STATUSES = ("ok", "underpaid", "overpaid", "error")
TOLERANCE_TIYN = 100
_TENGE = pyarrow.decimal128(38, 2)


# --- the law's tariffs per legal period, read from the package (parent process only) ---------

def tariff_tables() -> dict:
    """Every tariff in force in each legal period from 2016 to 2021, as plain numbers."""
    from openfisca_kz_epr import CountryTaxBenefitSystem
    from openfisca_kz_epr.engine.bulk import legal_period_starts
    from openfisca_kz_epr.law.tariffs.day import tariffs_on
    from openfisca_kz_epr.law.tariffs.vehicles import category_tariffs, electric_tariff
    from openfisca_kz_epr.law.values import NotCovered
    from openfisca_kz_epr.money import scaled_int
    from openfisca_kz_epr.products import Product, VehicleCategory

    tax_benefit_system = CountryTaxBenefitSystem()
    parameters = tax_benefit_system.parameters
    starts = [s for s in legal_period_starts(tax_benefit_system) if s <= LAST_DAY]

    def plain(tariff):
        if tariff is None or not tariff.known or tariff is goods_in_packaging(day):
            return None  # goods in packaging need their packaging, which these declarations do not give: errors
        basis = tariff.basis
        rate = math.prod(value.value for value in tariff.values)  # the floor's own arithmetic: every formula is this product
        return {"rate": scaled_int(rate, basis.rate_places), "places": basis.quantity_places + basis.rate_places - 2,
                "quantity": basis.quantity, "quantity_places": basis.quantity_places,
                "legal_basis": ";".join(tariff.acts), "confidence": tariff.confidence}

    def goods_in_packaging(day):
        products = list(Product)
        return tariffs_on(parameters, day)[products.index(Product.packaged_goods)] if "packaged_goods" in Product.__members__ else None

    periods = []
    for start in starts:
        day = start.astype(object)
        vehicles = {}
        for category in VehicleCategory:
            if category is VehicleCategory.unspecified:
                continue
            try:
                scale = category_tariffs(parameters, day, category.name)
            except NotCovered:
                continue
            electric = electric_tariff(parameters, day, category.name)
            vehicles[category.index] = {"band_by": scale.band_by, "thresholds": [float(t) for t in scale.thresholds],
                                        "bands": [plain(t) for t in scale.tariffs], "electric": plain(electric)}
        periods.append({"start": str(start), "products": [plain(t) for t in tariffs_on(parameters, day)], "vehicles": vehicles})
    return {"periods": periods, "products": [p.name for p in Product], "categories": [c.name for c in VehicleCategory],
            "vehicle": Product.vehicle.index}


# --- the floor: the same formulas in plain numpy ---------------------------------------------

def times_rate(quantity, rate, places: int):
    """round_half_up(quantity × rate / 10**places) exactly in int64 (both split in base 10**(places/2))."""
    if places % 2:
        rate, places = rate * 10, places + 1
    base = 10 ** (places // 2)
    q1, q0 = numpy.divmod(quantity, base)
    r1, r0 = numpy.divmod(rate, base)
    high, low = numpy.divmod(q1 * r0 + q0 * r1, base)
    return q1 * r1 + high + (low * base + q0 * r0 + base * base // 2) // (base * base)


def expected_payments(tables: dict, days, product, category, values: dict):
    """Per row: tiyn, priced, index of its tariff in the flat list ``tariffs`` (-1: none), tariffs."""
    size = len(days)
    starts = numpy.array([p["start"] for p in tables["periods"]], dtype="datetime64[D]")
    period = numpy.searchsorted(starts, days, side="right") - 1
    tiyn = numpy.zeros(size, dtype=numpy.int64)
    which = numpy.full(size, -1)
    tariffs = []

    def price(rows, tariff):
        if tariff is None or not len(rows):
            return
        if tariff["quantity"] is None:
            quantity = numpy.ones(len(rows), dtype=numpy.int64)
        else:
            quantity = numpy.rint(values[tariff["quantity"]][rows] * 10.0 ** tariff["quantity_places"]).astype(numpy.int64)
        tiyn[rows] = times_rate(quantity, numpy.int64(tariff["rate"]), tariff["places"])
        which[rows] = len(tariffs)
        tariffs.append(tariff)

    order = numpy.argsort(period * 64 + product, kind="stable")
    keys = (period * 64 + product)[order]
    bounds = numpy.flatnonzero(numpy.diff(keys)) + 1
    for rows in numpy.split(order, bounds):
        if not len(rows):
            continue
        p, code = period[rows[0]], product[rows[0]]
        entry = tables["periods"][p]
        if code != tables["vehicle"]:
            price(rows, entry["products"][code])
            continue
        for cat, scale in entry["vehicles"].items():
            of_category = rows[category[rows] == int(cat)]
            electric = values["is_electric"][of_category]
            price(of_category[electric], scale["electric"])
            combustion = of_category[~electric]
            band = numpy.searchsorted(numpy.array(scale["thresholds"]), values[scale["band_by"]][combustion], side="left") - 1
            for index, tariff in enumerate(scale["bands"]):
                price(combustion[band == index], tariff)
    return tiyn, which >= 0, which, tariffs


FLAGS = ("flag_kilograms", "flag_repeated_id", "flag_repeated_vin", "flag_code_product")
_THOUSANDTH = "what was paid is 1/1 000 of the law's figure: a mass in kilograms declared in tonnes?"  # the audit's words
_THOUSAND = "what was paid is 1 000 times the law's figure: a mass in tonnes declared in kilograms?"
_RISKY = numpy.zeros(256, dtype=bool)
_RISKY[list(b"=+-@\t\r")] = True


def floor(source: str, destination: str, tables_path: str) -> None:
    """Read, price, reconcile, flag and write ``source`` as the audit does (the same 24 columns,
    the same flags, the next chunk read and the last one written in two threads while this one is
    priced), with no per-row checks beyond those."""
    tables = json.loads(Path(tables_path).read_text())
    reader = pyarrow.csv.open_csv(source, read_options=pyarrow.csv.ReadOptions(block_size=READ_BLOCK),
                                  parse_options=pyarrow.csv.ParseOptions(newlines_in_values=True),
                                  convert_options=pyarrow.csv.ConvertOptions(column_types={name: pyarrow.string() for name in HEADER}))
    chunks, seen, writer = _chunks(reader), {"declaration_id": [], "vin": []}, []
    first_line = 2
    with ThreadPoolExecutor(max_workers=2) as io:
        reading, writing = io.submit(next, chunks, None), None
        while (batch := reading.result()) is not None:
            reading = io.submit(next, chunks, None)
            priced = _priced(tables, batch)
            if writing:
                writing.result()
            writing = io.submit(_floor_write, writer, destination, batch, priced, seen, first_line)
            first_line += batch.num_rows
        if writing:
            writing.result()
    writer[0].close()


def _priced(tables: dict, batch: pyarrow.Table) -> tuple:
    """(tiyn, priced, paid, status, tariff of each row, the tariffs) of one chunk."""
    def number(name):
        return pc.cast(pc.if_else(pc.equal(batch.column(name), ""), pyarrow.scalar(None, pyarrow.string()), batch.column(name)), pyarrow.float64()).to_numpy(zero_copy_only=False)

    days = pc.cast(batch.column("date"), pyarrow.date32()).to_numpy(zero_copy_only=False)
    product = pc.index_in(batch.column("product"), value_set=pyarrow.array(tables["products"])).to_numpy(zero_copy_only=False)
    category = pc.fill_null(pc.index_in(batch.column("vehicle_category"), value_set=pyarrow.array(tables["categories"])), -1).to_numpy(zero_copy_only=False)
    values = {name: number(name) for name in HEADER[4:10] if name not in ("vehicle_category",)}
    values["is_electric"] = pc.equal(batch.column("is_electric"), "true").to_numpy(zero_copy_only=False)
    tiyn, priced, which, tariffs = expected_payments(tables, days, product, category, values)
    paid = numpy.rint(number("paid_amount") * 100).astype(numpy.int64)
    difference = paid - tiyn
    status = numpy.select([~priced, difference < -TOLERANCE_TIYN, difference > TOLERANCE_TIYN], [3, 1, 2], 0)
    return tiyn, priced, paid, status, which, tariffs


def _floor_write(writer: list, destination: str, batch: pyarrow.Table, priced_chunk: tuple, seen: dict, first_line: int) -> None:
    """Flag and write one chunk (in the I/O thread)."""
    tiyn, priced, paid, status, which, tariffs = priced_chunk
    size = batch.num_rows
    lookup = numpy.where(priced, which, len(tariffs))
    basis = pyarrow.array([t["legal_basis"] for t in tariffs] + [""])
    confidence = pyarrow.array([t["confidence"] for t in tariffs] + [""])
    lines = pc.cast(pyarrow.array(numpy.arange(first_line, first_line + size)), pyarrow.string())
    error = pc.if_else(pyarrow.array(priced), "", pc.binary_join_element_wise("line ", lines, ": no tariff", ""))
    known = priced & (tiyn > 0) & (paid > 0)
    thousandth = known & (tiyn >= 100_000) & (numpy.abs(paid * 1000 - tiyn) <= 1000)
    thousand = known & (paid >= 100_000) & (tiyn < 2**50) & (numpy.abs(paid - tiyn * 1000) <= 1000)
    kilograms = pc.if_else(pyarrow.array(thousand), _THOUSAND, pc.if_else(pyarrow.array(thousandth), _THOUSANDTH, ""))
    repeated = [_repeats(seen[name], batch.column(name) if name in batch.column_names else None, size, first_line, name)
                for name in ("declaration_id", "vin")]
    carried = [_neutralised(column) for column in batch.columns]
    zero = numpy.zeros(size, dtype=numpy.int64)
    report = pyarrow.Table.from_arrays(
        [*carried, tenge(tiyn, priced), tenge(paid - tiyn, priced), pc.take(pyarrow.array(STATUSES), status), error,
         pc.take(basis, lookup), pc.take(confidence, lookup), tenge(tiyn, priced), tenge(zero, priced),
         kilograms, *repeated, pyarrow.array([""] * size)],
        names=[*batch.column_names, "expected_payment", "difference", "status", "error", "legal_basis", "confidence",
               "goods_payment", "packaging_payment", *FLAGS])
    if not writer:
        writer.append(pyarrow.csv.CSVWriter(destination, report.schema))
    writer[0].write_table(report)


def _neutralised(cells):
    """The audit's look at each carried cell's first byte (a formula-like cell is rare: then prefixed with ')."""
    for chunk in cells.chunks:
        offsets = numpy.frombuffer(chunk.buffers()[1], dtype=numpy.int32)[chunk.offset:chunk.offset + len(chunk)]
        data = numpy.frombuffer(chunk.buffers()[2], dtype=numpy.uint8) if chunk.buffers()[2] is not None else numpy.zeros(1, numpy.uint8)
        if len(data) and _RISKY[data[numpy.minimum(offsets, len(data) - 1)]].any():
            return pc.if_else(pc.starts_with(cells, "="), pc.binary_join_element_wise("'", cells, ""), cells)
    return cells


def _repeats(segments: list, cells, size: int, first_line: int, name: str) -> pyarrow.Array:
    """The repeated-id flag of one chunk: each id's 64-bit print (ids of at most 15 bytes: their
    bytes as two words), looked up in the sorted prints of the chunks before; equal prints
    compared as text."""
    if cells is None:
        return pyarrow.array([""] * size)
    cells = cells.combine_chunks()
    lengths = pc.binary_length(cells).to_numpy(zero_copy_only=False)
    assert lengths.max(initial=0) <= 15, "the floor's prints are for ids of at most 15 bytes"
    padded = pc.binary_slice(pc.binary_join_element_wise(pc.cast(cells, pyarrow.binary()), pyarrow.scalar(b"\x00" * 16), b""), 0, 16)
    words = numpy.frombuffer(padded.buffers()[2], dtype=numpy.uint64)[:2 * size].reshape(-1, 2)
    prints = (words[:, 0] * numpy.uint64(0x9E3779B97F4A7C15)) ^ words[:, 1] ^ lengths.astype(numpy.uint64)
    order = numpy.argsort(prints)
    if pc.any(pc.equal(cells, "")).as_py():  # an empty id repeats nothing
        order = order[pc.not_equal(cells, "").to_numpy(zero_copy_only=False)[order]]
    ordered = prints[order]
    suspect = numpy.zeros(len(order), dtype=bool)
    suspect[1:] = ordered[1:] == ordered[:-1]
    suspect[:-1] |= suspect[1:]
    for seen, _, _ in segments:
        at = numpy.minimum(numpy.searchsorted(seen, ordered), len(seen) - 1)
        suspect |= seen[at] == ordered
    flagged: dict[int, str] = {}
    firsts: dict[str, int] = {}
    for row in numpy.sort(order[suspect]).tolist():  # none in the generated file: every id differs
        value = cells[row].as_py()
        line = next((int(lines[at]) for seen, values, lines in segments for at in numpy.flatnonzero(seen == prints[row]).tolist()
                     if values[at].as_py() == value), firsts.get(value))
        firsts.setdefault(value, first_line + row)
        if line is not None:
            flagged[row] = f"{name} {value!r} is also on line {line}"
    kept = order[~numpy.isin(order, list(flagged))]
    segments.append((prints[kept], cells.take(pyarrow.array(kept)), kept + first_line))
    if not flagged:
        return pc.fill_null(pyarrow.nulls(size, pyarrow.string()), "")
    words = numpy.full(size, "", dtype=object)
    words[list(flagged)] = list(flagged.values())
    return pyarrow.array(words, pyarrow.string())


def tenge(tiyn, valid):
    words = numpy.empty((len(tiyn), 2), dtype=numpy.int64)
    words[:, 0], words[:, 1] = tiyn, tiyn >> 63
    return pyarrow.Array.from_buffers(_TENGE, len(tiyn), [pyarrow.array(valid).buffers()[1], pyarrow.py_buffer(words)])


def _chunks(reader):
    batches, count = [], 0
    for batch in reader:
        batches.append(batch)
        count += batch.num_rows
        if count >= CHUNK_ROWS:
            yield pyarrow.Table.from_batches(batches)
            batches, count = [], 0
    if batches:
        yield pyarrow.Table.from_batches(batches)


# --- synthetic declarations ------------------------------------------------------------------

def generate(path: Path, rows: int, tables: dict, seed: int = 2016, block: int = 1_000_000) -> None:
    """``rows`` declarations across 2016-2021: every goods product, cable, and vehicles of every
    category (some before 24.05.2019, whose coefficients are unknown: errors); 85 % paid right,
    the rest within the tolerance, under or over."""
    rng = numpy.random.default_rng(seed)
    writer = None
    for first in range(0, rows, block):
        size = min(block, rows - first)
        table = _declarations(rng, first, size, tables)
        if writer is None:
            writer = pyarrow.csv.CSVWriter(str(path), table.schema, write_options=pyarrow.csv.WriteOptions(quoting_style="none"))
        writer.write_table(table)
    writer.close()


def _declarations(rng, first: int, size: int, tables: dict) -> pyarrow.Table:
    span = int((LAST_DAY - FIRST_DAY).astype(int)) + 1
    days = FIRST_DAY + rng.integers(0, span, size)
    kind = rng.random(size)
    vehicle_code, cable_code = tables["vehicle"], tables["vehicle"] - 1
    product = numpy.where(kind < 0.90, rng.integers(0, cable_code, size), numpy.where(kind < 0.94, cable_code, vehicle_code))
    vehicle = product == vehicle_code
    category = numpy.where(vehicle, rng.choice(5, size, p=[0.6, 0.2, 0.08, 0.07, 0.05]), -1)  # m1, n, road tractor, bus, combine
    electric = vehicle & (category == 0) & (rng.random(size) < 0.1)
    grams = numpy.where(product < cable_code, (10.0 ** rng.uniform(0, 12, size)).astype(numpy.int64), -1)
    invoice_tiyn = numpy.where(product == cable_code, rng.integers(1, 10**11, size), -1)
    cm3 = numpy.where(vehicle & numpy.isin(category, [0, 3]) & ~electric, rng.integers(600, 6000, size), -1)
    tenths = numpy.where(vehicle & numpy.isin(category, [1, 2]), rng.integers(10, 500, size), -1)
    hp = numpy.where(vehicle & (category == 4), rng.integers(100, 700, size), -1)
    values = {
        "mass_tonnes": numpy.where(grams >= 0, grams / 1e6, numpy.nan),
        "invoice_value": numpy.where(invoice_tiyn >= 0, invoice_tiyn / 100, numpy.nan),
        "engine_displacement_cm3": numpy.where(cm3 >= 0, cm3, numpy.nan),
        "gross_vehicle_mass_tonnes": numpy.where(tenths >= 0, tenths / 10, numpy.nan),
        "engine_power_hp": numpy.where(hp >= 0, hp, numpy.nan),
        "is_electric": electric,
    }
    tiyn, priced, _, _ = expected_payments(tables, days, product, category, values)
    share = rng.random(size)
    paid = tiyn + numpy.select([share < 0.85, share < 0.90, share < 0.95],
                               [0, rng.integers(-100, 101, size), -rng.integers(101, 10**8, size)], rng.integers(101, 10**8, size))
    paid = numpy.where(priced, numpy.maximum(paid, 0), rng.integers(0, 10**8, size))
    return pyarrow.table({
        "declaration_id": pc.binary_join_element_wise("D", pc.cast(pyarrow.array(numpy.arange(first, first + size)), pyarrow.string()), ""),
        "date": pc.cast(pyarrow.array(days.astype("datetime64[D]")), pyarrow.string()),
        "producer_id": pc.binary_join_element_wise("P", pc.cast(pyarrow.array(rng.integers(1, 2001, size)), pyarrow.string()), ""),
        "product": pc.take(pyarrow.array(tables["products"]), pyarrow.array(product)),
        "mass_tonnes": _decimal_text(grams, 6),
        "invoice_value": _decimal_text(invoice_tiyn, 2),
        "vehicle_category": pc.fill_null(pc.take(pyarrow.array(tables["categories"]), pyarrow.array(category, mask=category < 0)), ""),
        "engine_displacement_cm3": _decimal_text(cm3, 0),
        "gross_vehicle_mass_tonnes": _decimal_text(tenths, 1),
        "engine_power_hp": _decimal_text(hp, 0),
        "is_electric": pyarrow.array(numpy.where(electric, "true", "")),
        "paid_amount": _decimal_text(paid, 2),
    })


def _decimal_text(units, places: int) -> pyarrow.Array:
    """Non-negative integers of 10**-places as decimal text ('' for -1), trailing zeros dropped."""
    whole = pc.cast(pyarrow.array(units // 10**places), pyarrow.string())
    if places:
        fraction = pc.utf8_rtrim(pc.utf8_lpad(pc.cast(pyarrow.array(units % 10**places), pyarrow.string()), places, "0"), "0")
        whole = pc.if_else(pc.equal(fraction, ""), whole, pc.binary_join_element_wise(whole, fraction, "."))
    return pc.if_else(pyarrow.array(units < 0), "", whole)


# --- measuring -------------------------------------------------------------------------------

# Run by a small Python of its own, so that the peak memory measured is the command's alone
# (a child forked from this process, which holds the generated data, would count its memory too).
_MEASURE = """import json, os, sys, time
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ)
_, status, usage = os.wait4(pid, 0)
print(json.dumps([time.perf_counter() - start, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)]))
"""


RUSSIAN_NAMES = {"declaration_id": "Номер декларации", "date": "Дата ввоза", "producer_id": "БИН", "product": "Продукция",
                 "mass_tonnes": "Масса, т", "invoice_value": "Стоимость по счет-фактуре", "vehicle_category": "Категория ТС",
                 "engine_displacement_cm3": "Объем двигателя", "gross_vehicle_mass_tonnes": "Полная масса, т",
                 "engine_power_hp": "Мощность двигателя", "is_electric": "Электромобиль", "paid_amount": "Сумма оплаты"}


def russian_locale_copy(source: Path, target: Path) -> None:
    """``source`` (the model's CSV) as a Russian-locale export: ``;``, decimal commas,
    DD.MM.YYYY, the column names of ``RUSSIAN_NAMES``, Windows-1251."""
    table = pyarrow.csv.read_csv(source, convert_options=pyarrow.csv.ConvertOptions(
        column_types=dict.fromkeys(RUSSIAN_NAMES, pyarrow.string())))
    columns = []
    for name in table.column_names:
        cells = table.column(name)
        if name == "date":
            cells = pc.replace_substring_regex(cells, r"^(\d{4})-(\d{2})-(\d{2})$", r"\3.\2.\1")
        elif name not in ("declaration_id", "producer_id", "product", "vehicle_category", "is_electric"):
            cells = pc.replace_substring(cells, ".", ",")
        columns.append(cells)
    renamed = pyarrow.table(columns, names=[RUSSIAN_NAMES[name] for name in table.column_names])
    sink = pyarrow.BufferOutputStream()
    pyarrow.csv.write_csv(renamed, sink, pyarrow.csv.WriteOptions(delimiter=";", quoting_style="none"))
    target.write_bytes(sink.getvalue().to_pybytes().decode("utf-8").encode("cp1251"))


def measure(command: list[str]) -> tuple[float, float, float]:
    """Wall time (s), peak resident memory (MiB) and processor time (s, user + system, all
    threads) of ``command`` run as its own process."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True).stdout
    elapsed, peak, cpu, code = json.loads(out)
    if code:
        raise SystemExit(f"{' '.join(command)} exited with {code}")
    return elapsed, peak, cpu


def same_results(report: Path, other: Path, columns=("expected_payment", "status", "legal_basis", "confidence")) -> int:
    """The number of rows, after checking both reports agree on every one of ``columns``."""
    options = pyarrow.csv.ConvertOptions(include_columns=list(columns), column_types=dict.fromkeys(columns, pyarrow.string()))
    ours = pyarrow.csv.read_csv(report, convert_options=options)
    theirs = pyarrow.csv.read_csv(other, convert_options=options)
    for column in columns:
        if not ours.column(column).equals(theirs.column(column)):
            raise SystemExit(f"the audit and {other.name} disagree on {column}")
    return ours.num_rows


# Another checkout's audit, run with this environment's packages: its folder goes first on the path.
_BASELINE = """import sys
sys.path.insert(0, sys.argv.pop(1))
from openfisca_kz_epr.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _spread(runs: list[float]) -> str:
    return f"{statistics.median(runs):6.2f} ({min(runs):.2f}-{max(runs):.2f})"


def _ratios(ours: list[tuple], theirs: list[tuple], field: int) -> str:
    """The median of the paired runs' ratios (ours / theirs) of ``field`` and their range."""
    ratios = [a[field] / b[field] for a, b in zip(ours, theirs)]
    return f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="paired runs of each command (default 3): medians and ranges")
    parser.add_argument("--workdir", type=Path, help="where the CSV files go (default: a temporary folder, removed)")
    parser.add_argument("--baseline", type=Path, metavar="CHECKOUT", action="append", default=[],
                        help="also time the audit of this checkout (e.g. the commit before); may be given several times")
    parser.add_argument("--memory-rows", type=int, nargs="*", default=[], metavar="N",
                        help="also run the audit once on N rows for its peak memory alone (e.g. 10000000)")
    parser.add_argument("--russian-locale", action="store_true", help="also audit the rows as a Russian-locale export")
    parser.add_argument("--floor", nargs=3, metavar=("IN", "OUT", "TABLES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor(*args.floor)
        return
    with tempfile.TemporaryDirectory() as temporary:
        workdir = args.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        # what an installed package runs: its modules compiled once (into a folder of this run's,
        # so that no checkout is written to), not at every start
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
        tables = tables_of(workdir)
        tables_path = workdir / "tariffs.json"
        kz_epr = Path(sys.executable).with_name("kz-epr")
        peaks = {}

        def commands(data: Path, rows: int) -> dict[str, list[str]]:
            found = {"audit": [str(kz_epr), "audit", str(data), "-o", str(workdir / f"report_{rows}.csv"), "--quiet"],
                     "floor": [sys.executable, str(Path(__file__).resolve()), "--floor", str(data),
                               str(workdir / f"floor_{rows}.csv"), str(tables_path)]}
            for number, checkout in enumerate(args.baseline):
                found[f"baseline {checkout.name}"] = [sys.executable, "-c", _BASELINE, str(checkout.resolve()), "audit", str(data),
                                                      "-o", str(workdir / f"baseline{number}_{rows}.csv"), "--quiet"]
            if args.russian_locale:
                found["Russian locale"] = [str(kz_epr), "audit", str(workdir / f"russian_{rows}.csv"), "-o",
                                           str(workdir / f"russian_report_{rows}.csv"), "--quiet"]
            return found

        warm = workdir / "declarations_1000.csv"
        generate(warm, 1000, tables)
        for name, command in commands(warm, 1000).items():  # compiles each checkout's modules once
            if name != "Russian locale":
                measure(command)
        for rows in args.rows:
            data = workdir / f"declarations_{rows}.csv"
            generate(data, rows, tables)
            if args.russian_locale:
                russian_locale_copy(data, workdir / f"russian_{rows}.csv")
            runs: dict[str, list] = {name: [] for name in commands(data, rows)}
            loads = []
            for _ in range(args.repeat):  # paired and alternated, so that all see the same load of the machine
                for name, command in commands(data, rows).items():
                    runs[name].append(measure(command))
                loads.append(os.getloadavg()[0])
            report = workdir / f"report_{rows}.csv"
            checked = same_results(report, workdir / f"floor_{rows}.csv",
                                   ("expected_payment", "status", "legal_basis", "confidence", "flag_kilograms", "flag_repeated_id"))
            print(f"{rows} rows ({data.stat().st_size / 2**20:.0f} MiB of CSV), {args.repeat} paired runs, load average "
                  f"{min(loads):.2f}-{max(loads):.2f}; the reports agree on all {checked} rows")
            print("  (median, range)     wall s               cpu s                peak MiB")
            for name, measured in runs.items():
                print(f"  {name:20s} {_spread([m[0] for m in measured])}  {_spread([m[2] for m in measured])}  "
                      f"{_spread([m[1] for m in measured])}")
            for name, measured in runs.items():
                if name == "audit":
                    continue
                if name.startswith("baseline"):
                    same_results(report, Path(commands(data, rows)[name][-2]))
                print(f"  audit / {name:20s} wall {_ratios(runs['audit'], measured, 0)}  cpu {_ratios(runs['audit'], measured, 2)}  "
                      f"peak {_ratios(runs['audit'], measured, 1)}")
            peaks[rows] = statistics.median(m[1] for m in runs["audit"])
            for path in workdir.glob(f"*_{rows}.csv"):
                path.unlink()
        for rows in args.memory_rows:
            data = workdir / f"declarations_{rows}.csv"
            generate(data, rows, tables)
            elapsed, peaks[rows], cpu = measure(commands(data, rows)["audit"])
            print(f"{rows} rows, the audit alone: {elapsed:.2f} s, cpu {cpu:.2f} s, peak {peaks[rows]:.0f} MiB "
                  f"(load average {os.getloadavg()[0]:.2f})")
            for path in workdir.glob(f"*_{rows}.csv"):
                path.unlink()
        print(f"load average at the end: {os.getloadavg()[0]:.2f} (this machine has {os.cpu_count()} cores)")
        smallest = min(peaks)
        for rows in sorted(peaks):
            if rows != smallest:
                print(f"peak memory of the audit at {rows} rows / at {smallest} rows: {peaks[rows] / peaks[smallest]:.2f}x")


def tables_of(workdir: Path) -> dict:
    """The tariff tables, also written to ``workdir``/tariffs.json for the floor."""
    tables = tariff_tables()
    (workdir / "tariffs.json").write_text(json.dumps(tables))
    return tables


if __name__ == "__main__":
    main()
