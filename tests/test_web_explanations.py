"""/explain, /changes and /timeline on a real kz-epr serve: the same JSON as the Python
functions and the CLI's --json; every mistake a 400."""

import pytest
from web_server import call, kz_epr_server


@pytest.fixture(scope="module")
def server():
    with kz_epr_server() as url:
        yield url


def test_explain_by_query_and_by_body_agree(server):
    status, _, by_query = call("GET", f"{server}/explain?date=2020-01-17&product=tyres&mass_tonnes=2")
    assert status == 200, by_query
    assert by_query["payment"] == {"tiyn": 7502330, "kzt": "75023.30"}  # 2 * 2651 * 14.15 = 75 023.30
    assert "order_122_2019" in by_query["acts"]
    status, _, by_body = call("POST", f"{server}/explain", {"date": "2020-01-17", "line": {"product": "tyres", "mass_tonnes": 2}})
    assert status == 200
    assert by_body["payment"] == by_query["payment"]


def test_explain_the_day_before_order_122_uses_the_operator_rate(server):
    status, _, body = call("GET", f"{server}/explain?date=2020-01-16&product=tyres&mass_tonnes=2")
    assert status == 200
    assert body["payment"]["kzt"] == "74000.00"  # 2 * 37 000 (operator rate, 37 tenge per kg)


def test_explain_unknown_law_is_an_answer_not_an_error(server):
    status, _, body = call("GET", f"{server}/explain?date=2022-02-01&product=combined_packaging&mass_tonnes=1")
    assert status == 200
    assert body["status"] == "unknown"
    assert "Order 448" in body["reason"]


@pytest.mark.parametrize(("url", "words"), [
    ("/explain?date=2021-02-30&product=tyres&mass_tonnes=1", "not a day"),
    ("/explain?date=2021-03-01&product=tyre&mass_tonnes=1", "tyre"),
    ("/explain?date=2021-03-01&product=tyres&mass_tonnes=-1", "negative"),
    ("/explain?date=2021-03-01&product=tyres&mass=1", "mass"),
    ("/changes?from=2021-06-01&to=2021-05-01", "before"),
    ("/changes?from=2021-06-01", "to"),
    ("/changes?from=2021-05-01&to=2021-06-01&x=1", "unknown query parameter"),
    ("/timeline?product=vehicle:m9:1600&from=2021-01-01&to=2021-12-31", "m9"),
])
def test_mistakes_are_400_naming_them(server, url, words):
    status, _, body = call("GET", f"{server}{url}")
    assert status == 400, body
    assert words in body["error"]


def test_changes_on_the_mrp_revision_of_2020(server):
    status, _, body = call("GET", f"{server}/changes?from=2020-03-31&to=2020-04-01")
    assert status == 200
    assert [group["act"]["id"] for group in body["acts"]] == ["decree_299_2020"]
    values = [c for c in body["acts"][0]["changes"] if c["field"] == "value"]
    assert [(c["parameter"], c["old"], c["new"]) for c in values] == [("general.mrp", "2651", "2778")]


def test_timeline_of_cable_covers_the_range(server):
    status, _, body = call("GET", f"{server}/timeline?product=cable_products&from=2021-05-01&to=2021-07-01")
    assert status == 200
    intervals = body["intervals"]
    assert intervals[0]["first"] == "2021-05-01" and intervals[-1]["last"] == "2021-07-01"
    assert [i["rate"] for i in intervals if i["first"] <= "2021-05-31"] == ["0"]
    assert intervals[1]["first"] == "2021-06-01" and intervals[1]["rate"] == "0.05"  # item 5-1, Order 110
