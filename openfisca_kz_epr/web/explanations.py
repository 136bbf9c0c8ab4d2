"""GET/POST /explain, GET /changes, GET/POST /timeline, GET /customs_code: the JSON of
``openfisca_kz_epr.explain.explanation`` (the same as ``kz-epr explain|changes|timeline|code --json``).

GET takes the line's inputs as query parameters (``/explain?date=2021-03-01&product=tyres&mass_tonnes=2``),
read like a declaration's cells, masses also in kilograms (``mass_kg``, ``packaging_mass_kg``: ``kilograms``); POST takes ``{"date": D, "line": {...}}`` (explain) or
``{"from": D1, "to": D2, "product": P or {...}}`` (timeline). ``/explain`` takes assumed values too
(``assume``: ``web.assumptions``). A mistake is a 400 naming it.
"""

from __future__ import annotations

import flask

from openfisca_kz_epr.explain import explanation
from openfisca_kz_epr.kilograms import in_tonnes
from openfisca_kz_epr.web import assumptions, json_body
from openfisca_kz_epr.web.errors import ApiError


def _body() -> dict:
    body = json_body.loads(flask.request.get_data(), "the body must be a JSON object") if flask.request.get_data() else None
    if not isinstance(body, dict):
        raise ApiError("the body must be a JSON object")
    return body


def _args() -> dict:
    """The query parameters but ``assume`` (``assumptions.system_of`` reads it)."""
    return {name: value for name, value in flask.request.args.items() if name != assumptions.NAME}


def _answer(compute, *arguments):
    try:
        return compute(*arguments)
    except ValueError as error:  # ExplanationError and the reform and product-spec errors
        raise ApiError(str(error)) from None


def explain(api):
    if flask.request.method == "POST":
        body = _body()
        return _answer(explanation.explain, assumptions.system_of(api, body.get(assumptions.NAME)), body.get("date"), body.get("line"))
    line = _answer(in_tonnes, _args())  # a mass in kg it cannot read: a KilogramsError, a 400
    return _answer(explanation.explain, assumptions.system_of(api), line.pop("date", None), line)


def changes(api):
    args = _args()
    unknown = sorted(set(args) - {"from", "to"})
    if unknown:
        raise ApiError(f"unknown query parameter {unknown[0]!r}: GET /changes takes ?from=YYYY-MM-DD&to=YYYY-MM-DD")
    return _answer(explanation.changes, api.system, args.get("from"), args.get("to"))


def customs_code(api):
    args = _args()
    unknown = sorted(set(args) - {"code", "date"})
    if unknown:
        raise ApiError(f"unknown query parameter {unknown[0]!r}: GET /customs_code takes ?code=CODE&date=YYYY-MM-DD")
    if not args.get("code"):
        raise ApiError("code is missing: GET /customs_code takes ?code=CODE&date=YYYY-MM-DD")
    return _answer(explanation.look_up_code, api.system, args["code"], args.get("date"))


def timeline(api):
    if flask.request.method == "POST":
        body = _body()
        return _answer(explanation.timeline, api.system, body.get("product"), body.get("from"), body.get("to"))
    args = _args()
    start, end, product = args.pop("from", None), args.pop("to", None), args.pop("product", None)
    if args:  # a line of inputs: product is then its product key
        product = {"product": product, **args}
    return _answer(explanation.timeline, api.system, product, start, end)
