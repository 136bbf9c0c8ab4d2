"""GET /spec: OpenFisca's OpenAPI description of this model, with the paths of ``routes``, the
parameter and variable ids listed, this project's title, version and contact, and openfisca-core's
schemas corrected to what the server answers (``schemas.correct``: DAY periods, ``null``)."""

from __future__ import annotations

import copy

import flask

from openfisca_kz_epr.web import schemas

IDS = {"/parameter/{parameterID}": ("parameterID", "parameters"), "/variable/{variableID}": ("variableID", "variables")}


REPOSITORY = "https://github.com/openfisca-kz-epr/openfisca-kz-epr"
DESCRIPTION = ("Kazakhstan's extended producer responsibility (EPR) payment as of any day, exact to the tiyn and traced to "
               "its legal sources: OpenFisca's web API (/calculate, /trace, /parameters, /variables) and this project's own "
               "endpoints (/bulk, /explain, /customs_code, /changes, /timeline, /version). Every variable is of a DAY "
               "(YYYY-MM-DD). A quantity not given is -1000000000.0 in OpenFisca's own answers (a variable's default) "
               "and null in this project's; a value of the law not known is null with its reason.")


TAGS = {  # openfisca-core's words are a household's (salary, income tax): this model's instead
    "Parameters": "A parameter is a value of the law as of a day (the MRP, a coefficient k of Appendix 1, a vehicle "
                  "coefficient by band), each with the act that sets it, its item, first day and address.",
    "Variables": "A variable is a quantity of a declaration line or of a producer on a day (e.g. mass_tonnes, "
                 "customs_code, epr_payment_tiyn): an input the declarant gives or a step of the formula of the law.",
    "Entities": "An entity is what a variable belongs to: a product line (one line of a declaration: goods, their "
                "packaging, a vehicle or cable) or a producer (the producer or importer who declares the lines).",
    "Calculations": "Compute the payment of declaration lines on a day (/calculate, /trace, /bulk) and explain it "
                    "(/explain, /customs_code, /changes, /timeline).",
    "Documentation": "This description (/spec), the versions (/version) and the interactive documentation (/docs).",
}


def build(openfisca: dict, routes) -> dict:
    """OpenFisca's spec (``openfisca["openAPI_spec"]``) with this project's ``info``, each route's
    OpenAPI path item (replacing OpenFisca's for the same path) and the corrected schemas."""
    spec = copy.deepcopy(openfisca["openAPI_spec"])
    spec["info"] = {**spec["info"], "title": "openfisca-kz-epr web API", "description": DESCRIPTION,
                    "contact": {"name": "openfisca-kz-epr", "url": f"{REPOSITORY}/issues"},
                    "license": {"name": "AGPL-3.0-or-later", "url": "https://www.gnu.org/licenses/agpl-3.0"}}
    spec["info"].pop("termsOfService", None)
    spec["externalDocs"] = {"description": "The integrators' page", "url": f"{REPOSITORY}/blob/main/docs/web-api.md"}
    schemas.correct(spec)
    for tag in spec.get("tags", []):
        if tag["name"] in TAGS:
            tag["description"] = TAGS[tag["name"]]
            tag.pop("externalDocs", None)  # openfisca.org's pages on persons and households
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
