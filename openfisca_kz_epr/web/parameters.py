"""GET /parameter/<id>[?date=YYYY-MM-DD]: a parameter with its legal sources.

Without a date: OpenFisca's answer (every value by the date it took effect) plus ``legal``,
for each day a value or its source changes, what ``?date=`` gives on that day. With a date:
the value in force that day (``null`` where the law's value is not known, with the note that
says what is missing), since when, the act and item that set it, the act's URL and
publication date from ``legislation_refs/``, and how sure we are. A scale gives its bands.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import flask
from openfisca_core.parameters import ParameterNode, ParameterScale

from openfisca_kz_epr.law import acts as legislation
from openfisca_kz_epr.law.values import LegalValue, NotCovered, bands, change_days, legal_value
from openfisca_kz_epr.web.errors import ApiError

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
QUERY = ("date",)


def get(api, parameter_id: str):
    node = find(api.system.parameters, parameter_id)
    unknown = sorted(set(flask.request.args) - set(QUERY))
    if unknown:
        raise ApiError(f"unknown query parameter {unknown[0]!r}: GET /parameter/<id> takes only ?date=YYYY-MM-DD")
    if "date" not in flask.request.args:
        body = dict(api.openfisca["parameters"][node.name.replace(".", "/")])
        if not isinstance(node, ParameterNode):
            body["legal"] = {day.isoformat(): at(node, day) for day in sorted(change_days(node))}
        return body
    return at(node, as_day(flask.request.args["date"]), strict=True)


def find(parameters, parameter_id: str):
    """The parameter, scale or node ``parameter_id`` (``a.b.c`` or ``a/b/c``); 404 if none."""
    node = parameters
    for name in re.split(r"[./]", parameter_id):
        children = getattr(node, "children", None) or {}
        if name not in children:
            raise ApiError({"error": f"no parameter {parameter_id!r} in this model (see GET /parameters)"}, 404)
        node = children[name]
    return node


def as_day(text: str) -> datetime.date:
    try:
        if _DAY.match(text):
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise ApiError(f"date {text!r} is not a day: write it YYYY-MM-DD")


def at(node, day: datetime.date, strict: bool = False) -> dict:
    """``node`` on ``day``: a value, a scale's bands, or a node's children. A day before the
    node's first value is a 400 when ``strict``, else noted in the answer."""
    head = {"id": node.name, "description": node.description, "date": day.isoformat()}
    try:
        if isinstance(node, ParameterNode):
            children = {name: at(child, day) for name, child in node.children.items()}
            return {**head, "children": children}
        if isinstance(node, ParameterScale):
            in_force = bands(node, day)
            return {**head, "band_by": node.metadata.get("band_by"), "bands": [{"above": number(band.above), **value(band.coefficient)} for band in in_force]}
        return {**head, **value(legal_value(node, day))}
    except NotCovered as error:
        if strict:
            raise ApiError(f"{node.name} has no value on {day}: {error}") from None
        return {**head, "not_in_force": str(error)}


def value(legal: LegalValue) -> dict:
    """One value in force with its source."""
    return {
        "value": number(legal.value),
        "unit": legal.unit,
        "since": legal.since.isoformat(),
        "confidence": legal.confidence,
        "note": legal.note,
        "reference": reference(legal),
    }


def reference(legal: LegalValue) -> dict:
    """The act and item that set the value, with the act's facts from ``legislation_refs/``.

    ``published`` is the publication of the value (the parameter's ``official_journal_date``)
    or, where the parameter does not give it, the act's first official publication.
    """
    act = legislation.acts().get(legal.act) or {}
    return {
        "act": legal.act or None,
        "item": legal.reference.get("item"),
        "title": act.get("title_en"),
        "number": act.get("number"),
        "signed": _text(act.get("signed")),
        "published": legal.official_journal_date or _text(act.get("published")),
        "in_force": _text(act.get("in_force")),
        "url": legal.reference.get("url") or act.get("url"),
        "act_confidence": act.get("confidence"),
    }


def number(amount: Decimal | None):
    """A decimal as a JSON number that reads back exactly (else as text)."""
    if amount is None:
        return None
    if amount == amount.to_integral_value():
        return int(amount)
    as_float = float(amount)
    return as_float if Decimal(repr(as_float)) == amount else str(amount)


def _text(day) -> str | None:
    return None if day is None else str(day)
