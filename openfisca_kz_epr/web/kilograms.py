"""Masses in kilograms on the web (``mass_kg``, ``packaging_mass_kg`` of ``GET /explain`` and the
page), read by ``openfisca_kz_epr.kilograms``; a mass that cannot be read is answered 400 naming it
(``ApiError``)."""

from __future__ import annotations

from openfisca_kz_epr import kilograms
from openfisca_kz_epr.web.errors import ApiError

KILOGRAMS = kilograms.KILOGRAMS


def in_tonnes(line: dict) -> dict:
    """``kilograms.in_tonnes(line)``; ``ApiError`` (400) with its message where it refuses."""
    try:
        return kilograms.in_tonnes(line)
    except kilograms.KilogramsError as error:
        raise ApiError(str(error)) from None
