"""Days cut into intervals of constant law, and one line named by a short spec.

``law.values.change_days`` gives every day on which a value or a metadata entry of the
parameters takes effect; between two of them the law is the same every day. ``legal_periods``
cuts a range of days at those days: contiguous, no gap, no overlap (``explain.steps`` prices a
line on each: the history of a rate with the acts that set it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy

from openfisca_kz_epr.law.tariffs.day import ENUM_INPUTS, INPUTS, TEXT_INPUTS
from openfisca_kz_epr.law.values import as_date, change_days
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


def one_line(product: str, **inputs) -> dict:
    """The inputs of one line (``law.tariffs.day.INPUTS``) as 1-element arrays, from names:
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
