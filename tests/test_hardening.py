"""Nothing lost, nothing stalled, no traceback: each case found trying the audit, the web server
and the Python API as a careless user or an attacker would, at its smallest."""

import csv
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from web_server import call, command, kz_epr_server

from openfisca_kz_epr.audit.report import AuditError, audit
from openfisca_kz_epr.cli import main

HEADER = "declaration_id,date,product,mass_tonnes,paid_amount\n"
GOOD = "1,2021-03-01,tyres,1,41275.55\n"  # 1 × 2917 × 14.15 = 41 275.55


def declarations(folder: Path, *rows: str, name: str = "in.csv", header: str = HEADER) -> Path:
    path = folder / name
    path.write_bytes((header + "".join(rows)).encode() if isinstance(header, str) else header + b"".join(rows))
    return path


def report_rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def failure(capsys, *argv) -> str:
    code = main(["audit", *argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("kz-epr audit: ") and "Traceback" not in err, err
    return err


# ----------------------------------------------------------------------------- files

def test_a_device_or_a_link_is_never_replaced(tmp_path, capsys):
    source = declarations(tmp_path, GOOD)
    link = tmp_path / "stdout"
    link.symlink_to("/dev/stdout")
    assert "is not a regular file" in failure(capsys, str(source), "-o", str(link))
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"
    assert "is not a regular file" in failure(capsys, str(source), "-o", "/dev/null")
    assert Path("/dev/null").is_char_device()
    assert "is not a regular file" in failure(capsys, str(source), "-o", str(tmp_path))


def test_an_input_named_like_a_temporary_file_is_read_not_touched(tmp_path):
    source = declarations(tmp_path, GOOD, name="y.csv.partial")
    before = source.read_bytes()
    assert main(["audit", str(source), "-o", str(tmp_path / "y.csv"), "--quiet"]) == 0
    assert source.read_bytes() == before
    assert report_rows(tmp_path / "y.csv")[0]["status"] == "ok"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["y.csv", "y.csv.partial"]


def test_the_summary_may_name_neither_the_input_nor_the_report(tmp_path, capsys):
    source = declarations(tmp_path, GOOD)
    report = tmp_path / "r.csv"
    report.write_text("the old report\n")
    before = source.read_bytes()
    assert "same file as the declarations" in failure(capsys, str(source), "-o", str(report), "--summary", str(source))
    assert "same file as the report" in failure(capsys, str(source), "-o", str(report), "--summary", str(report))
    hard_link = tmp_path / "another-name.md"
    os.link(source, hard_link)  # the same file under another name: refused by identity
    assert "same file as the declarations" in failure(capsys, str(source), "-o", str(report), "--summary", str(hard_link))
    assert source.read_bytes() == before and report.read_text() == "the old report\n"


def test_dash_writes_the_report_to_standard_output(tmp_path):
    source = declarations(tmp_path, GOOD)
    done = subprocess.run([command("kz-epr"), "audit", str(source), "-o", "-", "--quiet"], capture_output=True, text=True,
                          check=True, cwd=tmp_path)
    rows = list(csv.DictReader(done.stdout.splitlines()))
    assert [(r["declaration_id"], r["status"], r["expected_payment"]) for r in rows] == [("1", "ok", "41275.55")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_failed_summary_leaves_nothing_and_the_old_report_intact(tmp_path, monkeypatch, tax_benefit_system):
    from openfisca_kz_epr.audit.summary import Summary

    source = declarations(tmp_path, GOOD)
    report, summary = tmp_path / "r.csv", tmp_path / "s.md"
    report.write_text("the old report\n")

    def full_disk(self, *args):
        raise OSError(28, "No space left on device", str(summary))

    monkeypatch.setattr(Summary, "markdown", full_disk)
    with pytest.raises(AuditError, match="No space left on device"):
        audit(tax_benefit_system, str(source), str(report), summary_path=str(summary))
    assert report.read_text() == "the old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "r.csv"]


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_a_signal_leaves_the_old_report_and_nothing_else(tmp_path, signum, code):
    source = declarations(tmp_path, GOOD * 400_000)
    report = tmp_path / "r.csv"
    report.write_text("the old report\n")
    process = subprocess.Popen([command("kz-epr"), "audit", str(source), "-o", str(report), "--quiet"],
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):  # the report is being written
        assert process.poll() is None and time.monotonic() < deadline, "the audit ended before the signal"
        time.sleep(0.02)
    time.sleep(0.3)
    process.send_signal(signum)
    assert process.wait(timeout=60) == code
    assert "Traceback" not in process.stderr.read()
    assert report.read_text() == "the old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "r.csv"]


# ----------------------------------------------------------------------------- rows

def test_every_problem_of_a_row_is_that_row_s_error_with_its_line(tmp_path):
    source = declarations(
        tmp_path,
        GOOD.encode(),
        b"2,2021-03-01,tyres\n",  # too few cells
        b"3,2021-03-01,tyres,1,0,an extra cell\n",  # too many
        b"4,2021-03-01,oils,0.\xff5,0\n",  # bytes that are not UTF-8
        b"\n",  # a blank line: skipped, like pyarrow does
        b"5,0000-01-01,tyres,1,0\n",  # year 0
        b"6,1899-12-31,tyres,1,0\n",
        b"7,2101-01-01,tyres,1,0\n",
        b'8,2021-03-01,tyres,2,"82551.10"\n',
        header=HEADER.encode(),
    )
    report = tmp_path / "r.csv"
    assert main(["audit", str(source), "-o", str(report), "--quiet"]) == 0
    rows = report_rows(report)
    assert [r["declaration_id"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7", "8"]  # rows in = rows out
    errors = {r["declaration_id"]: r["error"] for r in rows if r["status"] == "error"}
    assert errors["2"].startswith("line 3: 3 cells where the header has 5")
    assert errors["3"].startswith("line 4: 6 cells where the header has 5")
    assert errors["4"].startswith("line 5: the cell of column 'mass_tonnes' holds bytes that are not UTF-8")
    assert errors["5"] == "line 7: date '0000-01-01' is out of range: a day from 1900-01-01 to 2100-12-31"
    assert "out of range" in errors["6"] and "out of range" in errors["7"]
    assert [(r["declaration_id"], r["status"]) for r in rows if r["status"] != "error"] == [("1", "ok"), ("8", "ok")]


@pytest.mark.parametrize("encoding", ["cp1251", "utf-16"])
def test_a_header_in_windows_1251_or_utf16_is_read_and_a_mass_without_its_unit_is_one_line(tmp_path, capsys, encoding):
    source = tmp_path / "in.csv"
    source.write_bytes("Дата,Продукт,Масса,Оплата\n2021-03-01,tyres,1,1\n".encode(encoding))
    assert "the column 'Масса' does not say its unit" in failure(capsys, str(source), "-o", str(tmp_path / "r.csv"))


def test_a_file_in_no_known_encoding_is_one_line(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_bytes(b"date,product,mass_tonnes,paid_amount\x98\x81\n2021-03-01,tyres,1,1\n")  # 0x98: no cp1251 byte
    assert "neither UTF-8 nor Windows-1251" in failure(capsys, str(source), "-o", str(tmp_path / "r.csv"))


def test_simulate_with_year_0_is_one_line(tmp_path, capsys):
    data = tmp_path / "plan.csv"
    data.write_text("date,product,mass_tonnes\n0000-01-01,tyres,1\n")
    code = main(["simulate", "--reform", "openfisca_kz_epr.reforms.small_consignments.small_consignments", "--data", str(data)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "out of range" in err and "Traceback" not in err


def test_cells_a_spreadsheet_would_run_are_neutralised(tmp_path):
    source = declarations(tmp_path, '=HYPERLINK("http://x"),2021-03-01,tyres,1,-5\n', "@SUM(1),2021-03-01,tyres,1,+41275.55\n",
                          header="declaration_id,date,product,mass_tonnes,paid_amount\n")
    report = tmp_path / "r.csv"
    assert main(["audit", str(source), "-o", str(report), "--quiet"]) == 0
    rows = report_rows(report)
    assert [r["declaration_id"] for r in rows] == ['\'=HYPERLINK("http://x")', "'@SUM(1)"]
    assert [r["paid_amount"] for r in rows] == ["-5", "+41275.55"]  # numbers stay numbers


# ----------------------------------------------------------------------------- web

@pytest.fixture(scope="module")
def small_server():
    with kz_epr_server(2, 1, "--max-body", "1") as url:  # 1 MiB
        yield url


def _raw(url: str, request: bytes, read: bool = True) -> tuple[int, bytes]:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(request)
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while read and (part := connection.recv(65536)):
            answer += part
    return int(answer[9:12]), answer.split(b"\r\n\r\n", 1)[1]


def test_a_chunked_body_over_the_limit_is_413(small_server):
    line = b"2021-03-01,tyres,1\n"
    body = b"date,product,mass_tonnes\n" + line * (2**20 // len(line) + 1000)
    connection = http.client.HTTPConnection(small_server.removeprefix("http://"), timeout=60)
    connection.request("POST", "/bulk", body=iter([body[i:i + 65536] for i in range(0, len(body), 65536)]),
                       headers={"Content-Type": "text/csv", "Transfer-Encoding": "chunked"}, encode_chunked=True)
    answer = connection.getresponse()
    assert answer.status == 413 and "at most 1048576 bytes" in json.loads(answer.read())["error"]
    small = b"date,product,mass_tonnes\n" + line * 3  # under the limit, chunked too: read whole
    connection = http.client.HTTPConnection(small_server.removeprefix("http://"), timeout=60)
    connection.request("POST", "/bulk", body=iter([small[:10], small[10:]]), headers={"Content-Type": "text/csv"},
                       encode_chunked=True)
    answer = connection.getresponse()
    rows = list(csv.DictReader(answer.read().decode().splitlines()))
    assert answer.status == 200 and [r["payment"] for r in rows] == ["41275.55"] * 3


def test_a_body_that_ends_early_is_400(small_server):
    status, body = _raw(small_server, b"POST /bulk HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 100\r\n"
                                      b"Connection: close\r\n\r\ndate,product,mass_tonnes\n2021-03-01,tyres,1\n")
    assert status == 400 and b"ended after 44 of the 100 bytes" in body


def test_year_0_in_bulk_is_that_line_s_error(small_server):
    json_lines = ('{"date": "0000-01-01", "product": "tyres", "mass_tonnes": 1}\n'
                  '{"date": "2021-03-01", "product": "tyres", "mass_tonnes": 1}\n')
    for kind, body in (("text/csv", "date,product,mass_tonnes\n0000-01-01,tyres,1\n2021-03-01,tyres,1\n"),
                       ("application/x-ndjson", json_lines)):
        status, _, text = call("POST", f"{small_server}/bulk", body, kind)
        assert status == 200, text
        assert "out of range" in text and "41275.55" in text


def test_idle_connections_do_not_hold_the_server(small_server):
    host, port = small_server.removeprefix("http://").split(":")
    idle = [socket.create_connection((host, int(port)), timeout=5) for _ in range(16)]
    try:
        for connection in idle:
            connection.sendall(b"P")  # a request begun, never finished
        for _ in range(20):  # each answered, none waiting for the idle ones (how fast: benchmarks/slow_clients.py)
            status, _, _ = call("GET", f"{small_server}/version")
            assert status == 200
    finally:
        for connection in idle:
            connection.close()


# ----------------------------------------------------------------------------- Python API

def test_the_python_api_refuses_what_the_web_api_refuses(tax_benefit_system, small_server):
    """The same mistakes, the same words: one validation (input_checks) for both."""
    from openfisca_core.errors import SituationParsingError
    from openfisca_core.simulations import SimulationBuilder

    day = "2021-03-01"
    for value, words in ((True, "expected a number, got true"), ("2", 'expected a number, got "2"'),
                         (-1, "-1 is negative: mass_tonnes is a quantity")):
        situation = {"product_lines": {"l": {"product": {day: "tyres"}, "mass_tonnes": {day: value}}}}
        with pytest.raises(SituationParsingError) as raised:
            SimulationBuilder().build_from_entities(tax_benefit_system, situation)
        python = raised.value.error["product_lines"]["l"]["mass_tonnes"][day]
        status, _, body = call("POST", f"{small_server}/calculate", json.dumps(situation))
        assert status == 400 and python == body["product_lines"]["l"]["mass_tonnes"][day] == words


def test_python_api_and_web_api_name_a_month_alike(small_server, tax_benefit_system):
    from openfisca_core.simulations import SimulationBuilder

    from openfisca_kz_epr.errors import PeriodError

    situation = {"product_lines": {"l": {"product": {"2021-03-01": "tyres"}, "mass_tonnes": {"2021-03-01": 1}}}}
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system, situation)
    with pytest.raises(PeriodError) as raised:
        simulation.calculate("epr_payment", "2021-03")
    situation["product_lines"]["l"]["epr_payment"] = {"2021-03": None}
    status, _, body = call("POST", f"{small_server}/calculate", json.dumps(situation))
    assert status == 400
    assert raised.value.error["period"]["2021-03"] == body["product_lines"]["l"]["epr_payment"]["2021-03"]


def test_no_traceback_from_the_command_line_for_a_year_0_explain(capsys):
    assert main(["explain", "--date", "0000-01-01", "--product", "tyres"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith("kz-epr explain: date")


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
