"""The OpenAPI schemas of what this package's own endpoints take and answer (``routes``), and the
corrections ``spec.build`` makes to openfisca-core's schemas so that ``/spec`` says what the
server does: variables of a DAY, values keyed by a day, ``null`` where it is given or answered.

A value not known is ``null`` in this package's JSON, with the reason beside it (``reason``,
``missing``, ``note``); amounts are decimal texts (``kzt``) and integers of tiyn (``tiyn``).
"""

from __future__ import annotations

DAY_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
"""A day the model prices, 1900-01-01 to 2100-12-31, written YYYY-MM-DD (``input_checks.day_mistake``
also refuses a day not of the calendar, such as 2021-02-30)."""

DAY = {"type": "string", "format": "date", "pattern": DAY_PATTERN, "example": "2021-03-01"}
TEXT = {"type": "string"}
MAYBE_TEXT = {"type": "string", "nullable": True}
TEXTS = {"type": "array", "items": TEXT}
ANY = {"nullable": True}  # a value of the law: a number, a text, a table, or null (not known)
OBJECT = {"type": "object"}
MAYBE_OBJECT = {"type": "object", "nullable": True}
ERROR = {"type": "object", "description": "What is wrong and where: {\"error\": text} or the situation with each mistake in "
                                          "place of its value; the X-Request-Id header names the request"}
AMOUNT = {"type": "object", "required": ["kzt", "tiyn"], "properties": {
    "kzt": {"type": "string", "description": "exact decimal of tenge, e.g. 103188.88"},
    "tiyn": {"type": "integer", "description": "the same amount in tiyn (0.01 KZT)"}}}
ACT = {"type": "object", "nullable": True, "required": ["id"], "description": "An act or source of legislation_refs/", "properties": {
    "id": TEXT, "kind": MAYBE_TEXT, "number": MAYBE_TEXT, "title_en": MAYBE_TEXT, "title_ru": MAYBE_TEXT, "signed": MAYBE_TEXT,
    "in_force": MAYBE_TEXT, "in_force_confidence": MAYBE_TEXT, "published": MAYBE_TEXT, "repealed_on": MAYBE_TEXT,
    "url": MAYBE_TEXT, "confidence": MAYBE_TEXT, "sources": {"type": "array"}}}
LEGAL_VALUE = {"type": "object", "required": ["name", "value"], "description": "A value of the law on the day, with its act", "properties": {
    "name": TEXT, "value": {**MAYBE_TEXT, "description": "the value as an exact decimal; null: not known (note says why)"},
    "unit": MAYBE_TEXT, "since": MAYBE_TEXT, "item": MAYBE_TEXT, "url": MAYBE_TEXT, "note": MAYBE_TEXT, "confidence": MAYBE_TEXT,
    "official_journal_date": MAYBE_TEXT, "act": ACT}}
EXPLANATION = {"type": "object", "required": ["date", "line", "product", "status", "values", "missing", "acts"], "properties": {
    "date": TEXT, "line": {**OBJECT, "description": "the line's inputs as given"}, "product": TEXT,
    "customs_code": {**MAYBE_OBJECT, "description": "what the customs code named, when the line gave one"},
    "packaging": {**MAYBE_OBJECT, "description": "the packaging's part: its row, rate, values and payment"},
    "parts": {"type": "object", "nullable": True, "properties": {"goods": AMOUNT, "packaging": AMOUNT}},
    "status": {**TEXT, "description": "priced, nothing owed, or why the line cannot be priced"},
    "formula": MAYBE_TEXT, "basis": MAYBE_TEXT, "unit": MAYBE_TEXT,
    "quantity": {"type": "object", "nullable": True, "properties": {"name": TEXT, "value": TEXT}},
    "rate": {**MAYBE_TEXT, "description": "null: not known on the day (reason and missing say why)"},
    "payment": {**AMOUNT, "nullable": True, "description": "null: the line cannot be priced (reason says why)"},
    "reason": MAYBE_TEXT, "band": MAYBE_OBJECT, "confidence": MAYBE_TEXT,
    "values": {"type": "array", "items": LEGAL_VALUE}, "missing": {"type": "array", "items": LEGAL_VALUE},
    "acts": TEXTS, "arithmetic": TEXTS}}
CUSTOMS_CODE = {"type": "object", "required": ["code", "date"], "properties": {
    "code": TEXT, "date": TEXT, "listed_code": MAYBE_TEXT, "row": MAYBE_TEXT, "row_label": MAYBE_TEXT, "note": MAYBE_TEXT,
    "confidence": MAYBE_TEXT, "list": ACT, "source": ACT, "rate": {**EXPLANATION, "nullable": True}}}
