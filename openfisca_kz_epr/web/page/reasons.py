"""The model's words on the page, in the page's language: a ``language.Said`` (the model's
English text that keeps its template, the catalogues' key, and its fields) said with the page's
gettext, each field worded for a declarant (``say``); an act's title and an item of an act in
the language (``act_title``, ``item``).

The fields a ``Said`` of the model may carry, by name: ``name`` an input (said as its label; a
mass typed in kg is said in kg, its ``value`` too), ``act``, ``list``, ``source`` an act's id
(said by its title), ``cite`` acts with their items (``eco_code_2021 art. 386 item 6 sub. 2``,
several joined by ``;``), ``item`` an item of an act, ``day``, ``since``, ``first``, ``last`` a
day, ``value`` a number or what was typed; a ``Message`` field is said in the language too
(a product's or a material's name by its label). A text that is no ``Said`` is said as its
catalogue entry. A catalogue's translation may leave out a field (an act's id a declarant needs
not read).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from openfisca_kz_epr.explain.explanation import REFORM_PREFIX, describe_act
from openfisca_kz_epr.kilograms import KILOGRAMS
from openfisca_kz_epr.language import Message, Said
from openfisca_kz_epr.law import acts
from openfisca_kz_epr.law.reform_marks import ASSUMED as ASSUMED_KIND
from openfisca_kz_epr.web.page.words import Words

DAYS = ("day", "since", "first", "last")
ACTS = ("act", "list", "source")
NUMBERS = ("value", "share", "least")  # a customs code (``code``) is no number: written as it is
ASSUMED = f"{ASSUMED_KIND}:"  # the act id of an assumed value (reforms.assumptions)

# What a value of the Method is called on the page, by the start of its parameter's name.
VALUE_NAMES = (
    ("general.mrp", "MRP"),
    ("goods.appendix_1.", "coefficient k"),
    ("goods.operator_rates.", "rate per tonne"),
    ("vehicles.base_rate", "base rate"),
    ("vehicles.coefficients.", "coefficient"),
    ("cable.", "share of the invoice value"),
    ("exemptions.", "exemption"),
    ("fulfilment.", "the producer's own system"),
)

# Items of acts written alike but for a number: the template (a catalogue's key) and its pattern.
_ITEMS = tuple((template, re.compile(re.escape(template).replace(r"\{n\}", r"(?P<n>[0-9]+)") + r"\Z")) for template in (
    "Appendix 1, row {n}",
    "art. 386 item 6 sub. {n}",
    "k of the customs codes of row {n} in the operator's table ref_tn_code, applied from 11.01.2022 under Order 448 "
    "(order_448_2021, text not seen)",
))


def say(text, words: Words, labels: dict, inputs: dict | None = None) -> str:
    """``text`` (a ``Said``, or a plain text of the catalogues) in ``words``' language; ``labels``
    (input name → label msgid) words an input's name, ``inputs`` (the form's) tells a mass typed in kg."""
    if isinstance(text, Said):
        return _said(text.message, words, labels, inputs or {})
    return words.gettext(str(text)) if text else ""


def _said(message: Message, words: Words, labels: dict, inputs: dict) -> str:
    fields = dict(message.fields)
    name = fields.get("name")
    kilograms = next((kg for kg, tonnes in KILOGRAMS.items() if tonnes == name and kg in inputs), None)
    if kilograms:  # the mass as typed: in kg
        fields["name"] = kilograms
        if isinstance(fields.get("value"), float):
            fields["value"] = Decimal(repr(fields["value"])).scaleb(3)
    said = {key: _field(key, value, words, labels, inputs) for key, value in fields.items()}
    return words.gettext(message.template).replace("!r}", "}").format(**said)  # a value written for the language, unquoted


def _field(key: str, value, words: Words, labels: dict, inputs: dict) -> str:
    if isinstance(value, Message):
        return _said(value, words, labels, inputs)
    if value is None:
        return ""
    if key == "name" and value in labels:
        return words.gettext(labels[value])
    if key == "name" and "." in str(value):  # a parameter
        return value_name(str(value), words)
    if key in DAYS:
        return _day(value, words)
    if key in ACTS:
        return act_title(str(value), words)
    if key == "cite":
        return cited(str(value), words)
    if key == "item":
        return item(str(value), words)
    if isinstance(value, (float, int, Decimal)) and not isinstance(value, bool):
        return words.number(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
    if key not in NUMBERS or words.code == "en":
        return str(value)
    try:  # a number as typed: written as the language writes it
        return words.number(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        return str(value)


def _day(value, words: Words) -> str:
    try:
        return words.day(value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def value_name(name: str, words: Words) -> str:
    """A parameter's name (``general.mrp``) as the page calls its value (``МРП``)."""
    return next((words.gettext(said) for start, said in VALUE_NAMES if name.startswith(start)), name)


