"""Every user mistake is a 400 (404 for an unknown variable or parameter) whose JSON body names
the entity, the line, the variable, the period and the reason; a real bug is a 500 that gives
the request id it is logged with. Plain `openfisca serve` answers several of these cases with
a 500 or computes them silently (benchmarks/web_mistakes.py measures it)."""

import logging

import pytest
from web_server import call, kz_epr_server

DAY = "2021-03-01"


@pytest.fixture(scope="module")
def server():
    with kz_epr_server() as url:
        yield url


def line(**variables) -> dict:
    """A situation of one product line, ``l``."""
    return {"product_lines": {"l": variables}}


# (error class, situation, path of the reason in the body, words of the reason)
MISTAKES = [
    ("date before the model", line(product={"2015-12-31": "tyres"}, mass_tonnes={"2015-12-31": 1}, epr_payment={"2015-12-31": None}),
     ("product_lines", "l", "epr_payment", "2015-12-31"), ["before the EPR payment", "2016-01-01"]),
    ("date before a parameter starts", line(mrp={"2014-06-01": None}),
     ("product_lines", "l", "mrp", "2014-06-01"), ["before the MRP", "2015-01-01"]),
    ("date after a parameter ends with null", line(mrp={"2027-03-01": None}),
     ("product_lines", "l", "mrp", "2027-03-01"), ["general.mrp from 2027-01-01", "parameters/general/mrp.yaml"]),
    ("date out of the calendar", line(product={"2021-02-30": "tyres"}),
     ("product_lines", "l", "product", "2021-02-30"), ["not a day of the calendar"]),
    ("product not modelled on that day", line(product={"2022-02-01": "combined_packaging"}, mass_tonnes={"2022-02-01": 1}, epr_payment={"2022-02-01": None}),
     ("product_lines", "l", "epr_payment", "2022-02-01"), ["Order 448", "combined-material packaging"]),
    ("negative input, unused by the line", line(product={DAY: "vehicle"}, vehicle_category={DAY: "m1"}, engine_displacement_cm3={DAY: 1598}, mass_tonnes={DAY: -5}, epr_payment={DAY: None}),
     ("product_lines", "l", "mass_tonnes", DAY), ["-5", "negative"]),
    ("negative input of a line asking only the MRP", line(product={DAY: "tyres"}, mass_tonnes={DAY: -5}, mrp={DAY: None}),
     ("product_lines", "l", "mass_tonnes", DAY), ["negative"]),
    ("number given as text", line(product={DAY: "tyres"}, mass_tonnes={DAY: "2+3"}, epr_payment={DAY: None}),
     ("product_lines", "l", "mass_tonnes", DAY), ["expected a number", "2+3"]),
    ("true given for a number", line(product={DAY: "tyres"}, mass_tonnes={DAY: True}, epr_payment={DAY: None}),
     ("product_lines", "l", "mass_tonnes", DAY), ["expected a number", "true"]),
    ("text given for a boolean", line(product={DAY: "vehicle"}, is_electric={DAY: "maybe"}, epr_payment={DAY: None}),
     ("product_lines", "l", "is_electric", DAY), ["true or false"]),
    ("period of a month", line(product={DAY: "tyres"}, mass_tonnes={DAY: 1}, epr_payment={"2021-03": None}),
     ("product_lines", "l", "epr_payment", "2021-03"), ["not one day", "YYYY-MM-DD"]),
    ("period of a year for an input", line(product={"2021": "tyres"}),
     ("product_lines", "l", "product", "2021"), ["not one day"]),
    ("period of two days", line(product={DAY: "tyres"}, mass_tonnes={DAY: 1}, epr_payment={"day:2021-03-01:2": None}),
     ("product_lines", "l", "epr_payment", "day:2021-03-01:2"), ["not one day"]),
    ("unknown enum value", line(product={DAY: "bananas"}),
     ("product_lines", "l", "product", DAY), ["'bananas' is not a known value", "tyres"]),
    ("enum value given as its number", line(product={DAY: 300}),
     ("product_lines", "l", "product", DAY), ["expected one of the names of product", "300"]),
    ("variable of another entity", line(producer_epr_payment={DAY: None}),
     ("product_lines", "l", "producer_epr_payment"), ["variable of producers"]),
    ("id with a slash", {"product_lines": {"a/b": {"product": {DAY: "tyres"}}}},
     ("product_lines", "a/b"), ["without '/'"]),
    ("line in two producers", {"product_lines": {"l": {}}, "producers": {"p": {"lines": ["l"]}, "q": {"lines": ["l"]}}},
     ("producers", "q", "lines"), ["more than once"]),
    ("line of a producer not declared", {"product_lines": {"l": {}}, "producers": {"p": {"lines": ["x"]}}},
     ("producers", "p", "lines"), ["'x' is not declared in product_lines"]),
    ("axes", {**line(product={DAY: "tyres"}, mass_tonnes={DAY: 1}, epr_payment={DAY: None}), "producers": {"p": {"lines": ["l"]}},
              "axes": [[{"count": 3, "name": "mass_tonnes", "min": 0, "max": 10, "period": DAY}]]},
     ("axes",), ["not supported", "/bulk"]),
]


