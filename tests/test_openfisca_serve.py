"""The plain OpenFisca web API (`openfisca serve`) serves this package: a real server on a
free port of 127.0.0.1, spoken to over HTTP."""

import json
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from web_server import openfisca_server

DAY = "2021-03-01"



@pytest.fixture(scope="module")
def server():
    with openfisca_server() as url:
        yield url


def _post(url: str, body: dict):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_calculate_a_producer_with_several_lines(server):
    status, body = _post(f"{server}/calculate", {
        "product_lines": {
            "tyres": {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: 2.5}, "epr_payment": {DAY: None}},
            "bottles": {"product": {DAY: "glass_packaging"}, "mass_tonnes": {DAY: 12.4}, "epr_payment": {DAY: None}},
            "cable": {"product": {"2021-03-01": "cable_products"}, "invoice_value": {DAY: 1000}, "epr_payment": {DAY: None}},
            "car": {"product": {DAY: "vehicle"}, "vehicle_category": {DAY: "m1"}, "engine_displacement_cm3": {DAY: 2400}, "epr_payment": {DAY: None}},
            "accumulators": {"product": {DAY: "electric_accumulators"}, "mass_tonnes": {DAY: 300000}, "epr_payment": {DAY: None}},
        },
        "producers": {"importer": {"lines": ["tyres", "bottles", "cable", "car", "accumulators"], "producer_epr_payment": {DAY: None}}},
    })
    assert status == 200, body
    lines = {name: Decimal(repr(line["epr_payment"][DAY])) for name, line in body["product_lines"].items()}
    expected = {
        "tyres": Decimal("103188.88"),  # 2.5 * 2917 * 14.15 = 103 188.875 -> half up 103 188.88
        "bottles": Decimal("41234.71"),  # 12.4 * 2917 * 1.14 = 41 234.712 -> 41 234.71
        "cable": Decimal("0"),  # cable paid nothing before 01.06.2021 (item 5-1, Order 110)
        "car": Decimal(50 * 2917 * 10),  # M1 2 001-3 000 cm3: coefficient 10 until 13.05.2022
        "accumulators": Decimal(300000) * 2917 * Decimal("56.25"),  # 49 224 375 000.00: beyond float32
    }
    assert lines == expected
    total = Decimal(repr(body["producers"]["importer"]["producer_epr_payment"][DAY]))
    assert total == sum(expected.values())


def test_a_line_the_law_cannot_price_is_a_400_naming_it(server):
    status, body = _post(f"{server}/calculate", {
        "product_lines": {
            "ok": {"product": {"2022-02-01": "vehicle"}, "vehicle_category": {"2022-02-01": "m1"}, "engine_displacement_cm3": {"2022-02-01": 999}, "epr_payment": {"2022-02-01": None}},
            "tyres": {"product": {"2022-02-01": "combined_packaging"}, "mass_tonnes": {"2022-02-01": 1}, "epr_payment": {"2022-02-01": None}},
        },
    })
    assert status == 400
    assert "Order 448" in body["product_lines"]["tyres"]["epr_payment"]["2022-02-01"]


def test_a_negative_mass_is_a_400(server):
    status, body = _post(f"{server}/calculate", {
        "product_lines": {"l": {"product": {DAY: "oils"}, "mass_tonnes": {DAY: -3}, "epr_payment": {DAY: None}}},
    })
    assert status == 400
    assert body["product_lines"]["l"]["mass_tonnes"][DAY] == "-3 is negative: mass_tonnes is a quantity"  # kz-epr serve's words
