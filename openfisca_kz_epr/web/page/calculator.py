"""The calculator of the page: the address's inputs (the names ``GET /explain`` takes, masses
also in kg) priced by ``explain.explanation.explain``, the same door as ``/explain`` and
``kz-epr explain``, and that answer laid out for the page: the amount, the formula with the
numbers, each value with its act, the parts of a two-part line, or why nothing can be said.
Nothing is computed here but the layout.

Shapes: ``read(args)`` gives the inputs (name → text, empty fields left out); ``calculate(system,
inputs, words)`` gives a ``Calculation``.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce

import numpy

from openfisca_kz_epr.audit.operator_rules import OperatorRules
from openfisca_kz_epr.explain.explanation import ANSWERED, NOT_COVERED, ExplanationError, describe_act, explain, read_line
from openfisca_kz_epr.kilograms import KILOGRAMS, KilogramsError, in_tonnes
from openfisca_kz_epr.language import Language, Said
from openfisca_kz_epr.law.values import NotCovered, legal_value
from openfisca_kz_epr.products import Declarant, Exemption, Fulfilment, ImportOrigin, PackagingMaterial, Product, RoadTractorUse, VehicleCategory
from openfisca_kz_epr.web.page import reasons
from openfisca_kz_epr.web.page.words import Words

# The form's inputs, in its order: the names GET /explain takes (and mass_kg, packaging_mass_kg).
GOODS_FIELDS = ("product", "customs_code", "mass_kg", "mass_tonnes")
PACKAGING_FIELDS = ("packaging_material", "packaging_customs_code", "packaging_mass_kg", "packaging_mass_tonnes")
VEHICLE_FIELDS = ("vehicle_category", "engine_displacement_cm3", "gross_vehicle_mass_tonnes", "engine_power_hp", "is_electric",
                  "import_origin", "road_tractor_use")
CABLE_FIELDS = ("invoice_value",)
# The claims of art. 386 of the Environmental Code (issue 25) and an assumed value (``web.assumptions``:
# the system that prices the line; not a line input).
CLAIM_FIELDS = ("exemption", "declarant", "recycled_share_percent", "fulfilment")
ASSUME = "assume"
FIELDS = ("date", *GOODS_FIELDS, *PACKAGING_FIELDS, *VEHICLE_FIELDS, *CABLE_FIELDS, *CLAIM_FIELDS, ASSUME)

# Each field's label (an English msgid of the catalogues).
LABELS = {
    "date": "Day the obligation arises",
    "product": "Product (row of the List)",
    "customs_code": "Customs code (ТН ВЭД)",
    "mass_kg": "Mass, kg",
    "mass_tonnes": "Mass, tonnes",
    "packaging_material": "Packaging material",
    "packaging_customs_code": "Packaging's own customs code",
    "packaging_mass_kg": "Packaging mass, kg",
    "packaging_mass_tonnes": "Packaging mass, tonnes",
    "vehicle_category": "Vehicle category",
    "engine_displacement_cm3": "Engine displacement, cm³",
    "gross_vehicle_mass_tonnes": "Gross vehicle mass, tonnes",
    "engine_power_hp": "Engine power, hp",
    "is_electric": "Purely electric",
    "import_origin": "Origin",
    "road_tractor_use": "Road tractor's use",
    "invoice_value": "Invoice value, ₸",
    "exemption": "Exemption claimed (art. 386 item 6 of the Environmental Code)",
    "declarant": "Who declares",
    "recycled_share_percent": "Share of waste recycled in Kazakhstan, %",
    "fulfilment": "How the obligation is fulfilled (art. 386 item 2)",
    "assume": "Assumed value (PARAMETER@DAY=VALUE)",
}

# The blank choice of a claim's list: its default.
DEFAULTS = {"exemption": Exemption.none.value, "declarant": "(not stated)", "fulfilment": Fulfilment.operator_payment.value}

# The choices of each list field: value → label (the enums' English words, msgids of the catalogues).
CHOICES = {
    "product": {p.name: p.value for p in Product if p is not Product.unspecified},
    "packaging_material": {m.name: m.value for m in PackagingMaterial if m is not PackagingMaterial.unspecified},
    "vehicle_category": {c.name: c.value for c in VehicleCategory if c is not VehicleCategory.unspecified},
    "import_origin": {o.name: o.value for o in ImportOrigin if o is not ImportOrigin.unspecified},
    "road_tractor_use": {u.name: u.value for u in RoadTractorUse if u is not RoadTractorUse.unspecified},
    "exemption": {e.name: e.value for e in Exemption if e is not Exemption.none},
    "declarant": {d.name: d.value for d in Declarant if d is not Declarant.unspecified},
    "fulfilment": {f.name: f.value for f in Fulfilment if f is not Fulfilment.operator_payment},
    "is_electric": dict.fromkeys(("true", "1", "yes"), "yes"),  # a checkbox: shown among the inputs
}

CONFIDENCE = {
    "confirmed": "confirmed: a source states each value in so many words",
    "inferred": "inferred: worked out from confirmed figures or the operator's practice; the legal text itself was not seen",
    "reform": "a reform: a hypothetical change, not the law",
    "unknown": "unknown: a value the law needs is not known",
    "assumed": "assumed: priced with a value the law has not published, given for this calculation, not law",
}


@dataclass
class Calculation:
    """What the page shows for its inputs: ``day`` and the MRP of that day (``mrp`` or
    ``mrp_unknown``, the reason); ``result`` (``explain``'s answer) and its layout (``amount``,
    ``in_words``, ``formulas``, ``values``, ``parts``, ``acts``), or ``error``."""

    inputs: dict
    system: object = None  # the tax-benefit system that priced the line
    day: datetime.date | None = None
    mrp: dict | None = None
    mrp_unknown: str | None = None
    result: dict | None = None
    error: str | None = None
    amount: str | None = None
    in_words: str | None = None
    formulas: list[str] = field(default_factory=list)
    values: list[dict] = field(default_factory=list)
    parts: list[tuple[str, str]] = field(default_factory=list)
    acts: list[dict] = field(default_factory=list)
    confidence: str | None = None
    reason: str | None = None
    detail: str | None = None  # the model's own account of why no amount, in the language (a day before the model)
    operator: dict | None = None  # the operator's figure and why, where it differs from the law's

    @property
    def asked(self) -> bool:
        """Whether the inputs name goods, a vehicle or cable (a first visit names none)."""
        return any(name != "date" for name in self.inputs)


@functools.cache
def choices_in(code: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """``CHOICES`` with their labels in the language ``code`` (value, label), made once per language."""
    words = Words(code)
    return {name: tuple((value, words.gettext(label)) for value, label in choices.items()) for name, choices in CHOICES.items()}


def read(args) -> dict:
    """The form's inputs of a query (a mapping name → text), empty fields left out, in the form's order."""
    return {name: args[name].strip() for name in FIELDS if args.get(name, "").strip()}


def calculate(system, inputs: dict, words: Words, today: datetime.date, refused=None) -> Calculation:
    """The page's answer for ``inputs`` (``read``), said in ``words``; ``today`` when no day is given;
    ``refused``: why the assumed value cannot be taken (``web.assumptions``), said as the error."""
    found = Calculation(inputs, system)
    if refused is not None:
        found.error = _say(refused, words, inputs)
        return found
    try:
        found.day = datetime.date.fromisoformat(inputs.get("date") or today.isoformat())
    except ValueError:
        found.error = words.gettext("{day} is not a day: write it YYYY-MM-DD", day=inputs["date"])
        return found
    _mrp(found, system, words)
    if not found.asked:
        return found
    line = {name: value for name, value in inputs.items() if name not in ("date", ASSUME)}
    try:
        found.result = explain(system, found.day.isoformat(), in_tonnes(line))
    except (ExplanationError, KilogramsError) as error:
        found.error = _say(error.args[0], words, found.inputs)
        return found
    _lay_out(found, words)
    return found


def _mrp(found: Calculation, system, words: Words) -> None:
    try:
        mrp = legal_value(system.parameters.general.mrp, found.day)
    except NotCovered as error:
        found.mrp_unknown = words.gettext("The MRP of that day is not known to the model: {reason}.",
                                          reason=_say(error.args[0], words, found.inputs))
        return
    if not mrp.known:
        found.mrp_unknown = _mrp_not_set(found.day.year, words)
        return
    found.mrp = {"value": f"{words.number(mrp.value)}\u00a0₸", "since": words.day(mrp.since), "act": _act(mrp.act, words)}


def _mrp_not_set(year: int, words: Words) -> str:
    """Why the fee of a day of ``year`` cannot be computed, and what a declarant can do."""
    return words.gettext("The MRP for {year} is not set yet: the republican budget law that sets it (for {year}-{last}) has "
                         "not been published, so the fee for this day cannot be computed. To estimate it, open «Exemptions "
                         "and assumed values» and give an assumed MRP, for example general.mrp@{year}-01-01=4500: the "
                         "result is then marked assumed, not law.", year=year, last=year + 2)


def _say(text, words: Words, inputs: dict) -> str:
    """A text of the model (``language.Said``, or plain) in the page's language."""
    return reasons.say(text, words, LABELS, inputs)


