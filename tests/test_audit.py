"""``kz-epr audit``: every row in, every row out in order, each bad row with its reason, the
statuses with the tolerance, the summary and the exit codes. Expected payments are the
legal research's arithmetic written out (MRP 2021 = 2 917, 2017 = 2 269; k of Appendix 1)."""

import csv
import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from decimal import Decimal
from pathlib import Path

import pytest

from openfisca_kz_epr.audit.flags import FLAG_COLUMNS
from openfisca_kz_epr.audit.report import REPORT_COLUMNS, audit
from openfisca_kz_epr.cli import main

HEADER = ["declaration_id", "date", "producer_id", "product", "mass_tonnes", "invoice_value", "vehicle_category",
          "engine_displacement_cm3", "gross_vehicle_mass_tonnes", "engine_power_hp", "is_electric", "paid_amount", "note"]


def line(declaration_id, date, product, paid, producer="P1", note="", **cells):
    row = dict.fromkeys(HEADER, "")
    row.update(declaration_id=declaration_id, date=date, producer_id=producer, product=product, paid_amount=paid, note=note)
    row.update({name: str(value) for name, value in cells.items()})
    return row


def write(path: Path, rows, header=HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def run(tmp_path, rows, *options):
    source = write(tmp_path / "declarations.csv", rows)
    report = tmp_path / "report.csv"
    code = main(["audit", str(source), "-o", str(report), *options])
    return code, (read(report) if report.exists() else None)


# (declaration, expected status, expected payment in KZT or None, words of the error)
MIXED = [
    (line("good-tyres", "2021-03-01", "tyres", "82551.10", mass_tonnes=2), "ok", 2 * 2917 * Decimal("14.15"), None),
    (line("bad-day", "2021-02-30", "tyres", "1", mass_tonnes=2), "error", None, ["date '2021-02-30'", "not a date"]),
    (line("bad-format", "2021/03/01", "tyres", "1", mass_tonnes=2), "error", None, ["'2021/03/01'", "YYYY-MM-DD"]),
    (line("not-a-day", "30.02.2021", "tyres", "1", mass_tonnes=2), "error", None, ["'2021-02-30'", "not a date"]),
    (line("no-date", "", "tyres", "1", mass_tonnes=2), "error", None, ["date is missing"]),
    (line("bad-product", "2021-03-01", "tires", "1", mass_tonnes=2), "error", None, ["product 'tires'", "not one of"]),
    (line("negative", "2021-03-01", "tyres", "1", mass_tonnes=-1), "error", None, ["mass_tonnes", "negative"]),
    (line("comma", "2021-03-01", "tyres", "1", mass_tonnes="12,5"), "error", None, ["mass_tonnes '12,5'", "not a number"]),
    (line("before-2016", "2015-06-01", "tyres", "1", mass_tonnes=2), "error", None, ["before the EPR payment"]),
    (line("order-448", "2022-02-01", "combined_packaging", "1", mass_tonnes=2), "error", None,
     ["combined-material packaging", "Order 448"]),
    # the operator's k from 11.01.2022: 2 * 3063 * 14.15 = 86 682.90
    (line("tyres-2022", "2022-02-01", "tyres", "86682.90", mass_tonnes=2), "ok", 2 * 3063 * Decimal("14.15"), None),
    (line("no-mass", "2021-03-01", "tyres", "1"), "error", None, ["mass_tonnes is missing"]),
    (line("no-invoice", "2021-07-01", "cable_products", "1"), "error", None, ["invoice_value is missing"]),
    (line("no-category", "2021-07-01", "vehicle", "1"), "error", None, ["vehicle_category is not declared"]),
    (line("no-engine", "2021-07-01", "vehicle", "1", vehicle_category="m1"), "error", None, ["engine_displacement_cm3 is missing"]),
    (line("old-car", "2019-01-10", "vehicle", "1", vehicle_category="m1", engine_displacement_cm3=1600), "error", None,
     ["before 24.05.2019"]),
    (line("bad-flag", "2021-07-01", "vehicle", "0", vehicle_category="m1", is_electric="maybe"), "error", None,
     ["is_electric 'maybe'", "true or false"]),
    (line("paid-text", "2021-03-01", "oils", "abc", mass_tonnes="0.5"), "error", Decimal("0.5") * 2917 * Decimal("11.09"),
     ["paid_amount 'abc' is not a number"]),
    (line("paid-missing", "2021-03-01", "oils", "", mass_tonnes="0.5"), "error", Decimal("0.5") * 2917 * Decimal("11.09"),
     ["paid_amount is missing"]),
    (line("paid-negative", "2021-03-01", "oils", "-5", mass_tonnes="0.5"), "error", Decimal("0.5") * 2917 * Decimal("11.09"),
     ["paid_amount '-5' is negative"]),
    (line("paid-fraction", "2021-03-01", "oils", "1.005", mass_tonnes="0.5"), "error", Decimal("0.5") * 2917 * Decimal("11.09"),
     ["paid_amount '1.005'", "finer than a tiyn"]),
    # 0.5 * 2917 * 11.09 = 16 174.765, half up: 16 174.77
    (line("oils-under", "2021-03-01", "oils", "16000", mass_tonnes="0.5", note='said "paid", in full\non two lines'), "underpaid",
     Decimal("0.5") * 2917 * Decimal("11.09"), None),
    # 1000.10 * 0.05 = 50.005, half up: 50.01
    (line("cable", "2021-07-01", "cable_products", "50.01", producer="P2", invoice_value="1000.10"), "ok",
     Decimal("1000.10") * Decimal("0.05"), None),
    (line("car", "2021-07-01", "vehicle", "1020950", producer="P2", vehicle_category="m1", engine_displacement_cm3=1600),
     "ok", 50 * 2917 * 7, None),
    (line("truck", "2021-07-01", "vehicle", "2200000", producer="P2", vehicle_category="n", gross_vehicle_mass_tonnes="3.5"),
     "overpaid", 50 * 2917 * 15, None),
    (line("e-car", "2021-07-01", "vehicle", "0", producer="P2", vehicle_category="m1", is_electric="true"), "ok", 0, None),
    (line("before-rules", "2016-01-15", "tyres", "0", mass_tonnes=3), "ok", 0, None),
    (line("flat-2017", "2017-05-05", "tyres", "55500", mass_tonnes="1.5"), "ok", Decimal("1.5") * 37000, None),
    # cells come back as they were written: leading zeros, trailing zeros, surrounding spaces
    (line("0042", "2021-03-01", "tyres", "41275.550", mass_tonnes="1.000000", note="  kept as is  "), "ok",
     1 * 2917 * Decimal("14.15"), None),
]


def tenge(amount) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))


