"""Reforms: the law changed on purpose, to ask "what if".

A reform file (YAML) names the parameters it changes and, for each, the dated values that
replace the law's::

    name: eee_coefficient            # an identifier; results cite the reform as reform:eee_coefficient
    description: Electrical and electronic equipment pays k = 10 from 01.07.2021
    changes:
      goods.appendix_1.eee_large:    # a parameter's path in parameters/ (a scale band: vehicles.coefficients.m1[1].amount)
        - start: 2021-07-01          # the first day of the new value
          stop: 2021-12-31           # optional: the last day (inclusive); without it the value stays
          value: 10                  # the new value; or factor: 1.25, the law's value on each day times 1.25

``read_reform`` checks the file's shape, ``plan`` checks every path and value against the law
and works out the dated values; both raise ``ReformError`` naming every problem, before
anything is computed. ``reform_class`` turns a file into an OpenFisca ``Reform`` class (what
``openfisca serve --reforms`` loads; see the example modules of this package) and
``apply_reform`` applies a file or the dotted path of any ``Reform`` class.

A reformed value carries metadata like the law's own (``openfisca_kz_epr.law.values``): reference
``{act: reform:<name>, item}``, confidence ``reform`` and the reform's description as note,
so every result it prices says it is hypothetical: ``epr_legal_basis`` lists
``reform:<name>`` and ``epr_confidence`` is ``reform``. Its dates are legal period bounds
(``law.values.change_days``), so the bulk computation groups lines on them.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from openfisca_core import periods
from openfisca_core.reforms import Reform

from openfisca_kz_epr.law.values import as_date, in_force, metadata_of, series
from openfisca_kz_epr.money import decimal_of

CONFIDENCE = "reform"
METADATA = ("reference", "confidence", "notes", "official_journal_date")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_ENTRY_KEYS = {"start", "stop", "value", "factor"}
_ONE_DAY = datetime.timedelta(days=1)


class _Loader(yaml.SafeLoader):
    """YAML with dates left as text, so that a bad date is reported like any bad value."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ReformError(ValueError):
    """A reform that cannot be applied; the message names the file and every problem."""


@dataclass(frozen=True)
class Change:
    """One dated entry of a reform file: from ``start`` to ``stop`` (inclusive; None: for
    good), the parameter ``path`` takes ``value``, or the law's value times ``factor``."""

    path: str
    start: datetime.date
    stop: datetime.date | None
    value: Decimal | None = None
    factor: Decimal | None = None

    def describe(self) -> str:
        what = f"= {_plain(self.value)}" if self.factor is None else f"× {_plain(self.factor)} of the law's value"
        until = f" to {self.stop}" if self.stop else ""
        return f"{self.path} {what} from {self.start}{until}"


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


@dataclass(frozen=True)
class ReformFile:
    """A reform (``kind`` 'reform': the law changed on purpose) or an assumption (``kind``
    'assumed': a value the law has not published yet, ``reforms.assumptions``)."""

    name: str
    description: str
    changes: tuple[Change, ...]
    source: str
    kind: str = CONFIDENCE

    @property
    def act(self) -> str:
        """How results cite the reform (in place of a legislation_refs/ act id)."""
        return f"{self.kind}:{self.name}"

    @property
    def note(self) -> str:
        return f"Reform {self.name}: {self.description}" if self.kind == CONFIDENCE else self.description


@dataclass(frozen=True)
class Edit:
    """A value a reform puts on one parameter from ``start`` to ``stop`` (inclusive)."""

    change: Change
    start: datetime.date
    stop: datetime.date | None
    value: Decimal