def _act(act_id: str, words: Words) -> dict:
    """An act of the result: its title (official where known, with its language) and address."""
    title, lang = reasons.act_citation(act_id, words)
    act = describe_act(act_id.split(" ", 1)[0])
    return {"id": act_id, "title": title, "lang": lang, "url": _url(act) if act.get("kind") != "missing" else None}


def _url(act: dict) -> str | None:
    """The act's address, else the first source that holds it."""
    return act.get("url") or next(iter(act.get("sources") or []), None)


def _lay_out(found: Calculation, words: Words) -> None:
    result = found.result
    found.confidence = words.gettext(CONFIDENCE.get(result["confidence"], "unknown"))
    found.values = [_value(value, words) for value in result["values"]]
    if result.get("packaging"):  # the packaging's own values (its k; the MRP is the goods')
        used = {value["name"] for value in result["values"]}
        found.values += [_value(value, words, packaging=True) for value in result["packaging"]["values"] if value["name"] not in used]
    acts = result["acts"] or [value["act"]["id"] for value in result["values"] if value.get("act")]
    found.acts = [_act(act, words) for act in dict.fromkeys(acts)]
    if result["status"] not in ANSWERED:
        found.reason = _why_not(result, words)
        if result["status"] == NOT_COVERED and isinstance(result["reason"], Said):
            found.detail = _say(result["reason"], words, found.inputs)
        return
    if result["status"] == "rate_only":
        found.reason = words.gettext("No quantity given: the rate is {rate}.", rate=_rate(result, words))
        return
    tiyn = result["payment"]["tiyn"]
    found.amount, found.in_words = words.amount(tiyn), words.in_words(tiyn)
    goods = result["parts"]["goods"]["tiyn"] if result["parts"] else tiyn
    if _priced(result, goods):  # a part relieved by art. 386 has no formula: its reason says why it is 0
        found.formulas.append(_formula(result, found.inputs, words, goods))
    if result["parts"]:
        packaging, packaging_tiyn = result["packaging"], result["parts"]["packaging"]["tiyn"]
        if packaging and _priced(packaging, packaging_tiyn):
            found.formulas.append(_formula(packaging, found.inputs, words, packaging_tiyn, packaging=True))
        found.parts = [(words.gettext("goods"), words.amount(goods)), (words.gettext("packaging"), words.amount(packaging_tiyn))]
    if result["status"] == "nothing_owed" or result.get("reason"):
        found.reason = _why_nothing(result, words, found.inputs)
    found.operator = _operator_figure(found, words)


