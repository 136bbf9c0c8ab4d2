"""Every malformed request is a 400 (408 for a body that stalls) with the request's id, never
a 500: a lone surrogate ("\\ud800") in any string, an integer of more than 4 300 digits, JSON
nested 100 000 deep, on every route that reads JSON."""

import json
import socket
import urllib.parse

import pytest
from web_server import kz_epr_server

from openfisca_kz_epr.web.app import create_app

SITUATION = ('{"producers": {"p": {"product_lines": ["l"]}}, "product_lines": {"l": {"product": {"2021-03-01": @}, '
             '"mass_tonnes": {"2021-03-01": 1}, "epr_payment": {"2021-03-01": null}}}}')  # @: the value tried
SURROGATE = '"tyres\\ud800"'  # JSON's escape of a lone surrogate: valid JSON, no character
HUGE = "1" * 5000  # more digits than Python turns into an int (4 300)
DEEP = "[" * 100_000 + "]" * 100_000

CASES = [
    ("/calculate", "application/json", SITUATION.replace("@", SURROGATE)),
    ("/calculate", "application/json", SITUATION.replace("@", HUGE)),
    ("/calculate", "application/json", DEEP),
    ("/trace", "application/json", SITUATION.replace("@", SURROGATE)),
    ("/trace", "application/json", SITUATION.replace("@", HUGE)),
    ("/trace", "application/json", DEEP),
    ("/bulk", "application/x-ndjson", '{"date": "2021-03-01", "product": @}\n'.replace("@", SURROGATE)),
    ("/bulk", "application/x-ndjson", '{"date": "2021-03-01", "product": "tyres", "mass_tonnes": @}\n'.replace("@", HUGE)),
    ("/bulk", "application/x-ndjson", DEEP + "\n"),
    ("/explain", "application/json", '{"date": "2021-03-01", "line": {"product": @}}'.replace("@", SURROGATE)),
    ("/explain", "application/json", '{"date": "2021-03-01", "line": {"product": "tyres", "mass_tonnes": @}}'.replace("@", HUGE)),
    ("/explain", "application/json", DEEP),
    ("/timeline", "application/json", '{"from": "2021-01-01", "to": "2021-12-31", "product": @}'.replace("@", SURROGATE)),
    ("/timeline", "application/json", '{"from": "2021-01-01", "to": "2021-12-31", "product": "tyres", "x": @}'.replace("@", HUGE)),
    ("/timeline", "application/json", DEEP),
]


@pytest.fixture(scope="module")
def client(tax_benefit_system):
    return create_app(tax_benefit_system).test_client()


@pytest.mark.parametrize(("route", "kind", "body"), CASES, ids=[f"{r}-{i % 3}" for i, (r, _, _) in enumerate(CASES)])
def test_a_malformed_json_body_is_a_400_with_the_request_id(client, route, kind, body):
    answer = client.post(route, data=body.encode(), content_type=kind)
    assert answer.status_code == 400, answer.text
    parsed = json.loads(answer.text, parse_constant=lambda name: pytest.fail(f"{name} in the answer"))
    assert parsed["error"] and parsed["request_id"] == answer.headers["X-Request-Id"]


def test_a_body_that_stalls_is_cut_after_the_stated_timeout():
    with kz_epr_server(1, 1, "--body-timeout", "1") as url:
        address = urllib.parse.urlsplit(url)
        with socket.create_connection((address.hostname, address.port), timeout=60) as connection:
            connection.sendall(b"POST /bulk HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 100\r\n\r\ndate,")
            answer = connection.recv(4096).decode()  # waits for the server: no answer would fail on the socket's timeout
        assert answer.startswith("HTTP/1.1 408"), answer
