"""Masses given in kilograms on the web (``mass_kg``, ``packaging_mass_kg``: what the operator's
portal and the page ask for), read as the model's inputs in tonnes (``mass_tonnes``,
``packaging_mass_tonnes``) by moving the decimal point: exact, never a float division.

``in_tonnes(line)`` takes the line's inputs (name → text) and returns them with each kg input
replaced by its tonnes; ``ApiError`` (400) for a mass given both ways or not a plain decimal.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from openfisca_kz_epr.web.errors import ApiError

KILOGRAMS = {"mass_kg": "mass_tonnes", "packaging_mass_kg": "packaging_mass_tonnes"}
DIGITS = 15  # a mass written with more is refused, not expanded (``1e999999999`` would be a billion digits)


def in_tonnes(line: dict) -> dict:
    """``line`` with ``mass_kg`` / ``packaging_mass_kg`` (decimal text, e.g. ``2345`` or
    ``2 345,5``) as ``mass_tonnes`` / ``packaging_mass_tonnes`` (``2.345``, ``2.3455``)."""
    line = dict(line)
    for kilograms, tonnes in KILOGRAMS.items():
        if kilograms not in line:
            continue
        text = str(line.pop(kilograms)).strip()
        if line.get(tonnes) not in (None, ""):
            raise ApiError(f"{kilograms} and {tonnes} both given: give the mass once")
        try:
            mass = Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            raise ApiError(f"{kilograms} {text!r} is not a number of kilograms") from None
        if not mass.is_finite() or mass.adjusted() > DIGITS or mass.as_tuple().exponent < -DIGITS:
            raise ApiError(f"{kilograms} {text!r} is not a number of kilograms (at most {DIGITS} digits each side of the point)")
        line[tonnes] = format(mass.scaleb(-3).normalize(), "f")
    return line