@functools.cache
def _operator_rules(system, code: str) -> OperatorRules:
    """The operator's rules (``audit.operator_rules``, as ``kz-epr audit --operator-rules``), made once
    per system and language."""
    return OperatorRules(system, language=Language(code))


def _operator_figure(found: Calculation, words: Words) -> dict | None:
    """What the operator's portal charges for the line (one MRP per calendar year), with why, where
    it differs from the law's figure; None where it is the same or cannot be computed."""
    result = found.result
    rules = _operator_rules(found.system, words.code)
    law, operator = (legal_value(system.parameters.general.mrp, found.day) for system in (found.system, rules.system))
    if law.value == operator.value:  # the operator's practice changes the MRP only (audit.operator_practice): the same figure
        return None
    lines = read_line(found.day, in_tonnes({k: v for k, v in found.inputs.items() if k not in ("date", ASSUME)}))
    figures = rules.figures({}, 1, numpy.array([found.day], dtype="datetime64[D]"), lines, numpy.array([""]),
                            numpy.array([result["payment"]["tiyn"]]), numpy.array([True]))
    if not figures.priced[0] or int(figures.tiyn[0]) == result["payment"]["tiyn"]:
        return None
    return {"amount": words.amount(int(figures.tiyn[0])), "reason": words.gettext(
        "the portal takes one MRP for the whole calendar year, {operator}, where the law takes {law} from {since} ({act}).",
        operator=f"{words.number(operator.value)}\u00a0₸", law=f"{words.number(law.value)}\u00a0₸", since=words.day(law.since),
        act=reasons.act_title(law.act, words))}


def _priced(tariff: dict, tiyn: int) -> bool:
    """Whether the part's figure is its rate times its quantity (not a 0 by a relief of art. 386)."""
    return tiyn != 0 or not tariff.get("rate") or Decimal(tariff["rate"]) == 0


def _why_not(result: dict, words: Words) -> str:
    """Why the law as modelled gives no amount: the day before the model, or an unknown value."""
    if result["status"] == "not_covered":
        return words.gettext("The law of this day is not modelled for this line.")
    if any(value["name"] == "general.mrp" for value in result["missing"]):
        return _mrp_not_set(int(result["date"][:4]), words)
    return " ".join(words.gettext("The law's {name} from {since} is not known: no source the model holds gives it ({act}), so the "
                                  "fee for this day cannot be computed.", name=reasons.value_name(value["name"], words),
                                  since=words.day(datetime.date.fromisoformat(value["since"])),
                                  act=_missing_act(value, words)) for value in result["missing"])