@pytest.mark.parametrize(("situation", "path", "words"), [case[1:] for case in MISTAKES], ids=[case[0] for case in MISTAKES])
def test_a_mistake_is_a_400_naming_where_and_why(server, situation, path, words):
    status, _, body = call("POST", f"{server}/calculate", situation)
    assert status == 400, body
    reason = body
    for key in path:
        reason = reason[key]
    for word in words:
        assert word in reason


@pytest.mark.parametrize("text", [
    b'{"product_lines": ',
    b'{"product_lines": {"\xff": {}}}',
    b"[" * 100_000,
])
def test_malformed_json_is_a_400(server, text):
    status, _, body = call("POST", f"{server}/calculate", text)
    assert status == 400
    assert body["error"].startswith("Invalid JSON")


@pytest.mark.parametrize(("literal", "shown"), [("NaN", "NaN"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity")])
def test_a_non_finite_input_is_a_400(server, literal, shown):
    text = f'{{"product_lines": {{"l": {{"product": {{"2021-03-01": "tyres"}}, "mass_tonnes": {{"2021-03-01": {literal}}}, "mrp": {{"2021-03-01": null}}}}}}}}'
    status, _, body = call("POST", f"{server}/calculate", text)
    assert status == 400
    assert body["product_lines"]["l"]["mass_tonnes"][DAY] == f"{shown} is not a finite number"


def test_a_body_that_is_not_a_situation_is_a_400(server):
    for body in ([1, 2], None, "text", {}):
        status, _, answer = call("POST", f"{server}/calculate", body if body is not None else b"null")
        assert status == 400, (body, answer)


def test_every_mistake_of_a_situation_is_named_at_once(server):
    status, _, body = call("POST", f"{server}/calculate", {"product_lines": {
        "a": {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: -1}},
        "b": {"product": {"2021-03": "oils"}},
    }})
    assert status == 400
    assert "negative" in body["product_lines"]["a"]["mass_tonnes"][DAY]
    assert "not one day" in body["product_lines"]["b"]["product"]["2021-03"]


def test_unknown_variable_and_parameter_are_404(server):
    status, _, body = call("POST", f"{server}/calculate", line(bananas={DAY: 1}))
    assert status == 404
    assert "no variable 'bananas'" in body["product_lines"]["l"]["bananas"]
    status, _, body = call("GET", f"{server}/parameter/goods.appendix_1.bananas?date=2021-03-01")
    assert status == 404
    assert "goods.appendix_1.bananas" in body["error"]
    status, _, body = call("GET", f"{server}/variable/bananas")
    assert status == 404
    assert body["path"] == "/variable/bananas"


@pytest.mark.parametrize(("query", "words"), [
    ("date=2021-13-01", ["2021-13-01", "YYYY-MM-DD"]),
    ("date=yesterday", ["yesterday"]),
    ("date=2019-12-31", ["has no value on 2019-12-31", "starts on 2020-01-17"]),
    ("data=2021-03-01", ["unknown query parameter 'data'"]),
])
def test_a_bad_date_for_a_parameter_is_a_400(server, query, words):
    status, _, body = call("GET", f"{server}/parameter/goods.appendix_1.tyres?{query}")
    assert status == 400
    for word in words:
        assert word in body["error"]


def test_a_wrong_method_is_a_json_405(server):
    status, _, body = call("GET", f"{server}/calculate")
    assert status == 405
    assert "Method Not Allowed" in body["error"]


def test_a_real_bug_is_a_500_with_the_request_id_it_is_logged_with(caplog):
    from openfisca_kz_epr.web import create_app

    app = create_app()

    def broken():
        raise ZeroDivisionError("a planted bug")

    app.add_url_rule("/broken", view_func=broken)
    with caplog.at_level(logging.ERROR, logger="openfisca_kz_epr.web"):
        response = app.test_client().get("/broken", headers={"X-Request-Id": "req-42"})
    assert response.status_code == 500
    assert response.get_json()["request_id"] == "req-42"
    assert response.headers["X-Request-Id"] == "req-42"
    assert "a planted bug" not in response.get_data(as_text=True)  # the details go to the log only
    record = caplog.records[-1]
    assert "req-42" in record.getMessage() and "/broken" in record.getMessage()
    assert record.exc_info[0] is ZeroDivisionError


def test_every_answer_carries_a_request_id(server):
    _, headers, _ = call("GET", f"{server}/version")
    assert len(headers["X-Request-Id"]) == 32
    _, headers, _ = call("POST", f"{server}/calculate", b"{", headers={"X-Request-Id": "mine-1"})
    assert headers["X-Request-Id"] == "mine-1"


def test_request_ids_are_distinct_across_workers():
    """Ids are random in every forked worker, not the same sequence in each."""
    with kz_epr_server(workers=2) as url:
        ids = [call("GET", f"{url}/version")[1]["X-Request-Id"] for _ in range(40)]
    assert len(set(ids)) == 40
