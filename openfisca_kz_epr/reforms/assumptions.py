"""Assumed values: a parameter the law has not published yet, given for one run.

``general.mrp@2027-01-01=4500`` (``--assume`` on every ``kz-epr`` command that prices, the
``assume`` query parameter or field of the web API): the parameter ``general.mrp`` takes 4 500
from 01.01.2027 until the law's next dated entry (or the next assumption of it). Only a day whose
value the law leaves unknown (``null``) may be assumed; a value the law already has is refused,
naming it: changing it is a reform (``--reform``).

The assumptions are one OpenFisca reform of the parameters (``assume``), built the way a reform
file is (``reforms.modify``): each value is cited ``assumed:<path>@<day>=<value>`` and its
confidence is ``assumed`` (``law.tariffs.tariff.weakest``), so every result it prices says so
in ``epr_confidence`` and names the value in ``epr_legal_basis``; its first day is a legal period
bound, so the bulk computation groups lines on it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openfisca_core.reforms import Reform

from openfisca_kz_epr.language import Said
from openfisca_kz_epr.law.reform_marks import ASSUMED as KIND
from openfisca_kz_epr.law.values import NotCovered, as_date, legal_value, series
from openfisca_kz_epr.money import decimal_of
from openfisca_kz_epr.reforms import Change, Edit, ReformError, ReformFile, _not_a_parameter, _plain, modify

FORM = "PARAMETER@YYYY-MM-DD=VALUE, e.g. general.mrp@2027-01-01=4500"
_TEXT = re.compile(r"^\s*(?P<path>[^@=\s]+)\s*@\s*(?P<day>[^=\s]+)\s*=\s*(?P<value>\S+)\s*$")
_ONE_DAY = datetime.timedelta(days=1)


class AssumptionError(ReformError):
    """An assumption that cannot be read or applied; the message (``args[0]``, a ``Said`` where one
    assumption is wrong) names it and why."""


@dataclass(frozen=True)
class Assumption:
    """``path`` takes ``value`` from ``start``, a day the law leaves unknown."""

    path: str
    start: datetime.date
    value: Decimal

    @property
    def text(self) -> str:
        return f"{self.path}@{self.start}={_plain(self.value)}"


def read_assumption(text: str) -> Assumption:
    """``PARAMETER@DAY=VALUE`` as an ``Assumption``; ``AssumptionError`` naming what is wrong."""
    found = _TEXT.match(str(text))
    if not found:
        raise AssumptionError(Said("assumption {text!r}: expected {form}", text=text, form=FORM))
    try:
        start = datetime.date.fromisoformat(found["day"])
    except ValueError:
        raise AssumptionError(Said("assumption {text!r}: {value!r} is not a day (YYYY-MM-DD)", text=text, value=found["day"])) from None
    try:
        value = decimal_of(Decimal(found["value"]))
    except (InvalidOperation, ValueError):
        raise AssumptionError(Said("assumption {text!r}: {value!r} is not a number of at most 6 decimals", text=text,
                                   value=found["value"])) from None
    if not value.is_finite() or value < 0:
        raise AssumptionError(Said("assumption {text!r}: the value must be a finite number, not negative", text=text))
    return Assumption(found["path"], start, value)


def planned(assumptions: list[Assumption], parameters) -> list[tuple[ReformFile, Edit]]:
    """Each assumption as a reform of one value over the days it covers: from its day to the day
    before the law's next dated entry or the next assumption of the same parameter. Raises
    ``AssumptionError`` for a path that is not a parameter, a day before the parameter starts, or
    a day whose value the law already has."""
    leaves = {parameter.name: parameter for parameter, _ in series(parameters)}
    problems, plans = [], []
    for assumption in sorted(assumptions, key=lambda a: (a.path, a.start)):
        parameter = leaves.get(assumption.path)
        if parameter is None:
            problems.append(Said("assumption {text}: {why}", text=assumption.text, why=_not_a_parameter(assumption.path, leaves)))
            continue
        try:
            law = legal_value(parameter, assumption.start)
        except NotCovered as error:
            problems.append(Said("assumption {text}: the day precedes the parameter ({error})", text=assumption.text, error=str(error),
                                 day=parameter.values_list[-1].instant_str))
            continue
        if law.known:
            problems.append(Said("assumption {text}: the law already has {name} = {value} on {day} ({cite}, from {since}): an "
                                 "assumption is only for a value the law has not published; changing a known value is a reform "
                                 "(--reform)", text=assumption.text, name=assumption.path, value=_plain(law.value),
                                 day=assumption.start, cite=law.cite(), since=law.since))
            continue
        later = [as_date(at.instant_str) for at in parameter.values_list if as_date(at.instant_str) > assumption.start]
        later += [a.start for a in assumptions if a.path == assumption.path and a.start > assumption.start]
        stop = min(later) - _ONE_DAY if later else None
        change = Change(assumption.path, assumption.start, stop, value=assumption.value)
        description = (f"Assumed for this run, not law: {assumption.path} = {_plain(assumption.value)} from {assumption.start}"
                       f"{f' to {stop}' if stop else ''}; the law's value is not published ({law.why_unknown})")
        plans.append((ReformFile(assumption.text, description, (change,), "--assume", KIND),
                      Edit(change, assumption.start, stop, assumption.value)))
    if problems:
        raise AssumptionError(problems[0] if len(problems) == 1 else "; ".join(problems))
    return plans


def assume(baseline, texts) -> object:
    """``baseline`` with the assumed values ``texts`` (``PARAMETER@DAY=VALUE`` each), or
    ``baseline`` itself when there are none. Raises ``AssumptionError``."""
    assumptions = [read_assumption(text) for text in texts or ()]
    if not assumptions:
        return baseline
    plans = planned(assumptions, baseline.parameters)

    class assumed_values(Reform):
        name = "Assumed values: " + ", ".join(a.text for a in assumptions)

        def apply(self) -> None:
            def put(parameters):
                for reform, edit in plans:
                    modify(parameters, reform, [edit])
                return parameters

            self.modify_parameters(put)

    return assumed_values(baseline)