def _why_nothing(result: dict, words: Words, inputs: dict) -> str:
    """Why nothing (or only a part) is owed, once, as a sentence: the model's reason (a relief of art.
    386, a quantity of 0), or the rate of 0 in force with its acts (the model's reason is then a
    value's note, the sources' words)."""
    reason = result["reason"]
    if not isinstance(reason, Said):
        zero = [value for value in result["values"] if value["value"] is not None and Decimal(value["value"]) == 0]
        reason = words.gettext("the law's rate on this day is 0 ({cite})", cite="; ".join(
            f"{reasons.value_name(value['name'], words)}: {_act(value['act']['id'], words)['title']}"
            for value in zero if value.get("act")))
    else:
        reason = _say(reason, words, inputs)
    return reason[:1].upper() + reason[1:]


def _missing_act(value: dict, words: Words) -> str:
    """The act a value of the result comes from, or the one it is missing from."""
    if value.get("missing_act"):
        return words.gettext("no act sets it yet: {act}", act=words.gettext(value["missing_act"]))
    return reasons.act_title(value["act"]["id"], words) if value.get("act") else words.gettext("no act")


def _value(value: dict, words: Words, packaging: bool = False) -> dict:
    act = value.get("act") or {}
    title, lang = reasons.act_citation(act["id"], words) if act else (_missing_act(value, words), None)
    assumed = act.get("id", "").startswith(reasons.ASSUMED)  # its item says what was assumed: the act's title says it already
    return {
        "name": reasons.value_name(value["name"], words) + (f" ({words.gettext('packaging')})" if packaging else ""),
        "value": words.number(Decimal(value["value"])) if value["value"] is not None else words.gettext("not known"),
        "act": title,
        "lang": lang,
        "item": (words.gettext("given for this calculation, not law") if assumed else
                 reasons.item(value["item"], words) if value.get("item") else words.gettext("item not stated")),
        "since": words.day(datetime.date.fromisoformat(value["since"])),
        "url": value.get("url") or _url(act),
        "confidence": words.gettext(value["confidence"]),
    }


def _factors(tariff: dict) -> list[Decimal]:
    """The values whose product is the rate (every formula of the Method), else the rate alone."""
    factors = [Decimal(value["value"]) for value in tariff["values"]]
    rate = Decimal(tariff["rate"])
    return factors if len(factors) > 1 and reduce(lambda a, b: a * b, factors) == rate else [rate]


def _rate(result: dict, words: Words) -> str:
    return " × ".join(_factors_said(result, words))


def _factors_said(tariff: dict, words: Words) -> list[str]:
    """Each factor of the rate with its unit and its name: ``3 450 ₸ (МРП)``, ``14,15 (коэффициент К)``."""
    factors = _factors(tariff)
    if len(factors) == 1 and len(tariff["values"]) != 1:
        return [words.number(factors[0])]
    return [f"{words.number(factor)}{chr(0xa0) + '₸' if value['unit'] == 'currency-KZT' else ''} ({reasons.value_name(value['name'], words)})"
            for factor, value in zip(factors, tariff["values"], strict=True)]


def _formula(tariff: dict, inputs: dict, words: Words, tiyn: int, packaging: bool = False) -> str:
    """The payment with its numbers, each factor named and the unit shown:
    ``2 345 кг = 2,345 т; 2,345 т × 3 450 ₸ (МРП) × 14,15 (коэффициент К) = 114 477,04 ₸``."""
    factors = " × ".join(_factors_said(tariff, words))
    basis = tariff.get("basis") or ("per_tonne" if packaging else None)
    given = ""
    if basis == "per_vehicle":
        quantity = words.ngettext("{count} vehicle", "{count} vehicles", 1)
    elif basis == "share_of_invoice":
        quantity = f"{words.amount(int(Decimal(tariff['quantity']['value']) * 100))} ({words.gettext('invoice value')})"
    else:
        tonnes_name = "packaging_mass_tonnes" if packaging else "mass_tonnes"
        tonnes = Decimal(tariff["mass_tonnes"] if packaging else tariff["quantity"]["value"])
        quantity = f"{words.number(tonnes)}\u00a0{words.gettext('t')}"
        kilograms = next(name for name, tonnes_input in KILOGRAMS.items() if tonnes_input == tonnes_name)
        if kilograms in inputs:
            given = f"{words.number(tonnes.scaleb(3))}\u00a0{words.gettext('kg')} = {quantity}; "
    return f"{given}{quantity} × {factors} = {words.amount(tiyn)}"
