"""One line's tariff on every day of a range, as steps: the law cut into legal periods
(``law.intervals.legal_periods``) and the line priced on each by the Method's variables, whose
simulation gives the rate (``line_rate``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import numpy

from openfisca_kz_epr.engine.bulk import assess
from openfisca_kz_epr.law.intervals import Interval, legal_periods
from openfisca_kz_epr.law.tariffs.tariff import Tariff
from openfisca_kz_epr.money import fixed_point


@dataclass(frozen=True)
class Step:
    """An interval on which a line's tariff is the same; ``problem`` says why the line cannot
    be priced there ('' when it can; ``tariff`` is None when no tariff applies at all);
    ``rate``: the simulation's rate of the line (None where it cannot be priced).
    ``causes``: the acts (or ``reform:<name>``) that made this step differ from the one before."""

    interval: Interval
    tariff: Tariff | None
    problem: str
    rate: Decimal | None = None
    causes: tuple[str, ...] = ()


def tariff_steps(tax_benefit_system, line: dict, first, last) -> list[Step]:
    """The tariff of ``line`` (see ``one_line``) under ``tax_benefit_system`` on every day of
    [first, last], as steps."""
    steps: list[Step] = []
    for interval in legal_periods(first, last, tax_benefit_system.parameters):
        assessment = assess(tax_benefit_system, interval.first, line)
        index = int(assessment.tariff_index[0])
        tariff, problem = (assessment.tariffs[index] if index >= 0 else None), str(assessment.problem[0])
        step = Step(interval, tariff, problem, None if problem or tariff is None else rate_of(assessment.rate[0], tariff))
        if steps and _law(steps[-1]) == _law(step):
            steps[-1] = replace(steps[-1], interval=Interval(steps[-1].interval.first, interval.last))
        else:
            steps.append(replace(step, causes=_causes(step, steps[-1] if steps else None)))
    return steps


def _law(step: Step) -> tuple:
    tariff = step.tariff
    return (step.rate, step.problem) + ((tariff.acts, tariff.confidence) if tariff else ())


def _causes(step: Step, before: Step | None) -> tuple[str, ...]:
    """The acts whose values take effect on the step's first day, and those its tariff cites
    that the step before did not; failing both (a change of note or confidence only, or the
    first step), every act its tariff cites."""
    if step.tariff is None:
        return ()
    cited = set(step.tariff.acts)
    new = {value.act for value in step.tariff.values if value.since == step.interval.first and value.act}
    if before is not None and before.tariff is not None:
        new |= cited - set(before.tariff.acts)
    return tuple(sorted(new)) or step.tariff.acts


def rate_of(rate: float, tariff: Tariff) -> Decimal | None:
    """The simulation's rate ``rate`` (``line_rate``) as the exact decimal it holds, to the
    fixed point of the tariff's unit (``money.fixed_point``, as the payment reads it); None
    where it is not known (NaN) or not held to that point (the line's problem says so)."""
    scaled, exact = fixed_point(numpy.array([rate]), tariff.basis.rate_places)
    return Decimal(int(scaled[0])).scaleb(-tariff.basis.rate_places).normalize() if exact[0] else None
