"""Every figure explained: why a line owes what it owes, what the law changed between two
days, and a rate's history, each value with the act that set it.

Three functions, each returning a JSON-able dict (dates as ``YYYY-MM-DD``, exact decimals as
strings, amounts in tiyn and in tenge with 2 decimals), shared by ``kz-epr explain``,
``kz-epr changes``, ``kz-epr timeline`` and the web routes of the same names:

- ``explain(tax_benefit_system, day, line)``: the line priced by an OpenFisca simulation of
  it (the Method's variables, ``engine.bulk.assessed``), with the tariff its selection
  variables chose (``law.tariffs``: the values with their acts, ``legislation_refs/``): the
  formula, and the arithmetic and the exact result as that simulation computed them (the
  rates, exact amounts and parts of ``variables/``: a reform's figures under a reform); or why
  nothing is owed, which value of which act is unknown, or that the day precedes the model.
- ``changes(tax_benefit_system, start, end)``: every change of a value or of its legal
  metadata taking effect after ``start`` up to ``end``, grouped by act, old → new.
- ``timeline(tax_benefit_system, product, start, end)``: ``explain.steps.tariff_steps``: the
  rate on every interval of constant law, with the acts that set it.

Bad input raises ``ExplanationError`` (a ``ValueError``) naming the problem.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import reduce

import numpy
from openfisca_core import periods

from openfisca_kz_epr.engine.bulk import assess, assessed, build_simulation
from openfisca_kz_epr.engine.declarations import COLUMNS, read_declarations
from openfisca_kz_epr.explain.steps import rate_of, tariff_steps
from openfisca_kz_epr.input_checks import FIRST_DAY, LAST_DAY
from openfisca_kz_epr.language import Said
from openfisca_kz_epr.law import customs_codes
from openfisca_kz_epr.law.acts import act as act_of
from openfisca_kz_epr.law.intervals import PRODUCT_SPEC, ProductSpecError, product_spec
from openfisca_kz_epr.law.tariffs.day import BEFORE_THE_MODEL
from openfisca_kz_epr.law.tariffs.tariff import Tariff
from openfisca_kz_epr.law.values import (
    LegalValue,
    NotCovered,
    as_date,
    bands,
    change_days,
    legal_value,
    metadata_of,
    series,
)
from openfisca_kz_epr.money import half_up_tiyn, not_known, tenge
from openfisca_kz_epr.products import Product

INPUT_NAMES = tuple(name for name in COLUMNS if name != "date")
QUANTITIES = ("mass_tonnes", "invoice_value", "packaging_mass_tonnes")
KEYS = ("product", "customs_code")  # what names a line's goods: one at least
METADATA = ("reference", "confidence", "notes", "official_journal_date")
REFORM_PREFIX = "reform:"
ONE_DAY = datetime.timedelta(days=1)

# statuses: what the law, as modelled, says of a line (explain) or a rate (timeline)
OWED = "owed"
NOTHING_OWED = "nothing_owed"  # a legitimate 0: the reason says why
RATE_ONLY = "rate_only"  # the rate is known, the quantity was not given
PRICED = "priced"  # a timeline's interval with a known rate (0 with its reason)
UNKNOWN = "unknown"  # a value the law needs is not known: which one, of which act
NOT_COVERED = "not_covered"  # the day precedes the model
NOT_PRICED = "not_priced"  # a timeline's interval where the line lacks a fact the law needs then
ANSWERED = (OWED, NOTHING_OWED, RATE_ONLY)  # explain: the payment or the rate is known


class ExplanationError(ValueError):
    """A request that cannot be explained as given; the message names the problem."""


# ----------------------------------------------------------------------------- inputs

def read_day(text, what: str = "date") -> datetime.date:
    try:
        day = as_date(text)
    except (TypeError, ValueError):
        raise ExplanationError(Said("{name} {value!r} is not a day (YYYY-MM-DD)", name=what, value=text)) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ExplanationError(Said("{name} {value!r} is out of range: a day from {first} to {last}", name=what,
                                    value=day.isoformat(), first=FIRST_DAY, last=LAST_DAY))
    return day


def _range(start, end) -> tuple[datetime.date, datetime.date]:
    first, last = read_day(start, "from"), read_day(end, "to")
    if last < first:
        raise ExplanationError(f"to {last} is before from {first}")
    return first, last


def read_line(day: datetime.date, line: dict) -> dict:
    """``line`` (input name → value, as in a declaration) as the arrays of one line, read by
    ``engine.declarations.read_declarations`` like any declaration; ``ExplanationError`` if it
    cannot be read."""
    if not isinstance(line, dict):
        raise ExplanationError(f"a line is a mapping of inputs ({', '.join(INPUT_NAMES)}), not {type(line).__name__}")
    unknown = [name for name in line if name not in INPUT_NAMES]
    if unknown:
        raise ExplanationError(f"{', '.join(map(repr, unknown))}: not an input; the inputs are {', '.join(INPUT_NAMES)}")
    if all(line.get(key) in (None, "") for key in KEYS):
        keys = ", ".join(p.name for p in Product if p is not Product.unspecified)
        raise ExplanationError(Said("product is missing: one of {keys}; or give the goods' customs_code (ТН ВЭД)", keys=keys))
    columns = {name: [value] for name, value in line.items()}
    columns["date"] = [day.isoformat()]
    _, lines, problem = read_declarations(columns, 1)
    if problem[0]:
        raise ExplanationError(problem[0])
    return lines


# ----------------------------------------------------------------------------- citations

def plain(value: Decimal | None) -> str | None:
    """An exact decimal as plain text, without trailing zeros: ``37511.65``, ``3``."""
    if value is None:
        return None
    return format(value.normalize(), "f")


def _date_text(value) -> str | None:
    return None if value is None else str(value)


def describe_act(act_id: str) -> dict:
    """An act's citation from ``legislation_refs/``; a reform (``reform:<name>``) is named as
    one, not as a missing act."""
    if act_id.startswith(REFORM_PREFIX):
        name = act_id[len(REFORM_PREFIX):]
        return {"id": act_id, "kind": "reform", "title_en": f"reform {name}: a hypothetical change, not law"}
    try:
        act = act_of(act_id)
    except KeyError as error:
        return {"id": act_id, "kind": "missing", "title_en": str(error.args[0])}
    return {
        "id": act_id,
        "kind": act.get("kind"),
        "number": act.get("number"),
        "title_en": act.get("title_en"),
        "title_ru": act.get("title_ru"),
        "signed": _date_text(act.get("signed")),
        "published": _date_text(act.get("published")),
        "in_force": _date_text(act.get("in_force")),
        "in_force_confidence": act.get("in_force_confidence"),
        "repealed_on": _date_text(act.get("repealed_on")),
        "url": act.get("url"),
        "sources": [source["url"] for source in act.get("sources") or [] if source.get("url")],
        "confidence": act.get("confidence"),
    }


def describe_value(value: LegalValue) -> dict:
    """One value used, with its act, item, URL, publication date, confidence and note."""
    act = describe_act(value.act) if value.act else None
    return {
        "name": value.name,
        "value": plain(value.value),
        "unit": value.unit,
        "since": value.since.isoformat(),
        "act": act,
        "missing_act": value.missing_act,  # no act sets the value yet: the one it is missing from
        "item": value.reference.get("item"),
        "url": value.reference.get("url") or (act or {}).get("url"),
        "official_journal_date": value.official_journal_date,
        "confidence": value.confidence,
        "note": value.note,
    }


def _node(parameters, path: str):
    return reduce(lambda node, key: node.children[key], path.split("."), parameters)


def describe_band(parameters, day, value: LegalValue) -> dict | None:
    """The band of a vehicle scale that ``value`` (a band's coefficient, ``<scale>[i]``) is
    the coefficient of, on ``day``; None for a value that is no band's."""
    path, bracket, _ = value.name.rpartition("[")
    if not bracket:
        return None
    scale = _node(parameters, path)
    in_force = bands(scale, day)
    for index, band in enumerate(in_force):
        if band.coefficient.name == value.name:
            upper = in_force[index + 1].above if index + 1 < len(in_force) else None
            return {"by": scale.metadata["band_by"], "above": plain(band.above), "up_to": plain(upper),
                    "unit": scale.metadata.get("threshold_unit")}
    return None


# ----------------------------------------------------------------------------- explain

def explain(tax_benefit_system, day, line: dict) -> dict:
    """Why ``line`` (input name → value) owes what it owes on ``day``.

    The line is priced by an OpenFisca simulation of it (``epr_payment_tiyn``, as any
    declaration); the tariff explained is the one that simulation's assessment chose. The
    result's ``status``: ``owed``, ``nothing_owed`` (``reason`` says why), ``rate_only`` (no
    quantity given), ``unknown`` (``missing`` names the unknown values and their acts) or
    ``not_covered`` (the day precedes the model; ``reason`` names where it starts).
    """
    day = read_day(day)
    lines = read_line(day, line)
    simulation = build_simulation(tax_benefit_system, day.isoformat(), numpy.arange(1), lines)
    period = periods.period(day.isoformat())
    found = assessed(simulation, period)
    problem = found.problem[0]  # a ``Said`` keeps its message for a face that says it in its language
    index = int(found.tariff_index[0])
    tariff = found.tariffs[index] if index >= 0 else None
    packaging_index = int(found.packaging_tariff_index[0])
    packaging = found.tariffs[packaging_index] if packaging_index >= 0 else None
    rate = rate_of(found.rate[0], tariff) if tariff else None
    by_the_method = not found.reform  # no formula replaced: the rate is the product of the values
    quantity_name = tariff.basis.quantity if tariff is not None else None
    quantity_missing = quantity_name is not None and bool(not_known(lines[quantity_name][0]))

    result = {
        "date": day.isoformat(),
        "line": {name: value for name, value in line.items() if value is not None},
        "product": Product.unspecified.name if found.product[0] < 0 else list(Product)[found.product[0]].name,
        "customs_code": _code_of(found, line) if found.by_code[0] else None,
        "packaging": _packaging_of(packaging, line, simulation, period) if packaging is not None else None,
        "parts": None,
        "status": None,
        "formula": tariff.formula if tariff else None,
        "basis": tariff.basis.key if tariff else None,
        "unit": tariff.basis.unit if tariff else None,
        "quantity": None if quantity_name is None or quantity_missing else {"name": quantity_name, "value": _text(line[quantity_name])},
        "values": [describe_value(value) for value in tariff.values] if tariff else [],
        "band": _band_of(tax_benefit_system.parameters, day, tariff),
        "rate": plain(rate),
        "arithmetic": [],
        "payment": None,
        "confidence": tariff.confidence if tariff else "unknown",
        "acts": list(tariff.acts) if tariff else [],
        "reason": None,
        "missing": [],
    }
    if problem.startswith(BEFORE_THE_MODEL):
        result.update(status=NOT_COVERED, reason=_before_the_model(tax_benefit_system, day, lines, problem))
    elif tariff is not None and not tariff.known and (problem == tariff.reason or quantity_missing):
        result.update(status=UNKNOWN, reason=tariff.reason, missing=_missing(tariff))
    elif packaging is not None and not packaging.known and problem == packaging.reason:
        result.update(status=UNKNOWN, reason=Said("the packaging: {reason}", reason=_message(packaging.reason)), missing=_missing(packaging))
    elif quantity_missing and problem and tariff.known:
        result.update(status=RATE_ONLY, arithmetic=_rate_arithmetic(tariff, rate, by_the_method),
                      reason=Said("{name} is not given: the rate is explained, not a payment", name=quantity_name))
    elif problem:
        raise ExplanationError(problem)
    else:
        _priced(result, simulation, period, tariff, found, rate)
    return result


def _code_of(found, line: dict) -> dict:
    """How the line's customs code named its row: the code as written and as read, the listed
    code that begins it, the row, and the list and source of the map."""
    code = customs_codes.normalise([str(line["customs_code"])])[0][0].as_py()
    row = list(Product)[found.product[0]]
    return {"written": str(line["customs_code"]), "code": code, "listed_code": customs_codes.listed_code(code),
            "row": row.name, "row_label": row.value, "list": describe_act(found.code_list.list_act),
            "source": describe_act(found.code_list.source), "confidence": found.code_list.confidence,
            "note": found.code_list.note}


def _packaging_of(tariff: Tariff, line: dict, simulation, period) -> dict:
    """The packaging's part of a line: its row (19-23), its mass, its rate (the simulation's
    ``packaging_rate_per_tonne``) and values."""
    row = tariff.values[-1].name.rpartition(".")[2] if tariff.values else None
    return {"row": row, "material": line.get("packaging_material"), "customs_code": line.get("packaging_customs_code"),
            "mass_tonnes": None if line.get("packaging_mass_tonnes") is None else _text(line["packaging_mass_tonnes"]),
            "formula": tariff.formula, "rate": plain(rate_of(simulation.calculate("packaging_rate_per_tonne", period)[0], tariff)),
            "unit": tariff.basis.unit,
            "values": [describe_value(value) for value in tariff.values], "confidence": tariff.confidence,
            "acts": list(tariff.acts), "payment": None}


def _text(value) -> str:
    return str(value).strip()


def _band_of(parameters, day, tariff: Tariff | None) -> dict | None:
    for value in tariff.values if tariff else ():
        band = describe_band(parameters, day, value)
        if band:
            return band
    return None


def _missing(tariff: Tariff) -> list[dict]:
    return [describe_value(value) for value in tariff.values if not value.known]


def _rate_arithmetic(tariff: Tariff, rate: Decimal, by_the_method: bool) -> list[str]:
    """The simulation's ``rate`` written as the product of the tariff's values where the system
    computes it by the Method's formulas (``by_the_method``: every formula of the Method is
    that product); under a reform that replaced a formula, the rate alone."""
    if by_the_method and len(tariff.values) > 1:
        return [f"rate = {' × '.join(plain(value.value) for value in tariff.values)} = {plain(rate)} {tariff.basis.unit}"]
    return [f"rate = {plain(rate)} {tariff.basis.unit}"]


def _priced(result: dict, simulation, period, tariff: Tariff, found, rate: Decimal) -> None:
    """Fill the payment of a line the simulation prices: its amount, parts, legal basis and
    confidence as the fee's variables give them, and the arithmetic of each part: the rate and
    the exact amount of the simulation (``line_rate``, ``line_exact_payment``, and the
    packaging's), each rounded half up as the Method says; where the system's payment is not
    that (a reform's formula), the arithmetic says so."""
    tiyn = int(simulation.calculate("epr_payment_tiyn", period)[0])
    basis = str(simulation.calculate("epr_legal_basis", period)[0])
    kzt = f"{tenge(tiyn):.2f}"
    relief = simulation.calculate("line_relief", period)[0]  # a ``Said``, or ""
    if relief:  # art. 386 of the Environmental Code relieves a part (an exemption, the own system): the fee's parts say which
        parts = {"goods": int(found.goods_tiyn[0]), "packaging": int(found.packaging_tiyn[0])}
        result.update(status=OWED if tiyn else NOTHING_OWED, payment={"tiyn": tiyn, "kzt": kzt}, reason=relief,
                      confidence=str(simulation.calculate("epr_confidence", period)[0]),
                      acts=[act for act in basis.split(";") if act],
                      parts={name: {"tiyn": part, "kzt": f"{tenge(part):.2f}"} for name, part in parts.items()},
                      arithmetic=[f"S line = {tenge(parts['goods']):.2f} + {tenge(parts['packaging']):.2f} = {kzt} KZT: {relief}"])
        return
    by_the_method = not found.reform
    arithmetic = _rate_arithmetic(tariff, rate, by_the_method)
    quantity = Decimal(1) if tariff.basis.quantity is None else Decimal(result["quantity"]["value"])
    how = "1 vehicle" if tariff.basis.quantity is None else plain(quantity)
    exact = Decimal(simulation.calculate("line_exact_payment", period)[0])
    goods_tiyn = half_up_tiyn(exact)  # the Method's rounding, written out; the system's figure is ``tiyn``
    method_tiyn = goods_tiyn
    packaging = result["packaging"]
    each = "rounded half up to the tiyn, each part" if packaging else "rounded half up to the tiyn, once per line"
    arithmetic.append(f"S = {how} × {plain(rate)} = {plain(exact)} → {tenge(goods_tiyn):.2f} KZT ({each})")
    if packaging:
        packaging_tariff = found.tariffs[int(found.packaging_tariff_index[0])]
        mass, packaging_rate = Decimal(packaging["mass_tonnes"]), Decimal(packaging["rate"])
        exact_part = Decimal(simulation.calculate("packaging_exact_payment", period)[0])
        part = half_up_tiyn(exact_part)
        method_tiyn += part
        arithmetic.extend(f"packaging {step}" for step in _rate_arithmetic(packaging_tariff, packaging_rate, by_the_method))
        arithmetic.append(f"S packaging = {plain(mass)} × {plain(packaging_rate)} = "
                          f"{plain(exact_part)} → {tenge(part):.2f} KZT ({each})")
        arithmetic.append(f"S line = {tenge(goods_tiyn):.2f} + {tenge(part):.2f} = {tenge(method_tiyn):.2f} KZT")
        packaging["payment"] = {"tiyn": int(found.packaging_tiyn[0]), "kzt": f"{tenge(int(found.packaging_tiyn[0])):.2f}"}
        result["parts"] = {"goods": {"tiyn": int(found.goods_tiyn[0]), "kzt": f"{tenge(int(found.goods_tiyn[0])):.2f}"},
                           "packaging": packaging["payment"]}
    result.update(
        status=OWED if tiyn else NOTHING_OWED,
        payment={"tiyn": tiyn, "kzt": kzt},
        confidence=str(simulation.calculate("epr_confidence", period)[0]),
        acts=[act for act in basis.split(";") if act],
        arithmetic=arithmetic,
    )
    if tiyn != method_tiyn:
        result["arithmetic"].append(
            f"this system's formula gives {kzt} KZT instead of the Method's {tenge(method_tiyn):.2f} "
            f"(legal basis {basis.replace(';', ', ')})")
    if not tiyn:
        result["reason"] = _why_nothing(tariff, rate, quantity, tiyn != method_tiyn, basis)
    elif packaging and not int(found.goods_tiyn[0]) and rate == 0:
        result["reason"] = Said("the goods' part is 0 (k = 0), the packaging's is not: {reason}", reason=_message(tariff.reason))


def _why_nothing(tariff: Tariff, rate: Decimal, quantity: Decimal, changed: bool, basis: str) -> str:
    if changed:
        reforms = [act for act in basis.split(";") if act.startswith(REFORM_PREFIX)]
        return Said("this system's formula sets the payment to 0 ({acts})", acts=', '.join(reforms) or basis)
    if rate == 0:
        return tariff.reason or Said("the rate in force is 0 ({cite})", cite="; ".join(v.cite() for v in tariff.values))
    return Said("the quantity is {value}", value=plain(quantity))


def _message(text):
    """A text of the model as a field of a ``Said``: its message where it keeps one (said in a face's language)."""
    return text.message if isinstance(text, Said) else text


def _before_the_model(tax_benefit_system, day, lines, problem: str) -> str:
    """The problem, and the first day the model covers this line with the acts it starts with."""
    for start in sorted(d for d in change_days(tax_benefit_system.parameters) if d > day):
        later = assess(tax_benefit_system, start, lines)
        if str(later.problem[0]).startswith(BEFORE_THE_MODEL):
            continue
        index = int(later.tariff_index[0])
        cited = "; ".join(value.cite() for value in later.tariffs[index].values) if index >= 0 else ""
        return Said("{problem}. The law before {day} is not modelled for this line: the model starts on {day} with {cite}" if cited
                    else "{problem}. The law before {day} is not modelled for this line: the model starts on {day}",
                    problem=_message(problem), day=start, cite=cited)
    return problem


# ----------------------------------------------------------------------------- customs codes

def look_up_code(tax_benefit_system, code, day) -> dict:
    """What the customs code ``code`` (ТН ВЭД) names on ``day``: the listed code that begins
    it, its row of Appendix 1, the list and source of the map, and the row's rate on the day
    with its values and acts (``explain`` of that row without a quantity). Raises
    ``ExplanationError`` for a malformed code, one not in the List as known, or a bad day."""
    day = read_day(day)
    codes, given, well_formed = customs_codes.normalise([str(code)])
    if not given[0] or not well_formed[0]:
        raise ExplanationError(f"customs_code {str(code)!r} is not a customs code (ТН ВЭД: 4 to 10 digits; spaces and dots are allowed)")
    try:
        code_list = customs_codes.code_list_on(day)
    except NotCovered as error:
        raise ExplanationError(f"{BEFORE_THE_MODEL}: {error}") from None
    normalised = codes[0].as_py()
    listed = customs_codes.listed_code(normalised)
    if listed is None:
        raise ExplanationError(f"customs_code {normalised} is not in the List as known ({code_list.list_act}; codes from "
                               f"{code_list.source}): no listed code begins it")
    row = list(Product)[int(customs_codes.rows_of(codes, day)[0])]
    rate = explain(tax_benefit_system, day, {"customs_code": normalised})
    return {"date": day.isoformat(), "code": normalised, "listed_code": listed, "row": row.name, "row_label": row.value,
            "list": describe_act(code_list.list_act), "source": describe_act(code_list.source),
            "confidence": code_list.confidence, "note": code_list.note, "rate": rate}


# ----------------------------------------------------------------------------- changes

def _state(parameter, inherited, day) -> dict | None:
    """A series' value and legal metadata on ``day``; None before its first value."""
    try:
        value = legal_value(parameter, day, inherited)
    except NotCovered:
        return None
    return {"value": value.value, "reference": value.reference or None, "confidence": value.confidence,
            "notes": value.note, "official_journal_date": value.official_journal_date}


def _json(value):
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    return value


def _days(metadata: dict, parameter, first, last) -> list[datetime.date]:
    keys = {as_date(v.instant_str) for v in parameter.values_list}
    for field in METADATA:
        if isinstance(metadata.get(field), dict):
            keys |= {as_date(key) for key in metadata[field]}
    return sorted(day for day in keys if first < day <= last)


def changes(tax_benefit_system, start, end) -> dict:
    """Every change of a parameter taking effect on a day after ``start`` up to ``end``
    (the law on each such day against the day before), grouped by the act in force for the
    changed value (``reform:<name>`` for a reform): values, including a scale's band amounts
    and thresholds, and their legal metadata (reference, confidence, notes, publication date).
    A change of metadata that every band of a scale shares is given once, for the scale."""
    first, last = _range(start, end)
    parameters = tax_benefit_system.parameters
    found: list[tuple[str, dict]] = []
    shared: dict[tuple, list[tuple[str, dict]]] = {}  # (scale, day, field) -> the bands' changes
    for parameter, inherited in series(parameters):
        scale = parameter.name.rpartition("[")[0] if inherited is not None else None
        fields = ("value",) if parameter.name.endswith(".threshold") else ("value", *METADATA)
        for day in _days(metadata_of(parameter, inherited), parameter, first, last):
            old, new = _state(parameter, inherited, day - ONE_DAY), _state(parameter, inherited, day)
            if new is None:  # metadata dated before the series' first value
                continue
            act = _act_key(new["reference"] or {})
            entry = {"day": day.isoformat(), "parameter": parameter.name}
            if scale:
                entry["band"] = _band_label(parameters, parameter, day)
            if old is None:
                found.append((act, {**entry, "field": "value", "old": None, "new": plain(new["value"]), "starts": True}))
                continue
            for field in fields:
                before, after = _json(old[field]), _json(new[field])
                if before == after:
                    continue
                change = (act, {**entry, "field": field, "old": before, "new": after})
                if scale and field != "value":
                    shared.setdefault((scale, day, field), []).append(change)
                else:
                    found.append(change)
    for (scale, day, field), bands_changed in shared.items():
        found.extend(_once_for_the_scale(parameters, scale, day, field, bands_changed))
    return {"from": first.isoformat(), "to": last.isoformat(), "count": len(found), "acts": _by_act(found)}


def _once_for_the_scale(parameters, path: str, day, field: str, bands_changed: list) -> list:
    """One change for the scale ``path`` if every band in force on both days changed alike,
    else each band's change."""
    scale = _node(parameters, path)
    in_force = [b for b in scale.brackets
                if _state(b.amount, scale.metadata, day - ONE_DAY) and _state(b.amount, scale.metadata, day)]
    alike = all((entry["old"], entry["new"]) == (bands_changed[0][1]["old"], bands_changed[0][1]["new"])
                for _, entry in bands_changed)
    if len(bands_changed) < len(in_force) or not alike:
        return bands_changed
    act, entry = bands_changed[0]
    return [(act, {"day": entry["day"], "parameter": path, "field": field, "old": entry["old"], "new": entry["new"]})]


def _band_label(parameters, parameter, day) -> str | None:
    """``above 1000 cm3`` for a band's amount or threshold, from its threshold on ``day``
    (None before it is set)."""
    path, _, rest = parameter.name.rpartition("[")
    scale = _node(parameters, path)
    bracket = scale.brackets[int(rest.split("]")[0])]
    try:
        threshold = legal_value(bracket.threshold, day, scale.metadata)
    except NotCovered:
        return None
    unit = scale.metadata.get("threshold_unit", "")
    return f"above {plain(threshold.value)} {unit}".strip() if threshold.known else None


_ORDER = {field: index for index, field in enumerate(("value", *METADATA))}


def _act_key(reference: dict) -> str:
    """The act a reference cites, or ``missing: <the act>`` for a value no act sets yet."""
    if reference.get("act_sets_value") is False:
        return f"missing: {reference.get('missing_act') or 'no act'}"
    return reference.get("act", "")


def _by_act(found: list[tuple[str, dict]]) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for act, entry in found:
        groups.setdefault(act, []).append(entry)
    ordered = sorted(groups.items(), key=lambda item: (min(e["day"] for e in item[1]), item[0]))
    return [
        {"act": describe_act(act) if act and not act.startswith("missing: ")
         else {"id": "", "kind": "missing", "title_en": act or "no act referenced"},
         "changes": sorted(entries, key=lambda e: (e["day"], e["parameter"], _ORDER[e["field"]]))}
        for act, entries in ordered
    ]


# ----------------------------------------------------------------------------- timeline

def timeline(tax_benefit_system, product: str | dict, start, end) -> dict:
    """The rate of ``product`` (``law.intervals.PRODUCT_SPEC``: ``tyres``, ``vehicle:m1:1600``;
    or a line of inputs without quantity, ``{"product": "vehicle", "vehicle_category": "m1",
    "engine_displacement_cm3": 1600, "import_origin": "other"}``) on every day from
    ``start`` to ``end``: intervals with no gap and no overlap, each with its rate, the acts
    that set it and those that made it differ from the interval before (``causes``)."""
    first, last = _range(start, end)
    parameters = tax_benefit_system.parameters
    if isinstance(product, str):
        try:
            line = product_spec(product, parameters)
        except ProductSpecError as error:
            raise ExplanationError(f"product {error}") from None
    elif isinstance(product, dict):
        line = dict(product)
    else:
        raise ExplanationError(f"product is {PRODUCT_SPEC}, or a line of inputs; not {type(product).__name__}")
    given = [name for name in QUANTITIES if line.get(name) is not None]
    if given:
        raise ExplanationError(f"{', '.join(given)}: a timeline gives rates, not payments; leave the quantity out")
    lines = read_line(first, {**line, "mass_tonnes": 1, "invoice_value": 1})
    steps = tariff_steps(tax_benefit_system, lines, first, last)
    intervals = [_step(parameters, step) for step in steps]
    unit = next((step.tariff.basis.unit for step in steps if step.tariff is not None), None)
    return {"product": product if isinstance(product, str) else line, "from": first.isoformat(),
            "to": last.isoformat(), "unit": unit, "intervals": intervals}


def _step(parameters, step) -> dict:
    tariff = step.tariff
    if not step.problem:
        status, reason = PRICED, (None if step.rate else tariff.reason)
    elif step.problem.startswith(BEFORE_THE_MODEL):
        status, reason = NOT_COVERED, step.problem
    elif tariff is not None and not tariff.known:
        status, reason = UNKNOWN, tariff.reason
    else:
        status, reason = NOT_PRICED, step.problem
    return {
        "first": step.interval.first.isoformat(),
        "last": step.interval.last.isoformat(),
        "days": step.interval.days,
        "status": status,
        "rate": plain(step.rate),
        "unit": tariff.basis.unit if tariff else None,
        "formula": tariff.formula if tariff else None,
        "band": _band_of(parameters, step.interval.first, tariff),
        "values": [{"name": v.name, "value": plain(v.value), "act": v.act, "item": v.reference.get("item"),
                    "confidence": v.confidence} for v in tariff.values] if tariff else [],
        "acts": list(tariff.acts) if tariff else [],
        "causes": list(step.causes),
        "confidence": tariff.confidence if tariff else "unknown",
        "reason": reason,
    }