def test_a_mixed_file_comes_back_whole_in_order_each_bad_row_with_its_reason(tmp_path):
    code, report = run(tmp_path, [row for row, *_ in MIXED])
    assert code == 0
    assert len(report) == len(MIXED)
    assert list(report[0]) == HEADER + list(REPORT_COLUMNS) + list(FLAG_COLUMNS)
    for out, (row, status, expected, words) in zip(report, MIXED):
        assert {name: out[name] for name in HEADER} == row  # carried through unchanged, in order
        assert out["status"] == status, (row["declaration_id"], out["error"])
        assert out["expected_payment"] == ("" if expected is None else tenge(expected)), row["declaration_id"]
        if words:
            for word in words:
                assert word in out["error"], (row["declaration_id"], out["error"])
            assert out["difference"] == ""
        else:
            assert out["error"] == ""
            assert Decimal(out["difference"]) == Decimal(row["paid_amount"]) - Decimal(out["expected_payment"])
        if status != "error":
            assert out["legal_basis"] and out["confidence"] in ("confirmed", "inferred")


def test_legal_basis_and_confidence_name_the_acts(tmp_path):
    rows = {row["declaration_id"]: row for row in run(tmp_path, [row for row, *_ in MIXED])[1]}
    assert rows["good-tyres"]["legal_basis"].split(";") == ["budget_law_2021", "order_122_2019"]
    assert rows["good-tyres"]["confidence"] == "confirmed"
    assert "order_110_2021" in rows["cable"]["legal_basis"].split(";")
    assert rows["e-car"]["legal_basis"].split(";") == ["budget_law_2021", "order_136_2021", "order_762_2015"]
    assert rows["e-car"]["confidence"] == "inferred"  # order 136 is known from the operator's labels only
    assert rows["paid-text"]["legal_basis"]  # the law's figure is shown even when the payment cannot be read


