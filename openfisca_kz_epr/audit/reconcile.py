"""Declarations against payments: what the law says each row should have paid, the
difference from what was paid, and a status. Any face that holds columns of cells (the CSV
audit, a web endpoint) reconciles them here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
import pyarrow

from openfisca_kz_epr.engine.bulk import compute
from openfisca_kz_epr.engine.declarations import (
    COLUMNS,
    parse_numbers,
    read_declarations,
    texts,
)
from openfisca_kz_epr.money import INVOICE_DECIMALS, fixed_point
from openfisca_kz_epr.problems import Problems

INPUT_COLUMNS = ("declaration_id", COLUMNS[0], "producer_id", *COLUMNS[1:], "paid_amount")
STATUSES = ("ok", "underpaid", "overpaid", "error")
OK, UNDERPAID, OVERPAID, ERROR = range(len(STATUSES))


@dataclass
class Reconciled:
    """Per row: the expected payment and paid amount in tiyn (valid where ``priced`` and
    ``paid_known``), the status (index in ``STATUSES``), the reason of an error, the acts
    used, the confidence, the year of the date (-1 when unreadable), the expected
    payment's two parts in tiyn (goods, packaging; valid where ``priced``), and what the row is
    priced as (a ``Product`` index, ``unspecified`` where not found)."""

    expected: numpy.ndarray
    priced: numpy.ndarray
    paid: numpy.ndarray
    paid_known: numpy.ndarray
    status: numpy.ndarray
    error: numpy.ndarray
    legal_basis: numpy.ndarray
    confidence: numpy.ndarray
    year: numpy.ndarray
    goods: numpy.ndarray
    packaging: numpy.ndarray
    product: numpy.ndarray
    operator: object = None  # OperatorFigures with --operator-rules
    relief: numpy.ndarray | None = None  # where rows claim under art. 386: why a part is not owed (engine.bulk.BulkResult)
    relieved: numpy.ndarray | None = None  # and what the Method would charge on it, in tiyn (-1 where not known)


def reconcile(tax_benefit_system, columns: dict, size: int, tolerance_tiyn: int,
              row_problems: numpy.ndarray | None = None, kilograms: tuple[str, ...] = (), operator=None) -> Reconciled:
    """Price the declarations ``columns`` (name → cells, see ``INPUT_COLUMNS``) and compare
    each with its ``paid_amount``: within ``tolerance_tiyn`` either way it is ``ok``. A row with
    a problem of the file itself (``row_problems``: '' or the reason) is an error with it.
    ``kilograms``: the mass columns given in kilograms. ``operator`` (``operator_rules.OperatorRules``)
    adds the operator's figures."""
    days, lines, problem = read_declarations(columns, size, kilograms)
    if row_problems is not None:
        problem = numpy.where(row_problems != "", row_problems, problem)
    result = compute(tax_benefit_system, days, lines, problem)
    priced = result.ok
    paid, paid_known, paid_problem = _paid(texts(columns.get("paid_amount"), size))

    problems = Problems(size)
    problems.flag(~priced, result.problem)
    problems.flag(~paid_known, paid_problem)
    difference = paid - result.tiyn
    status = numpy.where(difference < -tolerance_tiyn, UNDERPAID, numpy.where(difference > tolerance_tiyn, OVERPAID, OK))
    status[problems.found] = ERROR
    year = numpy.where(numpy.isnat(days), -1, days.astype("datetime64[Y]").astype(numpy.int64) + 1970)
    figures = None if operator is None else operator.figures(columns, size, days, lines, problem, result.tiyn, priced)
    return Reconciled(result.tiyn, priced, paid, paid_known, status.astype(numpy.int8), problems.text,
                      result.legal_basis, result.confidence, year, result.goods_tiyn, result.packaging_tiyn,
                      result.product, figures, result.relief, result.relieved_tiyn)


def _paid(cells: pyarrow.StringArray) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """The amounts paid, in tiyn, whether each is readable, and the problem of those that are not."""
    problems = Problems(len(cells))
    values = parse_numbers("paid_amount", cells, problems)
    tiyn, exact = fixed_point(values, INVOICE_DECIMALS)
    problems.flag(numpy.isnan(values), "paid_amount is missing")
    problems.flag(values < 0, lambda i: f"paid_amount {cells[i].as_py()!r} is negative")
    problems.flag(~exact, lambda i: f"paid_amount {cells[i].as_py()!r} is finer than a tiyn or too large to hold exactly")
    return tiyn, ~problems.found, problems.text
