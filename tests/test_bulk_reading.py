"""POST /bulk reads a body of JSON lines at once and a CSV without quotes by splitting its lines:
a body whose lines are not each one object is still refused naming its first wrong line, as a
line-by-line reading names it, and the lines read are the same."""

import json

import pytest

from openfisca_kz_epr.web.app import create_app

JSON_LINES = "application/x-ndjson"


@pytest.fixture(scope="module")
def client():
    return create_app().test_client()


def _error(client, body: str, kind: str = JSON_LINES) -> str:
    answer = client.post("/bulk", data=body.encode(), content_type=kind)
    assert answer.status_code == 400, answer.get_data(as_text=True)
    return answer.get_json()["error"]


@pytest.mark.parametrize(("body", "words"), [
    # two lines that are one object together (as text joined by a comma would read them)
    ('{"date": "2021-03-01", "product": "tyres"\n, "mass_tonnes": 1}\n', "line 1 is not JSON"),
    ('{"date": "2021-03-01", "product": "ty\n", "mass_tonnes": 1}\n', "line 1 is not JSON"),
    ('{"date": "2021-03-01", "product": ["ty"\n, "res"]}\n', "line 1 is not JSON"),
    # as many objects as lines, when the lines are joined by a comma
    ('{"date": "2021-03-01", "product": "tyres"\n"mass_tonnes": 1}, {"date": "2021-03-01", "product": "oils"}\n', "line 1 is not JSON"),
    ('{"date": "2021-03-01", "product": "ty\nres", "mass_tonnes": 1}, {"date": "2021-03-01", "product": "oils"}\n',
     "line 1 is not JSON"),
    ('{"date": "2021-03-01"}, {"product": "tyres"}\n', "line 1 is not JSON"),  # two objects on a line
    ('{"date": "2021-03-01", "product": "tyres"}\n[{"date": "2021-03-01"}]\n', "line 2 is not a JSON object"),
    # the first mistake in the order of the lines, whatever its kind
    ('{"date": "2021-03-01", "product": "tyres"}\n{"date": [1]}\n{bad\n', "line 2: date must be a text"),
    ('{"date": "2021-03-01", "product": "tyres"}\n{bad\n{"date": [1]}\n', "line 2 is not JSON"),
    ('{"zzz": 1}\n{"date": {}}\n', "line 1: unknown column 'zzz'"),
])
def test_a_json_line_that_is_not_one_object_is_named(client, body, words):
    assert words in _error(client, body)


def test_json_lines_read_at_once_are_the_lines(client):
    lines = [{"id": "a", "date": "2021-03-01", "product": "tyres", "mass_tonnes": 2.5},  # 2.5 × 2 917 × 14.15 = 103 188.875
             {"id": 7, "date": "2021-03-01", "product": "tyres", "mass_tonnes": 1},  # 1 × 2 917 × 14.15 = 41 275.55
             {"date": "2021-03-01", "product": "tyres", "mass_tonnes": None}]
    body = "\n\n".join(json.dumps(line) for line in lines) + "\r\n"
    answer = client.post("/bulk", data=body.encode(), content_type=JSON_LINES)
    results = [json.loads(line) for line in answer.get_data(as_text=True).splitlines()]
    assert [(r["line"], r["id"], r["payment"]) for r in results] == [(1, "a", "103188.88"), (2, "7", "41275.55"), (3, None, None)]
    assert results[2]["problem"]


def test_csv_without_quotes_is_split_at_commas_line_by_line(client):
    body = "date,product,mass_tonnes\r2021-03-01,tyres,2.5\r , ,\r\n2021-03-01,tyres\n"  # \r, \r\n and \n ends; a row of blanks
    answer = client.post("/bulk", data=body.encode(), content_type="text/csv")
    rows = answer.get_data(as_text=True).splitlines()
    assert rows[0] == "line,payment,tiyn,problem,legal_basis,confidence,goods_payment,packaging_payment"
    assert rows[1].startswith("1,103188.88,10318888,,")
    assert rows[2].startswith("2,,,")  # no mass: its problem, not a payment
    assert len(rows) == 3
    assert _error(client, "date,product\n2021-03-01,tyres\n\n2021-03-01,tyres,1\n", "text/csv") == "line 2 has 3 cells, the header 2"