def test_chunk_boundaries_change_nothing(tmp_path, tax_benefit_system):
    source = write(tmp_path / "declarations.csv", [row for row, *_ in MIXED] * 3)
    whole, in_pieces = tmp_path / "whole.csv", tmp_path / "pieces.csv"
    audit(tax_benefit_system, source, whole)
    summary = audit(tax_benefit_system, source, in_pieces, chunk_rows=5)
    assert whole.read_bytes() == in_pieces.read_bytes()
    assert sum(summary.counts().values()) == 3 * len(MIXED)


@pytest.mark.parametrize(("paid", "options", "status"), [
    ("82552.10", [], "ok"),  # 1.00 over: within the default 1 KZT
    ("82552.11", [], "overpaid"),
    ("82550.10", [], "ok"),
    ("82550.09", [], "underpaid"),
    ("82551.11", ["--tolerance", "0"], "overpaid"),
    ("82551.10", ["--tolerance", "0"], "ok"),
    ("82601.10", ["--tolerance", "50"], "ok"),
    ("82601.11", ["--tolerance", "50.00"], "overpaid"),
    ("82501.10", ["--tolerance", "49.99"], "underpaid"),
])
def test_status_with_the_tolerance(tmp_path, paid, options, status):
    # 2 t of tyres on 01.03.2021: 2 * 2917 * 14.15 = 82 551.10
    code, report = run(tmp_path, [line("t", "2021-03-01", "tyres", paid, mass_tonnes=2)], *options)
    assert code == 0
    assert report[0]["status"] == status
    assert Decimal(report[0]["difference"]) == Decimal(paid) - Decimal("82551.10")


def test_summary_totals_per_producer_product_and_year(tmp_path):
    rows = [
        line("1", "2021-03-01", "tyres", "82551.10", producer="A", mass_tonnes=2),  # ok: 2 * 2917 * 14.15
        line("2", "2021-03-01", "oils", "16000.00", producer="A", mass_tonnes="0.5"),  # underpaid: 16 174.77
        line("3", "2017-05-05", "tyres", "60000", producer="B", mass_tonnes="1.5"),  # overpaid: 1.5 * 37 000
        line("4", "2017-05-05", "tyres", "1", producer="B", mass_tonnes="-1"),  # error
    ]
    source = write(tmp_path / "d.csv", rows)
    summary_path = tmp_path / "summary.md"
    assert main(["audit", str(source), "-o", str(tmp_path / "r.csv"), "--summary", str(summary_path)]) == 0
    text = summary_path.read_text(encoding="utf-8")
    table = {}
    for row in text.splitlines():
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if row.startswith("| ") and cells[0] not in ("status", "producer", "product", "year"):
            table.setdefault(cells[0], []).append(cells[1:])
    assert table["ok"] == [["1"]] and table["underpaid"] == [["1"]] and table["overpaid"] == [["1"]] and table["error"] == [["1"]]
    # rows, ok, underpaid, overpaid, error, paid, expected, difference (rows without error)
    assert table["A"] == [["2", "1", "1", "0", "0", "98,551.10", "98,725.87", "-174.77"]]  # 82 551.10 + 16 174.77
    assert table["B"] == [["2", "0", "0", "1", "1", "60,000.00", "55,500.00", "4,500.00"]]
    assert table["tyres"] == [["3", "1", "0", "1", "1", "142,551.10", "138,051.10", "4,500.00"]]
    assert table["oils"] == [["1", "0", "1", "0", "0", "16,000.00", "16,174.77", "-174.77"]]
    assert table["2017"] == [["2", "0", "0", "1", "1", "60,000.00", "55,500.00", "4,500.00"]]
    assert table["2021"] == [["2", "1", "1", "0", "0", "98,551.10", "98,725.87", "-174.77"]]
    assert table["**total**"] == [["4", "1", "1", "1", "1", "158,551.10", "154,225.87", "4,325.23"]] * 3


