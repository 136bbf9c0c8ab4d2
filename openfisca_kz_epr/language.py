"""The language a person reads (``kz-epr audit|explain --lang ru|kk|en``): the audit report's added
column names, statuses, confidences, flags and summary, the CLI's messages and ``explain``'s
words, from one message catalogue per language (``locale/<lang>.po``, read with Babel), and
amounts written for the locale with Babel (``1 234 567,89 ₸``). The English texts are the model's
own words and the catalogues' keys; a text a catalogue lacks is said in English. The model's
reasons (why a line cannot be priced, why nothing is owed) are ``Said``: English text that keeps
its ``Message`` (its template, a stable key, and its fields: the input, the value, the day, the
act), so a face says them in its language (``Language.say``) while the machine outputs keep the
English. The machine CSV and JSON keep plain numbers and English keys.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path

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

    def say(self, text) -> str:
        """A text of the model in the language: a ``Said`` by its message, anything else as ``t``."""
        return text.message.said(self) if isinstance(text, Said) else self.t(str(text))

    def values(self, cells):
        """Cells (a pyarrow array) of a few distinct words (a confidence) each in the language."""
        import pyarrow  # here: the faces that only say messages need no pyarrow
        import pyarrow.compute as pc

        encoded = cells.dictionary_encode()
        words = pyarrow.array([None if word is None else self.t(word) for word in encoded.dictionary.to_pylist()], pyarrow.string())
        return pc.take(words, encoded.indices)

    def amount(self, tiyn: int) -> str:
        if self.code == "en":
            return f"{tenge(tiyn):,}"
        from babel.numbers import format_decimal  # here: loading Babel is for a language other than English

        return f"{format_decimal(Decimal(int(tiyn)).scaleb(-2), format='#,##0.00', locale=self.code)} ₸"


class Message:
    """Words to be said in a language: an English ``template`` with named fields (``{source}``),
    each a value, or a ``Message`` said in the same language."""

    def __init__(self, template: str, **fields) -> None:
        self.template, self.fields = template, fields

    def __str__(self) -> str:
        return self.said(Language())

    def said(self, language: Language) -> str:
        return language.t(self.template).format(**{name: value.said(language) if isinstance(value, Message) else value
                                                   for name, value in self.fields.items()})


class Said(str):
    """The English words of a ``message`` (a ``Message``) that keep it: the text itself wherever a
    string goes (a JSON answer, a CSV cell, an OpenFisca ``str`` variable's array), and the message
    for a face that says it in another language (``Language.say``)."""

    message: Message

    def __new__(cls, template: str, **fields) -> Said:
        message = Message(template, **fields)
        text = super().__new__(cls, str(message))
        text.message = message
        return text

    def __reduce__(self):  # a copy (a pickle to another process) keeps the message
        return _said, (self.message.template, self.message.fields)


def _said(template: str, fields: dict) -> Said:
    return Said(template, **fields)


class MessageError(Exception):
    """An error whose one-line ``message`` (a ``Message``, or plain text) can be said in a language."""

    def __init__(self, message: Message | str) -> None:
        super().__init__(str(message))
        self.message = message

    def said(self, language: Language) -> str:
        return self.message.said(language) if isinstance(self.message, Message) else str(self.message)


@functools.cache
def _catalogue(code: str) -> dict[str, str]:
    from babel.messages.pofile import read_po  # here: loading Babel is for a language other than English

    with (LOCALE_DIR / f"{code}.po").open("rb") as file:
        catalogue = read_po(file, locale=code)
    return {message.id: message.string for message in catalogue if message.id and message.string}
