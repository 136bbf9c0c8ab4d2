"""A tariff: the values of the law that price one unit of a line on a day, and why.

The unit depends on the item of the law: a tonne of goods (item 5), a tenge of invoice value
(item 5-1), one vehicle (chapter 2, item 9). ``Basis`` holds how each is made exact. A tariff
computes nothing: the rate is the Method's variables' (``line_rate``), read from the
simulation that priced the line.
"""

from __future__ import annotations

from dataclasses import dataclass

from openfisca_kz_epr.law.values import LegalValue


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
    """The values of the law that price one kind of line on one day, and the formula that
    combines them (``formula``: the Method's words).

    ``known`` is False when a value the law needs is unknown; ``reason`` then says what is
    missing. Where a value is 0 (a legitimate nothing-owed), ``reason`` says why.
    """

    basis: Basis
    formula: str
    values: tuple[LegalValue, ...]
    reason: str | None = None
    known: bool = True

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
    return Tariff(basis, formula, values, reason, known=False)
