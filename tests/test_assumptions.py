"""Assumed values: the MRP of 2027 is not published (no budget law for 2027-2029 in any source),
so 2027 is priced only with an assumed MRP, and says so.

By hand: 2 t of tyres, k 14.15 (the operator's table, from 11.01.2022), MRP assumed 4 500:
2 × 4 500 × 14.15 = 127 350.00 KZT. An assumption for 2026-06-01 is refused: the law gives
4 325 (budget_law_2026)."""

import csv
import json
from decimal import Decimal
from urllib.parse import quote

import pytest
from one_line import simulate
from web_server import call, kz_epr_server

from openfisca_kz_epr.cli import main
from openfisca_kz_epr.reforms.assumptions import AssumptionError, assume

ASSUMED = "general.mrp@2027-01-01=4500"
EXPECTED = Decimal(2) * 4500 * Decimal("14.15")  # 127 350.00 KZT
REFUSED = "general.mrp@2026-06-01=4500"


def test_the_python_api_prices_2027_with_an_assumed_mrp_and_says_so(tax_benefit_system):
    assumed = assume(tax_benefit_system, [ASSUMED])
    payment, confidence, basis = simulate(assumed, "2027-03-01", "epr_payment_tiyn", "epr_confidence", "epr_legal_basis",
                                          product="tyres", mass_tonnes=2)
    assert payment == int(EXPECTED * 100) and confidence == "assumed"
    assert f"assumed:{ASSUMED}" in basis.split(";")
    payment, confidence = simulate(assumed, "2026-12-31", "epr_payment_tiyn", "epr_confidence", product="tyres", mass_tonnes=2)
    assert payment == 2 * 4325 * 1415 and confidence == "inferred"  # the law's own value the day before: not assumed


def test_an_assumed_value_for_a_day_the_law_covers_is_refused(tax_benefit_system):
    with pytest.raises(AssumptionError) as raised:
        assume(tax_benefit_system, [REFUSED])
    assert "the law already has general.mrp = 4325 on 2026-06-01 (budget_law_2026" in str(raised.value)


@pytest.mark.parametrize(("text", "words"), [
    ("general.mrp=4500", "expected PARAMETER@YYYY-MM-DD=VALUE"),
    ("general.mrp@2027-02-30=4500", "is not a day"),
    ("general.mrp@2027-01-01=four", "is not a number"),
    ("general.mrp@2027-01-01=-1", "not negative"),
    ("general.mpr@2027-01-01=4500", "general.mpr is not a parameter (did you mean general.mrp?)"),
    ("general.mrp@2010-01-01=1000", "the day precedes the parameter"),
])
def test_a_mistaken_assumption_is_refused_naming_it(tax_benefit_system, text, words):
    with pytest.raises(AssumptionError) as raised:
        assume(tax_benefit_system, [text])
    assert words in str(raised.value)


def test_explain_from_the_command_line(capsys):
    assert main(["explain", "--date", "2027-03-01", "--product", "tyres", "--mass-tonnes", "2", "--assume", ASSUMED,
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["payment"]["kzt"] == str(EXPECTED.quantize(Decimal("0.01")))
    assert result["confidence"] == "assumed" and f"assumed:{ASSUMED}" in result["acts"]
    assert main(["explain", "--date", "2026-06-01", "--product", "tyres", "--mass-tonnes", "2", "--assume", REFUSED]) == 2
    assert "the law already has general.mrp = 4325" in capsys.readouterr().err


def test_the_audit_with_an_assumed_mrp_says_it_at_the_top(tmp_path):
    source = tmp_path / "declarations.csv"
    source.write_text("date,product,mass_tonnes,paid_amount\n2027-03-01,tyres,2,127350\n2026-06-01,tyres,2,0\n", encoding="utf-8")
    report, summary = tmp_path / "report.csv", tmp_path / "summary.md"
    assert main(["audit", str(source), "-o", str(report), "--summary", str(summary), "--quiet", "--assume", ASSUMED]) == 0
    with report.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert (rows[0]["expected_payment"], rows[0]["status"], rows[0]["confidence"]) == ("127350.00", "ok", "assumed")
    assert f"assumed:{ASSUMED}" in rows[0]["legal_basis"]
    assert rows[1]["confidence"] == "inferred"  # 2026: the law's own MRP
    text = summary.read_text(encoding="utf-8").splitlines()
    assert f"Priced with values assumed for this run, not law: {ASSUMED}." in text[:6]


def test_the_audit_refuses_an_assumption_the_law_covers(tmp_path, capsys):
    source = tmp_path / "declarations.csv"
    source.write_text("date,product,mass_tonnes,paid_amount\n2026-06-01,tyres,2,0\n", encoding="utf-8")
    assert main(["audit", str(source), "-o", str(tmp_path / "r.csv"), "--quiet", "--assume", REFUSED]) == 2
    assert "the law already has general.mrp = 4325" in capsys.readouterr().err
    assert not (tmp_path / "r.csv").exists()


@pytest.fixture(scope="module")
def server():
    with kz_epr_server() as url:
        yield url


def test_explain_on_the_web_api(server):
    status, _, result = call("GET", f"{server}/explain?date=2027-03-01&product=tyres&mass_tonnes=2&assume={quote(ASSUMED)}")
    assert status == 200 and result["payment"]["kzt"] == "127350.00" and result["confidence"] == "assumed"
    status, _, result = call("POST", f"{server}/explain", {"date": "2027-03-01", "line": {"product": "tyres", "mass_tonnes": 2},
                                                          "assume": [ASSUMED]})
    assert status == 200 and result["payment"]["tiyn"] == 12735000
    status, _, result = call("GET", f"{server}/explain?date=2026-06-01&product=tyres&mass_tonnes=2&assume={quote(REFUSED)}")
    assert status == 400 and "the law already has general.mrp = 4325" in result["error"]
    status, _, result = call("GET", f"{server}/explain?date=2027-03-01&product=tyres&mass_tonnes=2")
    assert status == 200 and result["status"] == "unknown"  # without the assumption: the MRP of 2027 is missing


def test_bulk_and_calculate_on_the_web_api(server):
    body = json.dumps({"date": "2027-03-01", "product": "tyres", "mass_tonnes": 2}) + "\n"
    status, _, text = call("POST", f"{server}/bulk?assume={quote(ASSUMED)}", body, "application/x-ndjson")
    result = json.loads(text)
    assert status == 200 and (result["payment"], result["confidence"]) == ("127350.00", "assumed")
    situation = {"product_lines": {"l": {"product": {"2027-03-01": "tyres"}, "mass_tonnes": {"2027-03-01": 2},
                                         "epr_payment": {"2027-03-01": None}, "epr_confidence": {"2027-03-01": None}}}}
    status, _, result = call("POST", f"{server}/calculate?assume={quote(ASSUMED)}", situation)
    assert status == 200 and result["product_lines"]["l"]["epr_payment"]["2027-03-01"] == 127350.0
    assert result["product_lines"]["l"]["epr_confidence"]["2027-03-01"] == "assumed"
    status, _, result = call("POST", f"{server}/calculate?assume={quote(REFUSED)}", situation)
    assert status == 400 and "the law already has" in result["error"]
