"""The language of a report (``kz-epr audit --lang ru|kk|en``): its added column names, statuses,
confidences and summary, from one message catalogue per language (``locale/<lang>.po``, read
with Babel), and amounts in the summary written for the locale with Babel (``1 234 567,89 ₸``).
The machine CSV keeps plain numbers; the English texts are the model's own words. Flags, errors
and reasons stay in English (not yet in the catalogues).
"""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path

import pyarrow
import pyarrow.compute as pc
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from openfisca_kz_epr.money import tenge

LANGUAGES = ("en", "ru", "kk")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


class Language:
    """``t(text)``: the text in the language (the English text where the catalogue has none);
    ``amount(tiyn)``: an amount of tiyn written for the locale."""

    def __init__(self, code: str = "en") -> None:
        if code not in LANGUAGES:
            raise ValueError(f"--lang {code!r}: one of {', '.join(LANGUAGES)}")
        self.code = code
        self.messages = {} if code == "en" else _catalogue(code)

    def t(self, text: str) -> str:
        """``text`` in the language; a status is asked as ``status <name>`` (its English is the name)."""
        return self.messages.get(text) or text.removeprefix("status ")

    def values(self, cells: pyarrow.Array) -> pyarrow.Array:
        """Cells of a few distinct words (a confidence) each in the language."""
        encoded = cells.dictionary_encode()
        words = pyarrow.array([None if word is None else self.t(word) for word in encoded.dictionary.to_pylist()], pyarrow.string())
        return pc.take(words, encoded.indices)

    def amount(self, tiyn: int) -> str:
        if self.code == "en":
            return f"{tenge(tiyn):,}"
        return f"{format_decimal(Decimal(int(tiyn)).scaleb(-2), format='#,##0.00', locale=self.code)} ₸"


@functools.cache
def _catalogue(code: str) -> dict[str, str]:
    with (LOCALE_DIR / f"{code}.po").open("rb") as file:
        catalogue = read_po(file, locale=code)
    return {message.id: message.string for message in catalogue if message.id and message.string}
