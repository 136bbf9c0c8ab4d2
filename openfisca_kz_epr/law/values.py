"""The law on a day: a parameter's value with the act that set it, how sure we are, and why.

Parameters follow openfisca-france's convention: their ``metadata`` holds ``reference``,
``confidence``, ``official_journal_date`` and ``notes`` keyed by the date from which each
applies, like the values themselves. A ``null`` value means the law's value on those days is
not known (its note says what is missing); no value at all means the day precedes what the
model covers.
"""

from __future__ import annotations

import bisect
import datetime
import weakref
from dataclasses import dataclass
from decimal import Decimal

from openfisca_kz_epr.language import Said
from openfisca_kz_epr.money import decimal_of
from openfisca_kz_epr.tax_benefit_system import LINK_FIELDS  # added for OpenFisca's clients: this package's answers give the act's own record


class NotCovered(LookupError):
    """The day precedes the first value of a parameter; ``args[0]`` is a ``Said`` (what starts
    on which day)."""


@dataclass(frozen=True)
class LegalValue:
    """One parameter's value in force on a day, with its legal source."""

    name: str
    since: datetime.date
    value: Decimal | None
    reference: dict
    confidence: str
    note: str | None
    official_journal_date: str | None
    unit: str | None

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def why_unknown(self) -> str:
        return self.note or f"{self.name} has no known value since {self.since}"

    @property
    def act(self) -> str:
        return self.reference.get("act", "") if self.act_sets_value else ""

    @property
    def act_sets_value(self) -> bool:
        """False for a ``null`` no act sets yet (the MRP of a year whose budget law is not
        published): its reference names the act it is missing from (``missing_act``), not an
        act in force."""
        return self.reference.get("act_sets_value", True) is not False

    @property
    def missing_act(self) -> str | None:
        return None if self.act_sets_value else self.reference.get("missing_act")

    def cite(self) -> str:
        """``act item`` as one short string, e.g. ``order_122_2019 Appendix 1, row 1``; for a
        value no act sets yet, ``missing: <the act it is missing from>``."""
        item = self.reference.get("item")
        act = self.act if self.act_sets_value else f"missing: {self.missing_act}"
        return f"{act} {item}" if item else act


def as_date(day) -> datetime.date:
    if isinstance(day, datetime.date):
        return day
    return datetime.date.fromisoformat(str(day))


def in_force(keyed: dict | None, day: datetime.date):
    """The entry of a date-keyed mapping in force on ``day`` (the latest key not after it)."""
    return _entry(keyed, day)[1]


def _entry(keyed: dict | None, day: datetime.date) -> tuple[datetime.date | None, object]:
    """(key, entry) of the entry of ``keyed`` in force on ``day``; (None, None) if none."""
    keys = [k for k in keyed or () if as_date(k) <= day]
    if not keys:
        return None, None
    key = max(keys, key=as_date)
    return as_date(key), keyed[key]


def _documenting(keyed: dict | None, day: datetime.date, since: datetime.date | None):
    """The entry of ``keyed`` in force on ``day`` if it was written for what is in force
    from ``since`` (its key is not before it): a note documents the value from its date on,
    a publication date the reference from its date on; a later value or reference does not
    inherit them."""
    key, entry = _entry(keyed, day)
    return entry if key is not None and (since is None or key >= since) else None


def metadata_of(parameter, inherited: dict | None = None) -> dict:
    """A parameter's metadata; a scale's bracket inherits its scale's (``inherited``), its own
    date-keyed entries (e.g. a band's confidence and notes) added to the scale's."""
    own = parameter.metadata or {}
    merged = dict(inherited or {})
    for field, value in own.items():
        if isinstance(value, dict) and isinstance(merged.get(field), dict):
            merged[field] = {**merged[field], **value}
        else:
            merged[field] = value
    return merged


def legal_value(parameter, day, inherited: dict | None = None, name: str | None = None) -> LegalValue:
    """The value of ``parameter`` in force on ``day``, with its metadata (see ``metadata_of``):
    the reference and confidence in force; the note only if written for this value (keyed on
    or after the first day it took this value), the publication date only if for this reference.

    Raises ``NotCovered`` before the first value.
    """
    day = as_date(day)
    metadata = metadata_of(parameter, inherited)
    values = parameter.values_list  # newest first
    for index, at_instant in enumerate(values):
        since = as_date(at_instant.instant_str)
        if since <= day:
            raw = at_instant.value
            reference_since, reference = _entry(metadata.get("reference"), day)
            return LegalValue(
                name=name or parameter.name,
                since=since,
                value=None if raw is None else decimal_of(raw),
                reference={key: text for key, text in (reference or {}).items() if key not in LINK_FIELDS},
                confidence=in_force(metadata.get("confidence"), day) or "unknown",
                note=_documenting(metadata.get("notes"), day, _taken(values, index)),
                official_journal_date=_text(_documenting(metadata.get("official_journal_date"), day, reference_since)),
                unit=metadata.get("unit") or metadata.get("amount_unit"),
            )
    first = parameter.values_list[-1].instant_str if parameter.values_list else "?"
    raise NotCovered(Said("{name} starts on {day}", name=name or parameter.name, day=first))


