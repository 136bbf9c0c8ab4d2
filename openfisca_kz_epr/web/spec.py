"""GET /spec: OpenFisca's OpenAPI description of this model, with the paths of ``routes``."""

from __future__ import annotations

import copy

import flask


def build(openfisca_spec: dict, routes) -> dict:
    """OpenFisca's spec with each route's OpenAPI path item (replacing OpenFisca's for the same path)."""
    spec = copy.deepcopy(openfisca_spec)
    for route in routes:
        spec["paths"].update(route.openapi or {})
    return spec


def get(api):
    return {**api.spec, "servers": [{"url": flask.request.host_url.rstrip("/")}]}
