"""Days cut into intervals of constant law, and one line's tariff on each.

``law.change_days`` gives every day on which a value or a metadata entry of the parameters
takes effect; between two of them the law is the same every day. ``legal_periods`` cuts a
range of days at those days: contiguous, no gap, no overlap. ``tariff_steps`` gives one
line's tariff on each of them, consecutive intervals with the same tariff merged: the history
of a rate with the acts that set it (the simulator's timeline, ``kz-epr timeline``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy

from openfisca_kz_epr.bulk import assess
from openfisca_kz_epr.law import as_date, change_days
from openfisca_kz_epr.method.assessment import ENUM_INPUTS, INPUTS, TEXT_INPUTS
from openfisca_kz_epr.method.tariff import Tariff
from openfisca_kz_epr.products import Product, VehicleCategory

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Interval:
    """The days from ``first`` to ``last``, both included."""

    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def cut(first, last, days) -> list[Interval]:
    """[first, last] cut before each of ``days`` that falls inside it."""
    first, last = as_date(first), as_date(last)
    if last < first:
        raise ValueError(f"{last} is before {first}")
    starts = sorted({first} | {as_date(day) for day in days if first < as_date(day) <= last})
    ends = [start - ONE_DAY for start in starts[1:]] + [last]
    return [Interval(start, end) for start, end in zip(starts, ends)]


def legal_periods(first, last, *parameter_trees) -> list[Interval]:
    """The intervals of [first, last] on which none of ``parameter_trees`` (a law's parameters,
    a reform's) changes."""
    return cut(first, last, set().union(*(change_days(tree) for tree in parameter_trees)))


@dataclass(frozen=True)
class Step:
    """An interval on which a line's tariff is the same; ``problem`` says why the line cannot
    be priced there ('' when it can; ``tariff`` is None when no tariff applies at all).
    ``causes``: the acts (or ``reform:<name>``) that made this step differ from the one before."""

    interval: Interval
    tariff: Tariff | None
    problem: str
    causes: tuple[str, ...] = ()

    @property
    def rate(self) -> Decimal | None:
        return self.tariff.rate if self.tariff is not None and not self.problem else None


def one_line(product: str, **inputs) -> dict:
    """The inputs of one line (``method.assessment.INPUTS``) as 1-element arrays, from names:
    ``one_line("vehicle", vehicle_category="m1", engine_displacement_cm3=1600)``; an enum input
    not given is "not declared". The quantity does not change a tariff: it defaults to 1
    (tonne, tenge of invoice)."""
    values = {"mass_tonnes": 1.0, "invoice_value": 1.0, "is_electric": False, **inputs, "product": product}
    line = {name: numpy.array([values.get(name, numpy.nan)]) for name in INPUTS if name not in TEXT_INPUTS}
    line.update({name: numpy.array([values.get(name, "")], dtype=object) for name in TEXT_INPUTS})
    for name, enum in ENUM_INPUTS.items():
        line[name] = numpy.array([enum[values.get(name, "unspecified")].index], dtype=numpy.int16)
    line["is_electric"] = numpy.array([bool(values["is_electric"])])
    return line


class ProductSpecError(ValueError):
    """A product spec that names no product or band; the message says what is expected."""


PRODUCT_SPEC = "a product key, a customs code (ТН ВЭД), or vehicle:CATEGORY:VALUE (VALUE in the category's band unit, or 'electric')"


def product_spec(spec: str, parameters) -> dict:
    """The line (names, as ``one_line`` takes them) whose rate a timeline follows, from
    ``PRODUCT_SPEC``: ``tyres``, ``vehicle:m1:1600``, ``vehicle:m1:electric``, or a customs
    code ``8471300000``."""
    if spec.replace(" ", "").replace(".", "").isdigit():  # a customs code (ТН ВЭД): its row's rate
        return {"customs_code": spec}
    product, *rest = spec.split(":")
    keys = [p.name for p in Product if p is not Product.unspecified]
    if product not in keys:
        raise ProductSpecError(f"{spec!r}: {product!r} is not one of: {', '.join(keys)}")
    if product != Product.vehicle.name:
        if rest:
            raise ProductSpecError(f"{spec!r}: only vehicle takes :CATEGORY:VALUE")
        return {"product": product}
    categories = [c.name for c in VehicleCategory if c is not VehicleCategory.unspecified]
    if len(rest) != 2 or rest[0] not in categories:
        raise ProductSpecError(f"{spec!r}: a vehicle is vehicle:CATEGORY:VALUE, CATEGORY one of {', '.join(categories)}")
    category, value = rest
    if value == "electric":
        return {"product": product, "vehicle_category": category, "is_electric": True}
    band_by = parameters.vehicles.coefficients.children[category].metadata["band_by"]
    try:
        return {"product": product, "vehicle_category": category, band_by: float(value)}
    except ValueError:
        raise ProductSpecError(f"{spec!r}: {value!r} is not a number of {band_by} nor 'electric'") from None


def tariff_steps(tax_benefit_system, line: dict, first, last) -> list[Step]:
    """The tariff of ``line`` (see ``one_line``) under ``tax_benefit_system`` on every day of
    [first, last], as steps."""
    steps: list[Step] = []
    for interval in legal_periods(first, last, tax_benefit_system.parameters):
        assessment = assess(tax_benefit_system, interval.first, line)
        index = int(assessment.tariff_index[0])
        step = Step(interval, assessment.tariffs[index] if index >= 0 else None, str(assessment.problem[0]))
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
