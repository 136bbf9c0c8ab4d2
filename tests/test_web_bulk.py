"""POST /bulk: many declaration lines (JSON lines or CSV) priced by the bulk core, one result
per line in the request's format; a line the law cannot price says why, the others are
priced; a body that is not declarations is a 400. A real server on 127.0.0.1."""

import csv
import io
import json

import pytest
from web_server import call, kz_epr_server

# (declaration, expected payment in tenge computed by hand, or None with words of the problem)
LINES = [
    ({"id": "tyres", "date": "2021-03-01", "product": "tyres", "mass_tonnes": 2.5}, "103188.88", None),  # 2.5 × 2 917 × 14.15 = 103 188.875
    ({"id": "glass", "date": "2020-04-01", "product": "glass_packaging", "mass_tonnes": 12.4}, "39269.81", None),  # 12.4 × 2 778 × 1.14 = 39 269.808
    ({"id": "oils-2016", "date": "2016-03-01", "product": "oils", "mass_tonnes": 0.5}, "14500.00", None),  # 0.5 t × 29 KZT/kg × 1 000
    ({"id": "cable", "date": "2021-07-05", "product": "cable_products", "invoice_value": 1000}, "50.00", None),  # 1 000 × 0.05
    ({"id": "car", "date": "2022-05-14", "product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 2400}, "765750.00", None),  # 50 × 3 063 × 5
    ({"id": "huge", "date": "2021-03-01", "product": "electric_accumulators", "mass_tonnes": 300000}, "49224375000.00", None),  # 300 000 × 2 917 × 56.25
    ({"id": "order-448", "date": "2022-02-01", "product": "combined_packaging", "mass_tonnes": 1}, None, ["Order 448"]),
    ({"id": "operator-k", "date": "2022-02-01", "product": "tyres", "mass_tonnes": 1}, "43341.45", None),  # 1 × 3 063 × 14.15
    ({"id": "negative", "date": "2021-03-01", "product": "tyres", "mass_tonnes": -1}, None, ["negative"]),
    ({"id": "no-date", "product": "tyres", "mass_tonnes": 1}, None, ["date is missing"]),
    ({"id": "bad-product", "date": "2021-03-01", "product": "bananas", "mass_tonnes": 1}, None, ["'bananas'"]),
]
COLUMNS = ["id", "date", "product", "mass_tonnes", "invoice_value", "vehicle_category", "engine_displacement_cm3"]


@pytest.fixture(scope="module")
def server():
    with kz_epr_server() as url:
        yield url


def check(results: list[dict]) -> None:
    assert [result["id"] for result in results] == [line["id"] for line, _, _ in LINES]
    for result, (line, expected, words) in zip(results, LINES):
        assert int(result["line"]) == LINES.index((line, expected, words)) + 1
        if expected is None:
            assert result["payment"] in (None, "") and result["tiyn"] in (None, "")
            for word in words:
                assert word in result["problem"]
        else:
            assert result["problem"] == ""
            assert result["payment"] == expected
            assert int(result["tiyn"]) == int(expected.replace(".", ""))
            assert result["legal_basis"] and result["confidence"] in ("confirmed", "inferred")


def test_json_lines_in_json_lines_out(server):
    body = "".join(json.dumps(line) + "\n" for line, _, _ in LINES)
    status, headers, text = call("POST", f"{server}/bulk", body, "application/x-ndjson")
    assert status == 200, text
    assert headers.get_content_type() == "application/x-ndjson"
    check([json.loads(row) for row in text.splitlines()])


def test_csv_in_csv_out(server):
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    writer.writerows(line for line, _, _ in LINES)
    status, headers, text = call("POST", f"{server}/bulk", out.getvalue(), "text/csv")
    assert status == 200, text
    assert headers.get_content_type() == "text/csv"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["line", "id", "payment", "tiyn", "problem", "legal_basis", "confidence",
                             "goods_payment", "packaging_payment"]
    check(rows)


def test_the_legal_basis_of_a_line(server):
    body = json.dumps({"date": "2021-03-01", "product": "tyres", "mass_tonnes": 1}) + "\n"
    _status, _, text = call("POST", f"{server}/bulk", body, "application/x-ndjson")
    result = json.loads(text)
    assert "id" not in result  # no id given, none answered
    assert result == {"line": 1, "payment": "41275.55", "tiyn": 4127555, "problem": "",  # 2 917 × 14.15
                      "legal_basis": "budget_law_2021;order_122_2019", "confidence": "confirmed",
                      "goods_payment": "41275.55", "packaging_payment": "0.00"}


@pytest.mark.parametrize(("body", "kind", "words"), [
    ('{"date": "2021-03-01", "product": "tyres"}\n{"date": \n', "application/x-ndjson", ["line 2 is not JSON"]),
    ('[1, 2]\n', "application/x-ndjson", ["line 1 is not a JSON object"]),
    ('{"date": "2021-03-01", "prodcut": "tyres"}\n', "application/x-ndjson", ["unknown column 'prodcut'"]),
    ('{"date": "2021-03-01", "product": ["tyres"]}\n', "application/x-ndjson", ["product must be a text"]),
    ("\n\n", "application/x-ndjson", ["no lines"]),
    ("", "text/csv", ["no lines"]),
    ("date,product\n", "text/csv", ["header only"]),
    ("date,mass\n2021-03-01,1\n", "text/csv", ["unknown column 'mass'"]),
    ("product,mass_tonnes\ntyres,1\n", "text/csv", ["no column 'date'"]),
    ("date,mass_tonnes\n2021-03-01,1\n", "text/csv", ["no column 'product' or 'customs_code'"]),
    ("date,product,date\n2021-03-01,tyres,x\n", "text/csv", ["twice"]),
    ("date,product\n2021-03-01,tyres,1\n", "text/csv", ["line 1 has 3 cells"]),
    ('{"date": "2021-03-01"}', "application/json", ["text/csv", "application/x-ndjson"]),
    (b"date,product\n\xff\n", "text/csv", ["not UTF-8"]),
])
def test_a_body_that_is_not_declarations_is_a_400(server, body, kind, words):
    status, _, answer = call("POST", f"{server}/bulk", body, kind)
    assert status == 400, answer
    for word in words:
        assert word in answer["error"]
