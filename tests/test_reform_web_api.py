"""A reform file through the web API: `openfisca serve --reforms` with the example module of
the e-waste reform, a real server on a free port of 127.0.0.1, spoken to over HTTP."""

import json
import urllib.error
import urllib.request

import pytest
from web_server import openfisca_server

REFORM = "openfisca_kz_epr.reforms.eee_coefficient.eee_coefficient"



@pytest.fixture(scope="module")
def server():
    with openfisca_server("--reforms", REFORM) as url:
        yield url


def _calculate(url: str, day: str) -> dict:
    wanted = {"epr_payment": {day: None}, "epr_legal_basis": {day: None}, "epr_confidence": {day: None}}
    body = {"product_lines": {
        "fridges": {"product": {day: "eee_large"}, "mass_tonnes": {day: 2}, **wanted},
        "tyres": {"product": {day: "tyres"}, "mass_tonnes": {day: 2}, **wanted},
    }}
    request = urllib.request.Request(f"{url}/calculate", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read())["product_lines"]


def test_the_reform_applies_from_its_start_and_says_so(server):
    before, on = _calculate(server, "2021-06-30"), _calculate(server, "2021-07-01")
    assert before["fridges"]["epr_payment"]["2021-06-30"] == 0  # Appendix 1 row 16: k = 0
    assert on["fridges"]["epr_payment"]["2021-07-01"] == 2 * 2917 * 10  # the reform: k = 10
    assert on["fridges"]["epr_legal_basis"]["2021-07-01"] == "budget_law_2021;reform:eee_coefficient"
    assert on["fridges"]["epr_confidence"]["2021-07-01"] == "reform"
    # tyres are not in the reform: the law's 2 × 2917 × 14.15 = 82 551.1 on both days
    assert before["tyres"]["epr_payment"]["2021-06-30"] == on["tyres"]["epr_payment"]["2021-07-01"] == 82551.1
    assert on["tyres"]["epr_confidence"]["2021-07-01"] == "confirmed"


def test_the_reformed_parameter_is_served_with_its_reform_value(server):
    with urllib.request.urlopen(f"{server}/parameter/goods.appendix_1.eee_large", timeout=30) as response:
        values = json.loads(response.read())["values"]
    assert values["2021-07-01"] == 10
    assert values["2020-01-17"] == 0
