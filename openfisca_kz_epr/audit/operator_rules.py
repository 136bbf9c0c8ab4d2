"""The operator's figure beside the law's (``kz-epr audit --operator-rules``).

The operator's portal prices with one MRP per calendar year (``audit.operator_practice``, an OpenFisca reform) and
may price a line on the day its application was sent rather than the day of import
(``--date-rule sent``, the ``sent_date`` column: evidence_operator_portal). For every line this
gives what those rules charge, the difference with the law's figure, and why, in words: which
value differs, with the act or the practice behind each.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy

from openfisca_kz_epr.audit.operator_practice import ZERO_K_FROM, ZERO_K_TABLE, operator_practice, zero_k
from openfisca_kz_epr.engine.bulk import compute
from openfisca_kz_epr.engine.declarations import parse_dates, texts
from openfisca_kz_epr.language import Language, Message
from openfisca_kz_epr.law.values import NotCovered, legal_value
from openfisca_kz_epr.problems import Problems

DATE_RULES = ("import", "sent")
OPERATOR_COLUMNS = ("operator_payment", "operator_difference", "operator_reason")


@dataclass
class OperatorFigures:
    """Per line: the operator's payment in tiyn (valid where ``priced``), and why it differs from
    the law's, or why it could not be computed ('' where it is the law's)."""

    tiyn: numpy.ndarray
    priced: numpy.ndarray
    reason: numpy.ndarray


class OperatorRules:
    """The operator's system (built once), its date rule, and the language its reasons are said in."""

    def __init__(self, tax_benefit_system, date_rule: str = "import", language: Language | None = None) -> None:
        if date_rule not in DATE_RULES:
            raise ValueError(f"--date-rule {date_rule!r}: one of {', '.join(DATE_RULES)}")
        self.law = tax_benefit_system
        self.system = operator_practice(tax_benefit_system)
        self.date_rule = date_rule
        self.language = language or Language()

    def figures(self, columns: dict, size: int, days, lines, problem, law_tiyn, law_priced) -> OperatorFigures:
        """The operator's figures of lines already read (``days``, ``lines``, ``problem``: as
        ``read_declarations`` gives them) and priced by the law (``law_tiyn`` where ``law_priced``)."""
        problems = Problems(size)
        problems.flag(problem != "", problem)
        operator_days = days
        if self.date_rule == "sent":
            cells = texts(columns.get("sent_date"), size)
            operator_days = parse_dates(cells)
            missing = numpy.isnat(operator_days)
            problems.flag(missing & (cells.to_numpy(zero_copy_only=False) == ""),
                          "sent_date is missing (--date-rule sent prices a line on the day its application was sent)")
            problems.flag(missing, lambda i: f"sent_date {cells[i].as_py()!r} is not a date (YYYY-MM-DD)")
        result = compute(self.system, operator_days, lines, problems.text)
        priced = result.ok
        reason = numpy.where(priced, "", result.problem).astype(object)
        differ = numpy.flatnonzero(priced & law_priced & (result.tiyn != law_tiyn))
        codes = columns.get("customs_code")
        zero = (zero_k(texts(codes, size)) & (operator_days >= numpy.datetime64(ZERO_K_FROM)) if codes is not None
                else numpy.zeros(size, dtype=bool))
        said = {}
        for i in differ.tolist():
            key = (days[i], operator_days[i], bool(zero[i]))
            if key not in said:
                said[key] = self._why(*key)
            reason[i] = said[key]
        return OperatorFigures(result.tiyn, priced, reason)

    def _why(self, day, operator_day, zero_k_code: bool = False) -> str:
        """What differs between the law on ``day`` and the operator's rules on ``operator_day``
        (``zero_k_code``: the line's customs code carries k 0 in the operator's table)."""
        parts = []
        if zero_k_code:
            parts.append(Message("k 0 for this customs code in the operator's table from {since} ({act}), where the law "
                                 "keeps the k of its row", since=ZERO_K_FROM, act=ZERO_K_TABLE))
        if operator_day != day:
            parts.append(Message("priced on sent_date {sent} (the operator's date rule) instead of the import date {day}",
                                 sent=operator_day, day=day))
        law, operator = (_mrp(system, at) for system, at in ((self.law, day), (self.system, operator_day)))
        if law and operator and law.value != operator.value:
            parts.append(Message("MRP {operator} ({act}: one MRP per calendar year, operator practice) instead of the law's "
                                 "{law} ({cited}, from {since})", operator=_plain(operator.value), act=operator.act,
                                 law=_plain(law.value), cited=law.cite(), since=law.since))
        if not parts:
            parts.append(Message("the operator's rules on {sent} give another figure than the law on {day}", sent=operator_day,
                                 day=day))
        return "; ".join(part.said(self.language) for part in parts)


def _plain(value) -> str:
    return format(value.normalize(), "f")


def _mrp(system, day):
    try:
        return legal_value(system.parameters.general.mrp, str(day))
    except NotCovered:
        return None