def read_reform(path) -> ReformFile:
    """The reform file at ``path``, its shape checked (not yet its paths: see ``plan``)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ReformError(f"reform file {path}: cannot be read ({error.strerror})") from None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        raise ReformError(f"reform file {path}: not valid YAML ({' '.join(str(error).split())})") from None
    return parse_reform(data, f"reform file {path}")


def parse_reform(data, source: str = "reform") -> ReformFile:
    """A reform from its YAML content; ``source`` names it in errors."""
    if not isinstance(data, dict):
        raise ReformError(f"{source}: expected a mapping with name, description and changes")
    problems = [f"unknown field {key!r}" for key in data if key not in ("name", "description", "changes")]
    name, description, changes = data.get("name"), data.get("description"), data.get("changes")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        problems.append(f"name {name!r} must be an identifier (lower case letters, digits, _)")
    if not isinstance(description, str) or not description.strip():
        problems.append("description is missing")
    parsed: list[Change] = []
    if not isinstance(changes, dict) or not changes:
        problems.append("changes must map parameter paths to lists of {start, stop, value or factor}")
    else:
        for path, entries in changes.items():
            parsed.extend(_changes(str(path), entries, problems))
    if problems:
        raise ReformError(f"{source}: " + "; ".join(problems))
    return ReformFile(name, " ".join(description.split()), tuple(parsed), source)


def _changes(path: str, entries, problems: list[str]) -> list[Change]:
    if not isinstance(entries, list) or not entries:
        problems.append(f"{path}: expected a list of {{start, stop, value or factor}}")
        return []
    found = []
    for number, entry in enumerate(entries, 1):
        where = f"{path} entry {number}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping with start and value (or factor)")
            continue
        problems.extend(f"{where}: unknown field {key!r}" for key in entry if key not in _ENTRY_KEYS)
        start = _day(entry.get("start"), f"{where}: start", problems, required=True)
        stop = _day(entry.get("stop"), f"{where}: stop", problems, required=False)
        if start and stop and stop < start:
            problems.append(f"{where}: stop {stop} is before start {start}")
        if ("value" in entry) == ("factor" in entry):
            problems.append(f"{where}: give exactly one of value and factor")
            continue
        field = "value" if "value" in entry else "factor"
        number_ = _number(entry[field], f"{where}: {field}", problems)
        if start and number_ is not None and not (stop and stop < start):
            found.append(Change(path, start, stop, **{field: number_}))
    found.sort(key=lambda change: change.start)
    for before, after in itertools.pairwise(found):
        if before.stop is None or before.stop >= after.start:
            problems.append(f"{path}: the entries from {before.start} and from {after.start} overlap")
    return found


def _day(value, where: str, problems: list[str], required: bool) -> datetime.date | None:
    if value is None:
        if required:
            problems.append(f"{where} is missing")
        return None
    if isinstance(value, str) and len(value) == 10:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"{where} {value!r} is not a day (YYYY-MM-DD)")
    return None


def _number(value, where: str, problems: list[str]) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(f"{where} {value!r} is not a number")
        return None
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(f"{where} {value!r} is not finite")
        return None
    if value < 0:
        problems.append(f"{where} {value!r} is negative")
        return None
    try:
        return decimal_of(value)
    except ValueError:
        problems.append(f"{where} {value!r} has more than 6 decimals")
        return None


def plan(reform: ReformFile, parameters) -> list[Edit]:
    """The dated values ``reform`` puts on ``parameters``: every path must name one
    parameter, and a factor must give values of at most 6 decimals. Raises ``ReformError``."""
    leaves = {parameter.name: parameter for parameter, _ in series(parameters)}
    problems: list[str] = []
    edits: list[Edit] = []
    for change in reform.changes:
        parameter = leaves.get(change.path)
        if parameter is None:
            problems.append(_not_a_parameter(change.path, leaves))
        elif change.factor is None:
            edits.append(Edit(change, change.start, change.stop, change.value))
        else:
            edits.extend(_scaled(parameter, change, problems))
    if problems:
        raise ReformError(f"{reform.source}: " + "; ".join(dict.fromkeys(problems)))
    return edits


def _not_a_parameter(path: str, leaves: dict) -> str:
    below = sorted(name for name in leaves if name.startswith((path + ".", path + "[")))
    if below:
        shown = ", ".join(below[:4]) + (", …" if len(below) > 4 else "")
        return f"{path} is a group of parameters, not one: name one of {shown}"
    close = difflib.get_close_matches(path, leaves, n=1)
    return f"{path} is not a parameter" + (f" (did you mean {close[0]}?)" if close else "")


def _scaled(parameter, change: Change, problems: list[str]) -> list[Edit]:
    """The law's values over the change's days, times its factor. Days whose law is unknown
    (null) stay unknown: a factor cannot make a value up."""
    edits = []
    for since, until, value in _intervals(parameter):
        start = max(since, change.start)
        stop = until if change.stop is None else (change.stop if until is None else min(until, change.stop))
        if value is None or (stop is not None and stop < start):
            continue
        try:
            scaled = decimal_of(str(decimal_of(value) * change.factor))
        except ValueError:
            problems.append(f"{change.path}: {value} × {change.factor} has more than 6 decimals")
            continue
        edits.append(Edit(change, start, stop, scaled))
    if not edits:
        problems.append(f"{change.describe()}: the law has no known value on those days to scale")
    return edits


def _intervals(parameter):
    """(first day, last day or None, value) of each of the parameter's values, oldest first."""
    values = list(reversed(parameter.values_list))
    for index, at_instant in enumerate(values):
        since = as_date(at_instant.instant_str)
        until = as_date(values[index + 1].instant_str) - _ONE_DAY if index + 1 < len(values) else None
        yield since, until, at_instant.value


