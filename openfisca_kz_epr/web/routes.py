"""The endpoints ``kz-epr serve`` answers beyond, or instead of, OpenFisca's web API: one
``Route`` each.

To add one (say ``/explain``): write its handler, ``handler(api, **path_arguments)``, which
reads ``flask.request``, returns a JSON-able dict (or ``(dict, status)``, or a
``flask.Response``) and raises ``errors.ApiError`` for a user's mistake; then add a ``Route``
below with its OpenAPI description. It goes into ``/spec``, which the tests fuzz.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openfisca_kz_epr.web import (
    bulk,
    calculate,
    docs,
    explanations,
    parameters,
    schemas,
    spec,
    version,
)
from openfisca_kz_epr.web.schemas import DAY, json

_ERRORS = {
    "400": json(schemas.ERROR, "A mistake in the request, or a line the law cannot price; the body says where and why"),
    "404": json(schemas.ERROR, "No such parameter, variable or file"),
}

_ASSUME = {"name": "assume", "in": "query", "required": False, "schema": {"type": "string"},
           "description": "a value the law has not published, PARAMETER@DAY=VALUE, e.g. general.mrp@2027-01-01=4500 (repeatable)"}


@dataclass(frozen=True)
class Route:
    """``rule`` (a Flask URL rule) answered by ``handler``; ``endpoint`` names OpenFisca's view
    it answers instead of; ``openapi`` is its OpenAPI path item, keyed by its OpenAPI path."""

    rule: str
    handler: Callable
    methods: tuple[str, ...] = ("GET",)
    endpoint: str | None = None
    openapi: dict | None = None


ROUTES: tuple[Route, ...] = (
    Route("/calculate", calculate.calculate, ("POST",), endpoint="calculate"),
    Route("/trace", calculate.trace, ("POST",), endpoint="trace"),
    Route("/spec", spec.get, endpoint="get_spec"),
    Route("/docs", docs.page, openapi={"/docs": {"get": {
        "tags": ["Documentation"],
        "summary": "This reference, readable: Swagger UI reading /spec (its files are served from the package: no CDN)",
        "operationId": "docs",
        "responses": {"200": {"description": "The HTML page", "content": {"text/html": {"schema": {"type": "string"}}}}},
    }}}),
    Route("/docs/<name>", docs.asset, openapi={"/docs/{name}": {"get": {
        "tags": ["Documentation"],
        "summary": "A file of the /docs page",
        "operationId": "docsFile",
        "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string", "enum": [*docs.ASSETS, "initializer.js"]}}],
        "responses": {"200": {"description": "The file", "content": {"text/css": {"schema": {"type": "string"}},
                                                                     "text/javascript": {"schema": {"type": "string"}},
                                                                     "image/png": {"schema": {"type": "string", "format": "binary"}}}},
                      "404": _ERRORS["404"]},
    }}}),
    Route("/parameter/<path:parameter_id>", parameters.get, endpoint="get_parameter", openapi={"/parameter/{parameterID}": {"get": {
        "tags": ["Parameters"],
        "summary": "A parameter: all its values with their legal sources, or, with ?date=, the value in force that day",
        "operationId": "getParameter",
        "parameters": [
            {"name": "parameterID", "in": "path", "required": True, "schema": {"type": "string"}, "description": "e.g. goods.appendix_1.tyres"},
            {"name": "date", "in": "query", "required": False, "schema": DAY, "description": "a day, YYYY-MM-DD"},
        ],
        "responses": {"200": json(schemas.PARAMETER_ON_A_DAY, "The parameter"), **_ERRORS},
    }}}),
    Route("/version", version.get, openapi={"/version": {"get": {
        "tags": ["Documentation"],
        "summary": "Versions of the package and of openfisca-core, the latest legal change the model knows, the commit",
        "operationId": "getVersion",
        "responses": {"200": json(schemas.VERSION, "What is answering")},
    }}}),
    Route("/bulk", bulk.post, ("POST",), openapi={"/bulk": {"post": {
        "tags": ["Calculations"],
        "summary": "Price many declaration lines at once (CSV or JSON lines), one result per line",
        "operationId": "bulk",
        "parameters": [_ASSUME],
        "requestBody": {"required": True, "content": {
            bulk.CSV: {"schema": {"type": "string"}, "example": "date,product,mass_tonnes\n2021-03-01,tyres,2.5\n"},
            # JSON lines: any text is read line by line, and a line that is no declaration is that line's error
            bulk.JSON_LINES[0]: {"schema": {"description": "one JSON object a line"},
                                 "example": '{"date": "2021-03-01", "product": "tyres", "mass_tonnes": 2.5}\n'},
        }},
        "responses": {
            "200": {"description": "One result per line, in the request's format", "content": {bulk.CSV: {"schema": {"type": "string"}}, bulk.JSON_LINES[0]: {"schema": {"type": "string"}}}},
            "400": _ERRORS["400"],
        },
    }}}),
    Route("/explain", explanations.explain, ("GET", "POST"), openapi={"/explain": {
        "get": {
            "tags": ["Explanations"],
            "summary": "Why a line owes what it owes on a day: formula, inputs, each value with its act, the arithmetic, the exact result",
            "operationId": "explain",
            "parameters": [
                {"name": "date", "in": "query", "required": True, "schema": DAY},
                {"name": "product", "in": "query", "required": False, "schema": {"type": "string"}, "description": "e.g. tyres, cable_products, vehicle (or give customs_code)"},
                {"name": "customs_code", "in": "query", "required": False, "schema": {"type": "string"}, "description": "the goods' customs code (ТН ВЭД), e.g. 8471300000"},
                {"name": "mass_tonnes", "in": "query", "required": False, "schema": {"type": "string"}},
                {"name": "mass_kg", "in": "query", "required": False, "schema": {"type": "string"}, "description": "the mass in kg, instead of mass_tonnes"},
                {"name": "invoice_value", "in": "query", "required": False, "schema": {"type": "string"}},
                {"name": "packaging_material", "in": "query", "required": False, "schema": {"type": "string"}, "description": "paper, glass, polymer, metal or combined"},
                {"name": "packaging_customs_code", "in": "query", "required": False, "schema": {"type": "string"}},
                {"name": "packaging_mass_tonnes", "in": "query", "required": False, "schema": {"type": "string"}},
                _ASSUME,
                {"name": "packaging_mass_kg", "in": "query", "required": False, "schema": {"type": "string"}, "description": "the packaging's mass in kg, instead of packaging_mass_tonnes"},
            ],
            "responses": {"200": json(schemas.EXPLANATION, "The explanation"), "400": _ERRORS["400"]},
        },
        "post": {
            "tags": ["Explanations"],
            "summary": "The same, for a line given as JSON: {\"date\": D, \"line\": {inputs}}",
            "operationId": "explainLine",
            "requestBody": {"required": True, "content": {"application/json": {"schema": schemas.EXPLAIN_LINE,
                            "example": {"date": "2021-03-01", "line": {"product": "tyres", "mass_tonnes": 2}}}}},
            "responses": {"200": json(schemas.EXPLANATION, "The explanation"), "400": _ERRORS["400"]},
        },
    }}),
    Route("/customs_code", explanations.customs_code, openapi={"/customs_code": {"get": {
        "tags": ["Explanations"],
        "summary": "What a customs code (ТН ВЭД) names on a day: the listed code, its row of Appendix 1, the source of the map, the row's rate",
        "operationId": "customsCode",
        "parameters": [
            {"name": "code", "in": "query", "required": True, "schema": {"type": "string", "pattern": "^[0-9][0-9 .]*[0-9]$", "minLength": 4},
             "description": "4 to 10 digits (spaces and dots allowed), e.g. 8471300000"},
            {"name": "date", "in": "query", "required": True, "schema": DAY},
        ],
        "responses": {"200": json(schemas.CUSTOMS_CODE, "The look-up"), "400": _ERRORS["400"]},
    }}}),
    Route("/changes", explanations.changes, openapi={"/changes": {"get": {
        "tags": ["Explanations"],
        "summary": "Every change of the law after one day up to another, grouped by act, old and new values",
        "operationId": "changes",
        "parameters": [
            {"name": "from", "in": "query", "required": True, "schema": DAY},
            {"name": "to", "in": "query", "required": True, "schema": DAY},
        ],
        "responses": {"200": json(schemas.CHANGES, "The changes"), "400": _ERRORS["400"]},
    }}}),
    Route("/timeline", explanations.timeline, ("GET", "POST"), openapi={"/timeline": {
        "get": {
            "tags": ["Explanations"],
            "summary": "The rate of a product or vehicle band on every interval of constant law, with the acts that set it",
            "operationId": "timeline",
            "parameters": [
                {"name": "product", "in": "query", "required": True, "schema": {"type": "string"}, "description": "tyres, vehicle:m1:1600, …"},
                {"name": "from", "in": "query", "required": True, "schema": DAY},
                {"name": "to", "in": "query", "required": True, "schema": DAY},
            ],
            "responses": {"200": json(schemas.TIMELINE, "The intervals"), "400": _ERRORS["400"]},
        },
        "post": {
            "tags": ["Explanations"],
            "summary": "The same, for a line of inputs: {\"product\": {inputs} or P, \"from\": D1, \"to\": D2}",
            "operationId": "timelineLine",
            "requestBody": {"required": True, "content": {"application/json": {"schema": schemas.TIMELINE_LINE,
                            "example": {"product": "tyres", "from": "2020-01-01", "to": "2020-12-31"}}}},
            "responses": {"200": json(schemas.TIMELINE, "The intervals"), "400": _ERRORS["400"]},
        },
    }}),
)
