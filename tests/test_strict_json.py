"""Every JSON body of both web servers (``kz-epr serve`` and plain ``openfisca serve`` of this
package) parses with a strict parser: no ``NaN``, ``Infinity`` or ``-Infinity``, which JSON
(RFC 8259) does not have and which OpenFisca's legislation explorer and other clients refuse.

Both servers are asked for /spec, /entities, /parameters, every /parameter/<id>, /variables,
every /variable/<id>, /trace and /calculate of a goods line, a goods line with packaging, a
cable line, a vehicle line and a line the law cannot price; ``kz-epr serve`` also for each of
its own endpoints, answers and errors alike."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from web_server import kz_epr_server, openfisca_server

DAY = "2021-07-01"
LINES = {
    "goods": {"product": "tyres", "mass_tonnes": 2.5},
    "goods_with_packaging": {"product": "oils", "mass_tonnes": 1.2, "packaging_material": "polymer", "packaging_mass_tonnes": 0.05},
    "cable": {"product": "cable_products", "invoice_value": 125000.5},
    "vehicle": {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1598},
    "not_priceable": {"product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": 1598},  # on DAYS below
}
DAYS = {"not_priceable": "2019-01-01"}  # a vehicle's coefficient before 24.05.2019 is not known
# what a line's price goes through: the inputs (given or not), the law's values, the payment
ASKED = ("mass_tonnes", "packaging_mass_tonnes", "invoice_value", "engine_displacement_cm3", "gross_vehicle_mass_tonnes",
         "engine_power_hp", "mrp", "goods_coefficient", "goods_rate_per_tonne", "packaging_coefficient", "packaging_rate_per_tonne",
         "cable_rate", "vehicle_coefficient", "vehicle_base_rate", "vehicle_rate", "line_payment_tiyn", "epr_problem")


def _refuse(token: str):
    raise ValueError(f"{token} is not JSON")


def strict(text: str):
    """``text`` parsed as JSON, refusing NaN, Infinity and -Infinity."""
    return json.loads(text, parse_constant=_refuse)


def fetch(url: str, body: dict | str | None = None, content_type: str = "application/json") -> tuple[int, str]:
    data = None if body is None else (body if isinstance(body, str) else json.dumps(body)).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": content_type, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def strict_json(url: str, body=None, content_type: str = "application/json"):
    status, text = fetch(url, body, content_type)
    try:
        return status, strict(text)
    except ValueError as error:
        raise AssertionError(f"{url}: {error}: {text[:300]}") from None


def situation(name: str, line: dict, asked=ASKED) -> dict:
    day = DAYS.get(name, DAY)
    given = {variable: {day: value} for variable, value in line.items()}
    return {"product_lines": {name: {**given, **{variable: {day: None} for variable in asked if variable not in line}}}}


@pytest.fixture(scope="module", params=["kz-epr serve", "openfisca serve"])
def server(request):
    with (kz_epr_server() if request.param == "kz-epr serve" else openfisca_server()) as url:
        yield url


def test_the_documents_are_strict_json(server):
    for path in ("/spec", "/entities", "/parameters", "/variables"):
        status, _ = strict_json(server + path)
        assert status == 200, path


def test_every_parameter_and_variable_is_strict_json(server):
    _, parameters = strict_json(server + "/parameters")
    _, variables = strict_json(server + "/variables")
    assert len(parameters) > 20 and len(variables) > 40
    for name in parameters:
        status, _ = strict_json(f"{server}/parameter/{name.replace('.', '/')}")
        assert status == 200, name
    for name in variables:
        status, _ = strict_json(f"{server}/variable/{name}")
        assert status == 200, name


@pytest.mark.parametrize("name", LINES)
def test_trace_and_calculate_of_each_kind_of_line_are_strict_json(server, name):
    status, trace = strict_json(server + "/trace", situation(name, LINES[name]))
    assert status == 200, trace
    assert trace["trace"], trace
    strict_json(server + "/calculate", situation(name, LINES[name]))  # kz-epr serve: a 400 naming what is not known
    status, payment = strict_json(server + "/calculate", situation(name, LINES[name], asked=("epr_payment",)))
    assert status == (400 if name == "not_priceable" else 200), payment


def test_a_line_not_given_a_quantity_is_strict_json(server):
    """Its inputs left at their default, its payment not known: still JSON."""
    status, trace = strict_json(server + "/trace", situation("no_mass", {"product": "tyres"}))
    assert status == 200, trace
    strict_json(server + "/calculate", situation("no_mass", {"product": "tyres"}))


@pytest.fixture(scope="module")
def kz_epr():
    with kz_epr_server() as url:
        yield url


def _query(**arguments) -> str:
    return urllib.parse.urlencode(arguments)


PROJECT_GETS = (
    "/", "/version",
    "/parameter/goods/appendix_1/tyres?" + _query(date=DAY),
    "/explain?" + _query(date=DAY, product="tyres", mass_tonnes="2.5"),
    "/explain?" + _query(date=DAY, product="vehicle"),  # not priceable: a 400
    "/explain?" + _query(date="2027-03-01", product="tyres", mass_tonnes="1"),  # the MRP not known
    "/customs_code?" + _query(code="4011100000", date=DAY),
    "/customs_code?" + _query(code="12", date=DAY),
    "/changes?" + _query(**{"from": "2019-01-01", "to": "2026-12-31"}),
    "/timeline?" + _query(product="tyres", **{"from": "2015-01-01", "to": "2027-12-31"}),
    "/timeline?" + _query(product="vehicle:m1:1600", **{"from": "2019-01-01", "to": "2027-12-31"}),
    "/no_such_page", "/variable/no_such_variable", "/parameter/no/such",
)


@pytest.mark.parametrize("path", PROJECT_GETS)
def test_every_project_endpoint_is_strict_json(kz_epr, path):
    strict_json(kz_epr + path)


def test_the_project_posts_are_strict_json(kz_epr):
    strict_json(kz_epr + "/explain", {"date": DAYS["not_priceable"], "line": LINES["not_priceable"]})
    strict_json(kz_epr + "/explain", {"date": DAY, "line": LINES["goods_with_packaging"]})
    strict_json(kz_epr + "/timeline", {"product": LINES["cable"], "from": "2021-01-01", "to": "2027-12-31"})
    lines = "".join(json.dumps({"date": DAYS.get(name, DAY), **line}) + "\n" for name, line in LINES.items())
    lines += json.dumps({"date": "2027-02-01", **LINES["goods"]}) + "\n"
    status, text = fetch(kz_epr + "/bulk", lines, "application/x-ndjson")
    assert status == 200, text
    rows = [strict(row) for row in text.splitlines() if row]
    assert len(rows) == len(LINES) + 1
    status, _ = strict_json(kz_epr + "/bulk", "not json\n", "application/x-ndjson")
    assert status == 400