def modify(parameters, reform: ReformFile, edits: list[Edit]):
    """Put ``edits`` on ``parameters`` (a copy of the law), values and metadata alike."""
    leaves = {parameter.name: (parameter, inherited) for parameter, inherited in series(parameters)}
    original = {path: copy.deepcopy(metadata_of(*leaves[path])) for path in {edit.change.path for edit in edits}}
    for edit in sorted(edits, key=lambda edit: edit.start):
        parameter, _ = leaves[edit.change.path]
        parameter.update(
            start=periods.instant(edit.start.isoformat()),
            stop=periods.instant(edit.stop.isoformat()) if edit.stop else None,
            value=float(edit.value),
        )
        _label(parameter, original[edit.change.path], reform, edit)
    return parameters


def _label(parameter, original: dict, reform: ReformFile, edit: Edit) -> None:
    """Date-keyed metadata saying the reform set the value from ``edit.start`` to
    ``edit.stop``, and the law's own again from the day after."""
    entries = {
        "reference": {"act": reform.act, "item": edit.change.describe()},
        "confidence": reform.kind,
        "notes": reform.note,
        "official_journal_date": None,
    }
    own = parameter.metadata
    for field in METADATA:
        keyed = own[field] = dict(own.get(field) or {})
        law = original.get(field) or {}
        if edit.stop is not None:
            keyed[_key(edit.stop + _ONE_DAY, keyed, law)] = in_force(law, edit.stop + _ONE_DAY)
        for key in law:
            if edit.start < as_date(key) <= (edit.stop or datetime.date.max):
                keyed[key] = entries[field]
        keyed[_key(edit.start, keyed, law)] = entries[field]


def _key(day: datetime.date, *mappings) -> str:
    """The key for ``day`` in date-keyed metadata: the existing one, or the ISO date."""
    for mapping in mappings:
        for key in mapping:
            if as_date(key) == day:
                return key
    return day.isoformat()


def reform_class(path) -> type[Reform]:
    """An OpenFisca ``Reform`` class applying the reform file at ``path``. A system it makes
    pickles as the file applied again (``apply_reform``): a worker process rebuilds it from the
    same path, which it must be able to read."""
    return reform_of(read_reform(path), path)


def reform_of(reform: ReformFile, path=None) -> type[Reform]:
    """An OpenFisca ``Reform`` class applying ``reform`` (``read_reform``, ``parse_reform``); its
    systems pickle where it was read from a file (``path``)."""

    def apply(self) -> None:
        edits = plan(reform, self.baseline.parameters)
        self.modify_parameters(lambda parameters: modify(parameters, reform, edits))

    def rebuilt(self):
        return apply_reform, (self.baseline, str(path))

    members = {"__doc__": reform.description, "name": reform.description, "apply": apply}
    if path is not None:
        members["__reduce__"] = rebuilt
    return type(reform.name, (Reform,), members)


def apply_reform(baseline, reform: str):
    """``baseline`` reformed by ``reform``: a reform file (``.yaml``) or the dotted path of a
    ``Reform`` class (``openfisca_kz_epr.reforms.small_consignments.small_consignments``)."""
    if reform.endswith((".yaml", ".yml")) or Path(reform).is_file():
        return reform_class(reform)(baseline)
    try:
        return baseline.apply_reform(reform)
    except ValueError as error:
        reason = [line for line in str(error).splitlines() if line.strip()][-1]
        raise ReformError(f"reform {reform}: {reason}") from None