def cited(text: str, words: Words) -> str:
    """Acts with their items (``order_122_2019 Appendix 1, row 1; …``, as ``LegalValue.cite`` writes
    them): each act by its title, each item in the language."""
    cites: list[str] = []
    for part in text.split(";"):  # an item may hold a ";" itself: a part that starts with no act goes on the one before
        first = part.strip().partition(" ")[0]
        if cites and first != "missing:" and describe_act(first).get("kind") == "missing":
            cites[-1] += ";" + part
        elif part.strip():
            cites.append(part.strip())
    found = []
    for one in cites:
        act_id, _, rest = one.partition(" ")
        if act_id == "missing:":
            found.append(words.gettext("no act sets it yet: {act}", act=words.gettext(rest)))
        else:
            found.append(act_title(act_id, words) + (f", {item(rest, words)}" if rest else ""))
    return "; ".join(found)


def item(text: str, words: Words) -> str:
    """An item of an act (``art. 386 item 6 sub. 2 and 3``, ``Appendix 1, row 1``) in the language."""
    said = words.gettext(text)
    if said != text or words.code == "en":
        return said
    for template, pattern in _ITEMS:
        found = pattern.match(text)
        if found:
            return words.gettext(template, n=found["n"])
    return text


def act_citation(act_id: str, words: Words) -> tuple[str, str | None]:
    """An act as the page lists it: its official title where a source gives it (``title_kk`` on the
    Kazakh page; ``title_ru`` on the Russian page, and on the Kazakh page where no Kazakh title is
    known) with the language it is written in where that is not the page's (``"ru"``: the element is
    marked ``lang="ru"``), else ``act_title`` (None: in the page's language)."""
    base, _, rest = act_id.partition(" ")  # an act and its item: ``eco_code_2021 art. 386 item 6 sub. 2 and 3``
    act = describe_act(base) if not act_id.startswith((ASSUMED, REFORM_PREFIX)) else {}
    official, number = act.get("title_ru"), act.get("number")
    kazakh = acts.act(base).get("title_kk") if words.code == "kk" and act.get("kind") not in (None, "missing", "reform") else None
    if kazakh:
        return (f"{kazakh} (№ {number})" if number else kazakh) + (f", {item(rest, words)}" if rest else ""), None
    if official and words.code != "en":
        title = (f"{official} (№ {number})" if number else official) + (f", {_item_in_russian(rest)}" if rest else "")
        return title, (None if words.code == "ru" else "ru")
    return act_title(act_id, words), None


def _item_in_russian(text: str) -> str:
    """An item cited beside an official Russian title on the Kazakh page: in Russian too, as the element is."""
    return item(text, Words("ru"))


def act_title(act_id: str, words: Words) -> str:
    """An act's title in the language, as a sentence names it: the project's description of it
    (``title_en``, not an official title; its translation from the catalogues) with its number. A
    reform, an assumed value and an act no file holds are said as such."""
    if act_id.startswith(ASSUMED):
        return f"{words.gettext('assumed')}: {act_id.removeprefix(ASSUMED)}"
    if act_id.startswith(REFORM_PREFIX):
        return words.gettext("reform {name}: a hypothetical change, not law", name=act_id.removeprefix(REFORM_PREFIX))
    act = describe_act(act_id)
    if act.get("kind") == "missing":
        base, _, rest = act_id.partition(" ")
        return act_title(base, words) + f", {item(rest, words)}" if rest and describe_act(base).get("kind") != "missing" else act_id
    title, number = words.gettext(act.get("title_en") or act_id), act.get("number")
    return f"{title} ({words.gettext('No. {number}', number=number)})" if number and number not in title else title