def one_line_failure(capsys, argv) -> str:
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("kz-epr audit: "), err
    return err


def test_a_run_that_cannot_start_fails_with_one_line(tmp_path, capsys):
    good = write(tmp_path / "good.csv", [line("1", "2021-03-01", "tyres", "1", mass_tonnes=1)])
    report = tmp_path / "r.csv"
    assert "No such file" in one_line_failure(capsys, ["audit", str(tmp_path / "missing.csv"), "-o", str(report)])
    no_paid = write(tmp_path / "no_paid.csv", [{"date": "2021-03-01", "product": "tyres"}], header=["date", "product"])
    assert "no column paid_amount" in one_line_failure(capsys, ["audit", str(no_paid), "-o", str(report)])
    (tmp_path / "empty.csv").write_text("")
    assert "Empty CSV file" in one_line_failure(capsys, ["audit", str(tmp_path / "empty.csv"), "-o", str(report)])
    clash = write(tmp_path / "clash.csv", [], header=[*HEADER, "status"])
    assert "'status'" in one_line_failure(capsys, ["audit", str(clash), "-o", str(report)])
    assert "is the same file as the declarations" in one_line_failure(capsys, ["audit", str(good), "-o", str(good)])
    assert str(tmp_path / "no") in one_line_failure(capsys, ["audit", str(good), "-o", str(tmp_path / "no" / "r.csv")])
    assert not report.exists() and sorted(p.name for p in tmp_path.iterdir()) == [
        "clash.csv", "empty.csv", "good.csv", "no_paid.csv"]  # no half-written report left
    for tolerance in ("-1", "0.001", "abc", "nan"):
        with pytest.raises(SystemExit) as exit_:
            main(["audit", str(good), "-o", str(report), "--tolerance", tolerance])
        assert exit_.value.code == 2
        assert "is not an amount of KZT" in capsys.readouterr().err


def test_a_run_that_completes_exits_0_whatever_it_found(tmp_path, capsys):
    only_errors = write(tmp_path / "errors.csv", [line("1", "x", "y", "z")])
    assert main(["audit", str(only_errors), "-o", str(tmp_path / "r.csv"), "--quiet"]) == 0
    assert capsys.readouterr().err == ""  # --quiet: nothing on stderr
    assert read(tmp_path / "r.csv")[0]["status"] == "error"
    header_only = write(tmp_path / "header.csv", [])
    assert main(["audit", str(header_only), "-o", str(tmp_path / "h.csv")]) == 0
    assert (tmp_path / "h.csv").read_text().splitlines() == [",".join(f'"{name}"' for name in HEADER + list(REPORT_COLUMNS) + list(FLAG_COLUMNS))]
    assert capsys.readouterr().err == "kz-epr audit: 0 rows (0 ok, 0 underpaid, 0 overpaid, 0 error) -> " + str(tmp_path / "h.csv") + "\n"


def test_progress_bar_on_a_terminal_only(tmp_path):
    source = write(tmp_path / "d.csv", [line("1", "2021-03-01", "tyres", "1", mass_tonnes=1)])
    command = [sys.executable, "-c", "import sys; from openfisca_kz_epr.cli import main; sys.exit(main())",
               "audit", str(source), "-o", str(tmp_path / "r.csv")]

    def stderr_of(extra, terminal):
        if not terminal:
            return subprocess.run(command + extra, capture_output=True, text=True, check=True).stderr
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 24 rows, 100 columns
        process = subprocess.Popen(command + extra, stderr=follower, stdout=subprocess.DEVNULL)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait() == 0
        os.close(leader)
        return b"".join(chunks).decode()

    assert "rows/s" in stderr_of([], terminal=True)
    assert stderr_of(["--quiet"], terminal=True) == ""
    piped = stderr_of([], terminal=False)
    assert "rows/s" not in piped and piped.startswith("kz-epr audit: 1 rows")
