"""POST /calculate answered by the plain WSGI path (``web.calculate_path``) and by the Flask app
give the same status, headers and bytes: good requests, a user's mistake, bad JSON, an unknown
variable, a line the law cannot price."""

import io
import json

import pytest

from openfisca_kz_epr.web import create_app
from openfisca_kz_epr.web.calculate_path import CalculatePath

DAY = "2021-03-01"
BODIES = [
    {"product_lines": {"line": {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: 2.5}, "epr_payment": {DAY: None}}}},
    {"product_lines": {"a": {"product": {DAY: "cable_products"}, "invoice_value": {DAY: 1000.5}, "line_payment_tiyn": {DAY: None}},
                       "b": {"customs_code": {DAY: "8471300000"}, "mass_tonnes": {DAY: 0.75}, "line_legal_basis": {DAY: None}}}},
    {"product_lines": {"line": {"product": {"2023-05-01": "tyres"}, "mass_tonnes": {"2023-05-01": -1}, "epr_payment": {"2023-05-01": None}}}},
    {"product_lines": {"line": {"product": {DAY: "tyres"}, "no_such_variable": {DAY: None}}}},
    {"product_lines": {"line": {"mass_tonnes": {DAY: 1}, "epr_payment": {DAY: None}}}},
    {"product_lines": {"line": {"product": {"1999-01-01": "tyres"}, "mass_tonnes": {"1999-01-01": 1}, "epr_payment": {"1999-01-01": None}}}},
]


@pytest.fixture(scope="module")
def paths():
    app = create_app()
    plain = app.wsgi_app.app  # body.WholeBody's inner app
    assert isinstance(plain, CalculatePath)
    return plain, plain.flask_wsgi


def _answer(wsgi, body: bytes):
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/calculate", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "5000",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
               "CONTENT_TYPE": "application/json", "HTTP_X_REQUEST_ID": "same-id", "REMOTE_ADDR": "127.0.0.1",
               "wsgi.errors": io.StringIO()}
    started = []
    data = b"".join(wsgi(environ, lambda status, headers, *info: started.append((status, headers))))
    return started[0][0], started[0][1], data


@pytest.mark.parametrize("body", [json.dumps(body).encode() for body in BODIES] + [b"{not json", b"[]"])
def test_the_plain_path_answers_as_flask(paths, body):
    plain, flask_wsgi = paths
    assert _answer(plain, body) == _answer(flask_wsgi, body)


def test_the_plain_path_answers_a_good_request_itself(paths, monkeypatch):
    plain, _ = paths
    monkeypatch.setattr(plain, "flask_wsgi", lambda *args: pytest.fail("handed to Flask"))
    status, _, data = _answer(plain, json.dumps(BODIES[0]).encode())
    assert status == "200 OK" and json.loads(data)["product_lines"]["line"]["epr_payment"][DAY] == 103188.88  # 2.5 × 2 917 × 14.15 = 103 188.875, half up