def _taken(values, index: int) -> datetime.date:
    """The first day of the run of equal values (``values`` newest first) that ``values[index]`` ends."""
    for newer, older in zip(values[index:], values[index + 1:]):
        if newer.value != older.value:
            return as_date(newer.instant_str)
    return as_date(values[-1].instant_str)


@dataclass(frozen=True)
class Band:
    """One band of a coefficient scale: from ``above`` (exclusive) up to the next band's ``above``."""

    above: Decimal
    coefficient: LegalValue


def bands(scale, day) -> list[Band]:
    """A scale's bands in force on ``day``, lowest first; bands whose threshold is not yet set
    are left out. Each band includes its upper bound (Appendix 4: "up to 2.5 t", "2.5-3.5 t").
    Raises ``NotCovered`` when no band is set yet."""
    day = as_date(day)
    result = []
    for index, bracket in enumerate(scale.brackets):
        try:
            threshold = legal_value(bracket.threshold, day, scale.metadata)
        except NotCovered:
            continue
        if threshold.known:
            amount = legal_value(bracket.amount, day, scale.metadata, name=f"{scale.name}[{index}]")
            result.append(Band(threshold.value, amount))
    if not result:
        first = min(first_day(bracket.threshold) for bracket in scale.brackets)
        raise NotCovered(Said("{name} starts on {day}", name=scale.name, day=first))
    return result


def first_day(parameter) -> datetime.date:
    return as_date(parameter.values_list[-1].instant_str)


def change_days(node) -> set[datetime.date]:
    """Every day on which a value or a metadata entry of ``node`` (a parameter, a scale or a
    node) takes effect: the boundaries of the legal periods."""
    days: set[datetime.date] = set()
    metadata = getattr(node, "metadata", None) or {}
    for field in ("reference", "confidence", "notes", "official_journal_date"):
        if isinstance(metadata.get(field), dict):
            days.update(as_date(k) for k in metadata[field])
    if hasattr(node, "values_list"):
        days.update(as_date(v.instant_str) for v in node.values_list)
    elif hasattr(node, "brackets"):
        for bracket in node.brackets:
            days |= change_days(bracket.threshold) | change_days(bracket.amount)
    else:
        for child in node.children.values():
            days |= change_days(child)
    return days


def latest_legal_change(parameters) -> datetime.date:
    """The latest day on which an act changes the law as modelled: the latest change day of a
    series (``series``) whose reference in force on that day names an act that sets its value. A
    day from which a value is missing because no act sets it yet (the MRP of a year whose budget
    law is not published: ``act_sets_value: false``) is no change of the law."""
    latest = None
    for parameter, inherited in series(parameters):
        metadata = metadata_of(parameter, inherited)
        for day in change_days(parameter) | {as_date(key) for key in metadata.get("reference") or {}}:
            reference = in_force(metadata.get("reference"), day) or {}
            if reference.get("act_sets_value", True) is not False and (latest is None or day > latest):
                latest = day
    return latest


_PERIOD_STARTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def legal_period_days(parameters) -> tuple[datetime.date, ...]:
    """``change_days`` of a parameter tree, sorted: the first day of each legal period; read
    once per tree (a tree is not changed once in use, as OpenFisca's own parameters-at-instant
    cache assumes; a reform works on its own copy)."""
    if parameters not in _PERIOD_STARTS:
        _PERIOD_STARTS[parameters] = tuple(sorted(change_days(parameters)))
    return _PERIOD_STARTS[parameters]


def legal_period_start(parameters, day) -> datetime.date | None:
    """The first day of the legal period of ``parameters`` that holds ``day``: every value and
    metadata entry is the same from it to ``day``. None before the first change day (no
    parameter has a value yet)."""
    days = legal_period_days(parameters)
    index = bisect.bisect_right(days, as_date(day)) - 1
    return days[index] if index >= 0 else None


PARAMETER_OF_VARIABLE = {"mrp": ("general.mrp", "the MRP"), "cable_rate": ("cable.rate", "the cable rate (item 5-1)"),
                         "vehicle_base_rate": ("vehicles.base_rate", "the vehicles' base rate")}
"""The variables that read one parameter each: its path and what it is, in words."""


def parameter_not_known(parameters, variable: str, day) -> str:
    """Why ``variable`` has no value on ``day``: the day precedes its parameter's first value, or
    the note of the ``null`` it has (what is missing and where to add it)."""
    if variable not in PARAMETER_OF_VARIABLE:
        return f"{variable} is not known on {as_date(day)}: the law's value it needs is not known, or the line cannot be priced"
    path, what = PARAMETER_OF_VARIABLE[variable]
    parameter = parameters
    for name in path.split("."):
        parameter = parameter.children[name]
    try:
        return legal_value(parameter, day).why_unknown
    except NotCovered as error:
        return f"the day is before {what} as modelled: {error}"


def _text(value):
    return None if value is None else str(value)


def series(node, inherited: dict | None = None):
    """Every dated series under ``node`` as (parameter, the metadata it inherits): each
    parameter, and each scale bracket's threshold and amount (inheriting its scale's)."""
    if hasattr(node, "values_list"):
        yield node, inherited
    elif hasattr(node, "brackets"):
        for bracket in node.brackets:
            yield bracket.threshold, node.metadata
            yield bracket.amount, node.metadata
    else:
        for child in node.children.values():
            yield from series(child)
