"""A tariff: what one unit of a line costs on a day under the Method, and why.

The unit depends on the item of the law: a tonne of goods (item 5), a tenge of invoice value
(item 5-1), one vehicle (chapter 2, item 9). ``Basis`` holds how each is made exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openfisca_kz_epr.law.values import LegalValue
from openfisca_kz_epr.money import scaled_int


@dataclass(frozen=True)
class Basis:
    """A unit of charge: the input that counts it, at what fixed point, and how to reach tiyn."""

    key: str
    quantity: str | None  # the input variable counted; None: one per line
    quantity_places: int  # the input held as an integer of 10**-places
    rate_places: int  # the rate held as an integer of 10**-places
    unit: str


PER_TONNE = Basis("per_tonne", "mass_tonnes", 6, 8, "KZT per tonne")
SHARE_OF_INVOICE = Basis("share_of_invoice", "invoice_value", 2, 6, "share of the invoice value")
PER_VEHICLE = Basis("per_vehicle", None, 0, 8, "KZT per vehicle")


@dataclass(frozen=True)
class Tariff:
    """The rate in force for one kind of line on one day.

    ``rate`` is None when the law's value is unknown; ``reason`` then says what is missing.
    A rate of 0 is a legitimate nothing-owed, and ``reason`` says why.
    """

    basis: Basis
    rate: Decimal | None
    formula: str
    values: tuple[LegalValue, ...]
    reason: str | None = None

    @property
    def known(self) -> bool:
        return self.rate is not None

    @property
    def confidence(self) -> str:
        """'unknown', else 'reform' when a reform set a value used (the result is
        hypothetical), else 'assumed' when a value was assumed for the run, else 'inferred' or
        'confirmed'."""
        if not self.known:
            return "unknown"
        return weakest(value.confidence for value in self.values)

    @property
    def acts(self) -> tuple[str, ...]:
        return tuple(sorted({value.act for value in self.values if value.act}))

    def scaled_rate(self) -> int:
        """The rate as an integer of 10**-rate_places of its unit."""
        return scaled_int(self.rate, self.basis.rate_places)


def weakest(levels) -> str:
    """The confidence of a result made of values of the confidences ``levels``: 'unknown' if
    any is, else 'reform' if a reform set one (the result is hypothetical), else 'assumed' if a
    value was assumed for the run (``reforms.assumptions``: not yet published), else 'inferred'
    if any is, else 'confirmed'."""
    levels = set(levels)
    for level in ("unknown", "reform", "assumed", "inferred"):
        if level in levels:
            return level
    return "confirmed"


def unknown(basis: Basis, formula: str, values: tuple[LegalValue, ...], reason: str) -> Tariff:
    return Tariff(basis, None, formula, values, reason)
