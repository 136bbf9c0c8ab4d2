"""Fuzzing the declarations readers with hypothesis: rows of random cells (texts, dates of any
year, numbers of any size, product keys and customs codes, bytes that are not UTF-8, rows of
the wrong width) through the audit's CSV reader and POST /bulk: no traceback, no 5xx, and
every row in comes out once (rows in = rows out)."""

import csv
import io
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web_server import call, kz_epr_server

from openfisca_kz_epr.audit.report import audit

HEADER = ["date", "product", "customs_code", "mass_tonnes", "invoice_value", "packaging_material",
          "packaging_mass_tonnes", "paid_amount"]

dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)),
    st.text(max_size=12),
)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**30, 10**30).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=7).map(str),
    st.sampled_from(["", "1e400", "-0", "0.0000001", "1,5", " 2 ", "NaN", "inf", "1_000"]),
)
keys = st.sampled_from(["tyres", "oils", "lamps", "packaged_goods", "vehicle", "cable_products", "combined_packaging",
                        "tires", "", "TYRES", "=1+1"])
codes = st.one_of(st.sampled_from(["", "8471300000", "0401201100", "4011", "9999999999", "8539 31 000 0"]),
                  st.text(alphabet="0123456789 .x", max_size=12))
materials = st.sampled_from(["", "paper", "glass", "polymer", "metal", "combined", "wood"])
cell = st.one_of(dates, numbers, keys, codes, materials, st.text(max_size=20))
row = st.one_of(
    st.tuples(dates, keys, codes, numbers, numbers, materials, numbers, numbers).map(list),  # well-shaped
    st.lists(cell, min_size=0, max_size=10),  # any width
)
rows = st.lists(row, min_size=1, max_size=15)


def over_lines(records) -> bool:
    """A cell over several lines: the readers may take its quote for one left open and read the
    lines after its first as rows (engine.csv_rows.records; tests/test_unclosed_quotes.py), by
    design more rows out than Python's csv sees, never fewer, each more an error."""
    return any("\n" in cell or "\r" in cell for record in records for cell in record)


def assert_rows_out(out: int, errors: int, count: int, records) -> None:
    """Rows in = rows out; where a cell runs over lines, never fewer, and each row more an error."""
    if over_lines(records):
        assert count <= out <= count + errors, (out, errors, count)
    else:
        assert out == count


def csv_bytes(records, broken: bytes | None) -> tuple[bytes, int]:
    """The file, and the number of data rows a CSV reader sees in it (blank lines skipped)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(records)
    data = out.getvalue().encode("utf-8", "surrogatepass")
    if broken is not None:  # a row with bytes that are not UTF-8
        data += b"2021-03-01,tyres,," + broken + b",,,,1\n"
    text = data.decode("utf-8", "surrogateescape")
    count = sum(1 for record in csv.reader(io.StringIO(text, newline="")) if any(record)) - 1  # lines of no value: no row
    return data, count


@settings(max_examples=int(os.environ.get("KZ_EPR_FUZZ_ROWS", "150")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(records=rows, broken=st.one_of(st.none(), st.binary(min_size=1, max_size=6).filter(lambda b: not _utf8(b))))
def test_the_audit_reader_never_fails_and_loses_no_row(tmp_path_factory, tax_benefit_system, records, broken):
    folder = tmp_path_factory.mktemp("fuzz")
    source, report = folder / "in.csv", folder / "out.csv"
    data, count = csv_bytes(records, broken)
    source.write_bytes(data)
    audit(tax_benefit_system, str(source), str(report))  # any exception fails the test
    with report.open(newline="", encoding="utf-8") as file:
        out = list(csv.DictReader(file))
    assert_rows_out(len(out), sum(row["status"] == "error" for row in out), count, records)
    assert all(row["status"] in ("ok", "underpaid", "overpaid", "error") for row in out)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


@pytest.fixture(scope="module")
def server():
    with kz_epr_server(2, 1) as url:
        yield url


json_value = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(), st.text(max_size=15), dates,
                       keys, codes, numbers)
json_line = st.dictionaries(st.sampled_from(HEADER[:-1]), json_value, min_size=1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=rows)
def test_bulk_csv_never_5xx_and_answers_every_line(server, records):
    records = [r[:len(HEADER) - 1] for r in records]  # /bulk takes no paid_amount
    data, _ = csv_bytes(records, None)
    text = data.decode("utf-8", "replace").replace(",paid_amount", "", 1)
    status, _, body = call("POST", f"{server}/bulk", text.encode("utf-8", "surrogatepass"), "text/csv")
    assert status in (200, 400), body
    if status == 200:
        out = list(csv.DictReader(io.StringIO(body, newline="")))
        count = sum(1 for record in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in record)) - 1
        assert_rows_out(len(out), sum(bool(row["problem"]) for row in out), count, records)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(json_line, min_size=1, max_size=10))
def test_bulk_json_lines_never_5xx_and_answers_every_line(server, lines):
    body = "".join(json.dumps(line, allow_nan=True) + "\n" for line in lines)
    status, _, answer = call("POST", f"{server}/bulk", body.encode("utf-8", "surrogatepass"), "application/x-ndjson")
    assert status in (200, 400), answer
    if status == 200:
        assert len(answer.splitlines()) == len(lines)
