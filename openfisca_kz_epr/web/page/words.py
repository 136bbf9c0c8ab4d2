"""The page's words in Russian, Kazakh or English: Babel's gettext over the package's catalogues
(``locale/<lang>.po``, the English text being the key, as ``openfisca_kz_epr.language`` reads
them), with the plural forms of each language (``ngettext``), and numbers, days and tenge
written by Babel for the locale; the amount in words by num2words.

``choose(asked, accept_language)`` is the language of a request: ``?lang=`` if it is one of
``LANGUAGES``, else the best of the browser's ``Accept-Language``, else Russian.
"""

from __future__ import annotations

import datetime
import functools
import gettext
import io
from decimal import Decimal

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from num2words import num2words

from openfisca_kz_epr.language import LANGUAGES, LOCALE_DIR

DEFAULT = "ru"
_NUM2WORDS = {"ru": "ru", "kk": "kz", "en": "en"}  # num2words names Kazakh "kz"


def choose(asked: str | None, accept_language) -> str:
    """The language of a request: ``asked`` (``?lang=``) when it is one of ``LANGUAGES``, else the
    best match of ``accept_language`` (werkzeug's ``request.accept_languages``), else ``DEFAULT``."""
    if asked in LANGUAGES:
        return asked
    return accept_language.best_match(LANGUAGES, default=DEFAULT) if accept_language else DEFAULT


@functools.cache
def _translations(code: str) -> gettext.NullTranslations:
    """The catalogue of ``code`` as gettext translations (compiled in memory: no .mo file kept)."""
    if code == "en":
        return gettext.NullTranslations()
    with (LOCALE_DIR / f"{code}.po").open("rb") as file:
        catalogue = read_po(file, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class Words:
    """What the page says in one language: ``gettext``, ``ngettext``, and numbers, amounts and
    days as the language writes them."""

    def __init__(self, code: str) -> None:
        if code not in LANGUAGES:
            raise ValueError(f"lang {code!r}: one of {', '.join(LANGUAGES)}")
        self.code = code
        self._translations = _translations(code)

    def gettext(self, message: str, /, **fields) -> str:
        """``message`` in the language, its ``{fields}`` filled."""
        said = self._translations.gettext(message)
        return said.format(**fields) if fields else said

    def ngettext(self, singular: str, plural: str, count: int, /, **fields) -> str:
        """The form of ``singular`` / ``plural`` for ``count`` in the language (``{count}`` filled)."""
        return self._translations.ngettext(singular, plural, count).format(count=self.number(Decimal(count)), **fields)

    def number(self, value: Decimal) -> str:
        """An exact decimal as the language writes it, every digit kept (``2,345``, ``3 450``)."""
        return _number(value, self.code)

    def amount(self, tiyn: int) -> str:
        """An amount of tiyn in tenge with its two decimals: ``114 477,04 ₸``."""
        return f"{format_decimal(Decimal(int(tiyn)).scaleb(-2), format='#,##0.00', locale=self.code)}\u00a0₸"

    def in_words(self, tiyn: int) -> str:
        """An amount of tiyn in words: whole tenge by num2words, then the tiyn in figures, each
        with its noun in the right plural form: «Сто четырнадцать тысяч ... тенге 04 тиына»."""
        whole, cents = divmod(int(tiyn), 100)
        words = num2words(whole, lang=_NUM2WORDS[self.code])
        tenge = self._translations.ngettext("tenge", "tenge", whole)
        tiyn_word = self._translations.ngettext("tiyn", "tiyn", cents)
        said = f"{words} {tenge} {cents:02d} {tiyn_word}"
        return said[:1].upper() + said[1:]

    def day(self, day: datetime.date) -> str:
        return _day(day, self.code)

    def moment(self, when: datetime.datetime) -> str:
        """A moment as the language writes a day (``day``'s long form, «7 мая 2026 г.») and its time, HH:MM:SS."""
        return f"{self.day(when.date())}, {when:%H:%M:%S}"


# Babel takes about half a millisecond to write a day or a number: the page writes the same few
# again and again (the days of the law's values, its figures), so each is written once.
@functools.lru_cache(maxsize=4096)
def _number(value: Decimal, code: str) -> str:
    return format_decimal(value, format="#,##0.##########", locale=code, decimal_quantization=False)


@functools.lru_cache(maxsize=4096)
def _day(day: datetime.date, code: str) -> str:
    return format_date(day, format="long", locale=code)
