"""GET /spec: OpenFisca's OpenAPI description of this model, with the paths of ``routes``, the
parameter and variable ids listed, and numbers marked as quantities (never negative)."""

from __future__ import annotations

import copy

import flask

IDS = {"/parameter/{parameterID}": ("parameterID", "parameters"), "/variable/{variableID}": ("variableID", "variables")}


def build(openfisca: dict, routes) -> dict:
    """OpenFisca's spec (``openfisca["openAPI_spec"]``) with each route's OpenAPI path item,
    replacing OpenFisca's for the same path."""
    spec = copy.deepcopy(openfisca["openAPI_spec"])
    for route in routes:
        spec["paths"].update(copy.deepcopy(route.openapi or {}))
    for path, (name, kind) in IDS.items():  # the ids that exist, so that a client (or a fuzzer) can find them
        for argument in spec["paths"][path]["get"]["parameters"]:
            if argument["name"] == name:
                argument["schema"]["enum"] = sorted(item.get("id", key) for key, item in openfisca[kind].items())
    for schema in spec["components"]["schemas"].values():
        for variable in (schema.get("properties") or {}).values():
            values = variable.get("additionalProperties")
            if isinstance(values, dict) and values.get("type") in ("number", "integer"):
                values["minimum"] = 0
    return spec


def get(api):
    return {**api.spec, "servers": [{"url": flask.request.host_url.rstrip("/")}]}
