"""Masses given in kilograms (``mass_kg``, ``packaging_mass_kg``: what the operator's portal, the
page, ``GET /explain`` and ``kz-epr explain --mass-kg`` take), read as the model's inputs in tonnes
(``mass_tonnes``, ``packaging_mass_tonnes``) by moving the decimal point: exact, never a float
division.

``in_tonnes(line)`` takes the line's inputs (name → text) and returns them with each kg input
replaced by its tonnes; ``KilogramsError`` (a ``ValueError``; the web API answers it 400, the CLI
exits 2) for a mass given both ways or not a plain decimal.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from openfisca_kz_epr.language import Said

KILOGRAMS = {"mass_kg": "mass_tonnes", "packaging_mass_kg": "packaging_mass_tonnes"}
DIGITS = 15  # a mass written with more is refused, not expanded (``1e999999999`` would be a billion digits)


class KilogramsError(ValueError):
    """A mass in kilograms that cannot be read, or given in tonnes as well: the message (a
    ``language.Said``, so that the page says it in its language) names it."""


def in_tonnes(line: dict, spelled=str) -> dict:
    """``line`` with ``mass_kg`` / ``packaging_mass_kg`` (decimal text, e.g. ``2345`` or
    ``2 345,5``) as ``mass_tonnes`` / ``packaging_mass_tonnes`` (``2.345``, ``2.3455``).
    ``spelled(name)`` is how the face names an input in a message (the CLI: ``--mass-kg``)."""
    line = dict(line)
    for input_kg, input_tonnes in KILOGRAMS.items():
        if input_kg not in line:
            continue
        kilograms, tonnes = spelled(input_kg), spelled(input_tonnes)
        text = str(line.pop(input_kg)).strip()
        if line.get(input_tonnes) not in (None, ""):
            raise KilogramsError(Said("{name} and {other} both given: give the mass once", name=kilograms, other=tonnes))
        try:
            mass = Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            raise KilogramsError(Said("{name} {typed!r} is not a number of kilograms", name=kilograms, typed=text)) from None
        if not mass.is_finite() or mass.adjusted() > DIGITS or mass.as_tuple().exponent < -DIGITS:
            raise KilogramsError(Said("{name} {typed!r} is not a number of kilograms (at most {digits} digits each side of the point)",
                                      name=kilograms, typed=text, digits=DIGITS))
        line[input_tonnes] = format(mass.scaleb(-3).normalize(), "f")
    return line