CHANGES = {"type": "object", "required": ["from", "to", "count", "acts"], "properties": {
    "from": TEXT, "to": TEXT, "count": {"type": "integer"},
    "acts": {"type": "array", "items": {"type": "object", "properties": {"act": ACT, "changes": {"type": "array", "items": {
        "type": "object", "properties": {"day": TEXT, "parameter": TEXT, "field": TEXT, "old": ANY, "new": ANY}}}}}}}}
TIMELINE = {"type": "object", "required": ["from", "to", "intervals"], "properties": {
    "from": TEXT, "to": TEXT, "product": {"nullable": True}, "unit": MAYBE_TEXT,
    "intervals": {"type": "array", "items": {"type": "object", "required": ["first", "last"], "properties": {
        "first": TEXT, "last": TEXT, "days": {"type": "integer"}, "status": MAYBE_TEXT, "formula": MAYBE_TEXT, "unit": MAYBE_TEXT,
        "rate": {**MAYBE_TEXT, "description": "null: not known in the interval (reason says why)"}, "reason": MAYBE_TEXT,
        "band": MAYBE_OBJECT, "confidence": MAYBE_TEXT, "acts": TEXTS, "causes": TEXTS,
        "values": {"type": "array", "items": {"type": "object", "properties": {
            "name": TEXT, "value": MAYBE_TEXT, "act": MAYBE_TEXT, "item": MAYBE_TEXT, "confidence": MAYBE_TEXT}}}}}}}}
VERSION = {"type": "object", "required": ["package", "version", "openfisca_core", "latest_legal_change"], "properties": {
    "package": TEXT, "version": TEXT, "openfisca_core": TEXT, "latest_legal_change": {**TEXT, "format": "date"},
    "legal_periods": {"type": "integer"}, "commit": {**MAYBE_TEXT, "description": "null when the package is not run from a git checkout"}}}
PARAMETER_ON_A_DAY = {"type": "object", "required": ["id"], "description": "The parameter: its values with their acts, or with "
                      "?date= the value in force that day (null: not known, the note says why)", "properties": {"id": TEXT}}
EXPLAIN_LINE = {"type": "object", "required": ["date", "line"], "properties": {
    "date": DAY, "line": {**OBJECT, "description": "the line's inputs: product or customs_code, mass_tonnes, invoice_value, "
                                                   "the packaging's and the vehicle's"}}}
TIMELINE_LINE = {"type": "object", "required": ["product", "from", "to"], "properties": {
    "product": {"description": "a product key, a customs code, vehicle:CATEGORY:VALUE, or an object of a line's inputs"},
    "from": DAY, "to": DAY}}


def json(schema: dict, description: str) -> dict:
    """An OpenAPI response of ``schema`` as JSON."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def correct(spec: dict) -> None:
    """openfisca-core's schemas, as this server answers: a variable is of a DAY and its default
    any JSON value (``money.NOT_KNOWN``, 0, false, a name); each variable's values are keyed by a
    day, and may be ``null`` (asked for in a situation, or an input not given in an answer)."""
    schemas = spec["components"]["schemas"]
    schemas["Trace"]["properties"]["trace"]["additionalProperties"]["properties"]["parameters"]["additionalProperties"] = {
        "description": "the parameter's value on the day: a number, a text, a table"}
    variable = schemas["Variable"]["properties"]
    variable["definitionPeriod"]["enum"] = ["DAY", *variable["definitionPeriod"]["enum"]]
    variable["defaultValue"] = {"description": "the value of a line that does not give it: -1000000000.0 for a quantity "
                                               "(money.NOT_KNOWN: not given), 0, false, '' or a name"}
    for situation in ("SituationInput", "SituationOutput"):  # an entity given as null has no member, and is answered so
        for members in schemas[situation]["properties"].values():
            members["nullable"] = True
    entities = [reference["additionalProperties"]["$ref"].rsplit("/", 1)[1]
                for reference in schemas["SituationInput"]["properties"].values()]
    for entity in entities:
        for values in schemas[entity]["properties"].values():
            by_day = values.get("additionalProperties")
            if values.get("type") == "object" and isinstance(by_day, dict) and "$ref" not in by_day:
                values["description"] = "The variable's value on each day (YYYY-MM-DD); null asks for it"
                by_day["nullable"] = True
