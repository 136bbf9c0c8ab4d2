"""``kz-epr explain``, ``kz-epr changes``, ``kz-epr timeline``: every figure with its legal
source, for the auditor and the lawyer (``openfisca_kz_epr.explain.explanation``).

Human text by default, ``--json`` for the same dict the web API gives, ``--csv`` for a
timeline. Exit codes: 0 done; 1 (explain only) the law as modelled cannot price the line on
that day (an unknown value, or a day before the model: the explanation says which); 2 bad
arguments, with a one-line message.
"""

from __future__ import annotations

import csv
import json
import os
import sys

from openfisca_kz_epr.cli import epilog
from openfisca_kz_epr.kilograms import KilogramsError, in_tonnes
from openfisca_kz_epr.language import LANGUAGES, Language, Message, Said
from openfisca_kz_epr.law.relief import NOTHING_OWED, OWN_SYSTEM

EXPLAIN = """Why a line owes what it owes on a day: the formula and the item of the law that
states it, each value with its act (number, date, item), URL, publication date and
confidence, the arithmetic and the exact result; or why nothing is owed, which value is
unknown, or that the day precedes the model. Masses in tonnes or in kilograms (--mass-kg,
--packaging-mass-kg: moved exactly to tonnes). Without its quantity (--mass-tonnes, --mass-kg,
--invoice-value) a line's rate is explained."""
CHANGES = """Every change of any parameter taking effect after FROM up to TO (the law on each
such day against the day before), grouped by act, old -> new: values (a scale's band amounts
and thresholds), references, confidence, notes and publication dates."""
TIMELINE = """The rate of a product (or a vehicle band, or the row of a customs code) on every day
from D1 to D2: intervals with no gap and no overlap, each with its rate, the acts that set it and
what changed it."""
CODE = """What a customs code (ТН ВЭД ЕАЭС) names on a day: the listed code that begins it, its row
of Appendix 1, the List and the source of the map, and the row's rate on that day with every
value and act. Exit codes: 0 done; 2 a code that is malformed or not in the List as known."""


class UsageError(Exception):
    """Bad arguments: a one-line message, exit code 2."""


def register(subparsers) -> None:
    explain = subparsers.add_parser("explain", help="the legal trace of one line's payment", description=EXPLAIN, epilog=epilog([
        "kz-epr explain --date 2021-03-01 --product tyres --mass-tonnes 2.5",
        "kz-epr explain --date 2022-06-01 --customs-code 8471300000 --mass-tonnes 0.4 --lang ru",
        "kz-epr explain --date 2023-03-01 --customs-code 4011201000 --mass-kg 2345 --lang ru",
        "kz-epr explain --date 2021-03-01 --product oils --mass-tonnes 1.2 --packaging-material polymer --packaging-mass-tonnes 0.05",
        "kz-epr explain --date 2021-03-01 --product vehicle --vehicle-category m1 --engine-displacement-cm3 1598 --json"],
        "docs/declarants.md"))
    explain.add_argument("--date", required=True, metavar="D", help="the day the obligation arises (YYYY-MM-DD)")
    explain.add_argument("--product", metavar="P", help="a product key (tyres, cable_products, vehicle, ...); or give --customs-code")
    explain.add_argument("--customs-code", metavar="CODE", help="the goods' customs code (ТН ВЭД, 4 to 10 digits), instead of or besides --product")
    explain.add_argument("--mass-tonnes", metavar="M", help="goods: mass in tonnes")
    explain.add_argument("--mass-kg", metavar="KG", help="goods: mass in kilograms (instead of --mass-tonnes; 2345 is 2.345 t)")
    explain.add_argument("--invoice-value", metavar="N", help="cable and conduction products: invoice value in tenge")
    for name, metavar, text in (*PACKAGING_OPTIONS, *CLAIM_OPTIONS):
        explain.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar=metavar, help=text)
    _vehicle_options(explain)
    _common(explain)
    form = explain.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print the explanation as JSON (its keys and values in English)")
    form.add_argument("--lang", choices=LANGUAGES, default="en",
                      help="the language of the text: its words and the amount, written for the locale (default: en)")
    explain.set_defaults(run=run_explain, command_name="explain")

    changes = subparsers.add_parser("changes", help="what the law changed between two days, by act", description=CHANGES,
                                    epilog=epilog(["kz-epr changes 2021-12-31 2022-12-31", "kz-epr changes 2019-01-01 2026-12-31 --json"],
                                                  "docs/declarants.md"))
    changes.add_argument("first", metavar="FROM", help="first day (YYYY-MM-DD): the law on this day is the starting point")
    changes.add_argument("last", metavar="TO", help="last day (YYYY-MM-DD), included")
    _common(changes)
    changes.add_argument("--json", action="store_true", help="print the changes as JSON")
    changes.set_defaults(run=run_changes, command_name="changes")

    timeline = subparsers.add_parser("timeline", help="a product's rate on every day of a range, with its acts", description=TIMELINE,
                                     epilog=epilog(["kz-epr timeline --product tyres --from 2016-01-01 --to 2026-12-31",
                                                    "kz-epr timeline --product vehicle:m1:1600 --from 2019-06-01 --to 2026-12-31 --csv",
                                                    "kz-epr timeline --product 8471300000 --from 2021-01-01 --to 2023-12-31 --json"],
                                                   "docs/declarants.md"))
    timeline.add_argument("--product", required=True, metavar="P",
                          help="a product key, a customs code (ТН ВЭД), or vehicle:CATEGORY:VALUE (VALUE in the category's band "
                               "unit, or 'electric'); or vehicle with the vehicle options")
    timeline.add_argument("--from", dest="first", required=True, metavar="D1", help="first day (YYYY-MM-DD)")
    timeline.add_argument("--to", dest="last", required=True, metavar="D2", help="last day (YYYY-MM-DD), included")
    _vehicle_options(timeline)
    _common(timeline)
    output = timeline.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the timeline as JSON")
    output.add_argument("--csv", action="store_true", help="print the intervals as CSV")
    timeline.set_defaults(run=run_timeline, command_name="timeline")

    code = subparsers.add_parser("code", help="what a customs code (ТН ВЭД) names on a day: its row, k and source",
                                 description=CODE, epilog=epilog(["kz-epr code 8471300000 --date 2022-06-01",
                                                                  "kz-epr code '4011 10 000 0' --date 2021-03-01 --json"], "docs/declarants.md"))
    code.add_argument("code", metavar="CODE", help="a customs code, 4 to 10 digits (spaces and dots allowed)")
    code.add_argument("--date", required=True, metavar="D", help="the day (YYYY-MM-DD)")
    _common(code)
    code.add_argument("--json", action="store_true", help="print the look-up as JSON")
    code.set_defaults(run=run_code, command_name="code")


PACKAGING_OPTIONS = (
    ("packaging_material", "MATERIAL", "goods in packaging: the packaging's material (paper, glass, polymer, metal, combined)"),
    ("packaging_customs_code", "CODE", "goods in packaging: the packaging's own customs code (names its material)"),
    ("packaging_mass_tonnes", "M", "goods in packaging: the packaging's mass in tonnes"),
    ("packaging_mass_kg", "KG", "goods in packaging: the packaging's mass in kilograms (instead of --packaging-mass-tonnes)"),
)
CLAIM_OPTIONS = (
    ("exemption", "CASE", "a case of art. 386 item 6 of the Environmental Code (from 01.07.2021): recycled_content, exported, "
                          "personal_use_quota, socially_significant_food_packaging, preforms_paid, own_use_packaging, humanitarian_aid"),
    ("fulfilment", "WAY", "operator_payment (the default) or own_system (art. 386 item 2 sub. 1: nothing owed to the operator)"),
    ("declarant", "WHO", "producer or importer (some exemptions are for one of them only)"),
    ("recycled_share_percent", "P", "recycled_content: the share of waste recycled in Kazakhstan, in percent (at least 30)"),
)
VEHICLE_OPTIONS = (
    ("vehicle_category", "CATEGORY", "vehicle category of Appendix 4 (m1, n, n_road_tractor, m2_m3, combine_harvester)"),
    ("engine_displacement_cm3", "CM3", "engine displacement in cm³ (m1, m2_m3)"),
    ("gross_vehicle_mass_tonnes", "T", "gross vehicle mass in tonnes (n, n_road_tractor)"),
    ("engine_power_hp", "HP", "engine power in hp (combine_harvester)"),
    ("import_origin", "ORIGIN", "other or russia_or_belarus (where the law prices vehicles by country of import)"),
    ("road_tractor_use", "USE", "other or international_transport (where the law prices road tractors by use)"),
)


def _vehicle_options(parser) -> None:
    for name, metavar, text in VEHICLE_OPTIONS:
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar=metavar, help=text)
    parser.add_argument("--electric", dest="is_electric", action="store_true", help="a purely electric vehicle (not a hybrid)")


def _common(parser) -> None:
    parser.add_argument("--reform", metavar="REFORM", help="explain under a reform (a reform file or the dotted path of a Reform class)")
    assume_option(parser)


ASSUME_HELP = ("assume a value the law has not published yet, PARAMETER@DAY=VALUE (e.g. general.mrp@2027-01-01=4500; "
               "repeatable): results priced with it say 'assumed'; a value the law has is refused")


def assume_option(parser) -> None:
    """``--assume PARAMETER@DAY=VALUE`` (repeatable), on every command that prices."""
    parser.add_argument("--assume", action="append", default=[], metavar="PARAMETER@DAY=VALUE", help=ASSUME_HELP)


def _system(args):
    from openfisca_kz_epr import CountryTaxBenefitSystem
    from openfisca_kz_epr.reforms import apply_reform
    from openfisca_kz_epr.reforms.assumptions import assume

    system = assume(CountryTaxBenefitSystem(), args.assume)
    return apply_reform(system, args.reform) if args.reform else system


def _vehicle_facts(args) -> dict:
    facts = {name: getattr(args, name) for name, _, _ in VEHICLE_OPTIONS if getattr(args, name) is not None}
    if args.is_electric:
        facts["is_electric"] = True
    return facts


def _guarded(command):
    """Run ``command(args)``; bad input and unreadable reforms are a one-line message, exit 2."""

    def run(args) -> int:
        from openfisca_kz_epr.explain.explanation import ExplanationError
        from openfisca_kz_epr.reforms import ReformError

        try:
            return command(args)
        except (UsageError, ExplanationError, ReformError) as error:
            print(f"kz-epr {args.command_name}: {error}", file=sys.stderr)
            return 2
        except BrokenPipeError:  # the reader stopped reading (| head): nothing more to say
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (Python's own advice for this case)
            return 0

    return run


def _print_json(result: dict) -> None:
    print(json.dumps(result, ensure_ascii=False, indent=2))


# ----------------------------------------------------------------------------- explain

@_guarded
def run_explain(args) -> int:
    from openfisca_kz_epr.explain.explanation import ANSWERED, explain

    line = {"product": args.product, **_vehicle_facts(args)}
    for name in ("customs_code", "mass_tonnes", "mass_kg", "invoice_value", *(name for name, _, _ in (*PACKAGING_OPTIONS, *CLAIM_OPTIONS))):
        if getattr(args, name) is not None:
            line[name] = getattr(args, name)
    try:
        line = in_tonnes(line, spelled=lambda name: "--" + name.replace("_", "-"))
    except KilogramsError as error:
        raise UsageError(str(error)) from None
    result = explain(_system(args), args.date, line)
    if args.json:
        _print_json(result)
    else:
        print(explanation_text(result, Language(args.lang)))
    return 0 if result["status"] in ANSWERED else 1


def explanation_text(result: dict, words: Language | None = None) -> str:
    """An explanation (``explanation.explain``) as text for a reader, in ``words``' language (the
    arithmetic, the law's reasons and the acts' notes stay in the model's English)."""
    words = words or Language()
    t = words.t
    inputs = ", ".join(f"{name} = {value}" for name, value in result["line"].items() if name != "product")
    out = [Message("{product} on {date}", product=result["product"], date=result["date"]).said(words)
           + (f": {inputs}" if inputs else "")]
    if result.get("customs_code"):
        out.append(_code_text(result["customs_code"], words))
    if result["formula"]:
        out.append(f"{t('Formula:')} {t(result['formula'])}")
    if result["band"]:
        out.append(f"{t('Band:')} {_band_text(result['band'])} {result['band']['unit'] or ''}".rstrip())
    if result["values"]:
        out.append(t("Values used:"))
        out.extend(_value_text(value, words) for value in result["values"])
    packaging = result.get("packaging")
    if packaging:
        out.append(Message("Packaging: {row} on {mass} t; rate {rate} {unit} ({formula}); values used:", row=packaging["row"],
                           mass=packaging["mass_tonnes"], rate=packaging["rate"], unit=packaging["unit"],
                           formula=Message(packaging["formula"])).said(words))
        out.extend(_value_text(value, words) for value in packaging["values"])
    if result["arithmetic"]:
        out.append(t("Arithmetic:"))
        out.extend(f"  {step}" for step in result["arithmetic"])
    out.append(_outcome(result, words))
    return "\n".join(out)


def _code_text(code: dict, words: Language | None = None) -> str:
    """How a customs code named the line's row, with the list and the source of the map."""
    words = words or Language()
    return Message("Customs code {code}: listed code {listed} -> {row} ({label}); {list}; map from {source}; confidence "
                   "{confidence}", code=code["code"], listed=code["listed_code"], row=code["row"], label=code["row_label"],
                   list=_act_text(code["list"], words), source=code["source"]["id"],
                   confidence=Message(code["confidence"])).said(words)


def _value_text(value: dict, words: Language | None = None) -> str:
    words = words or Language()
    t = words.t
    shown = t("unknown") if value["value"] is None else value["value"]
    unit = {None: "", "/1": "", "currency-KZT": " " + t("KZT")}.get(value["unit"], f" {value['unit']}")
    lines = ["  " + Message("{name} = {value}{unit} (since {since}; confidence {confidence})", name=value["name"], value=shown,
                            unit=unit, since=value["since"], confidence=Message(value["confidence"])).said(words)]
    act = value["act"]
    if act:
        lines.append(f"    {_act_text(act, words)}; {value['item'] or t('item not stated')}")
        published = value["official_journal_date"] or act.get("published")
        where = (Message("URL: {url}", url=value["url"]) if value["url"]
                 else Message("sources: {sources}", sources=", ".join(act.get("sources") or []) or Message("none known")))
        lines.append("    " + Message("published: {published}; {where}", published=published or Message("unknown"),
                                       where=where).said(words))
    elif value.get("missing_act"):
        lines.append("    " + Message("missing: {act}", act=value["missing_act"]).said(words)
                     + f"; {value['item'] or t('item not stated')}")
    if value["note"]:
        lines.append("    " + Message("note: {note}", note=value["note"]).said(words))
    return "\n".join(lines)


def _act_of(value: dict, words: Language) -> str:
    """The id of the act that sets ``value``, or the act it is missing from (``missing: …``)."""
    if value.get("missing_act"):
        return Message("missing: {act}", act=value["missing_act"]).said(words)
    return (value["act"] or {}).get("id", words.t("no act"))


def _act_text(act: dict, words: Language | None = None) -> str:
    """``order_122_2019 (No. 122, signed 2019-12-26, in force 2020-01-17): title`` (the Russian
    title, where the act has one, in Russian or Kazakh)."""
    words = words or Language()
    facts = [Message("No. {number}", number=act["number"]) if act.get("number") else None,
             Message("signed {day}", day=act["signed"]) if act.get("signed") else None,
             Message("in force {day}", day=act["in_force"]) if act.get("in_force") else None]
    shown = ", ".join(fact.said(words) for fact in facts if fact)
    title = act.get("title_ru") if words.code != "en" and act.get("title_ru") else act.get("title_en")
    if not act["id"]:  # no act: what is missing
        return title or ""
    return f"{act['id']}" + (f" ({shown})" if shown else "") + (f": {title}" if title else "")


def _outcome(result: dict, words: Language | None = None) -> str:
    words = words or Language()
    status = result["status"]
    if status in ("owed", "nothing_owed"):
        payment = result["payment"]
        amount = f"{_thousands(payment['kzt'])} KZT" if words.code == "en" else words.amount(payment["tiyn"])
        text = Message("Result: {amount} ({tiyn} tiyn); confidence {confidence}; legal basis: {acts}", amount=amount,
                       tiyn=payment["tiyn"], confidence=Message(result["confidence"]), acts=", ".join(result["acts"])).said(words)
        return text + ("\n" + _nothing_owed(result["reason"], words) if status == "nothing_owed" else "")
    if status == "rate_only":
        return Message("Rate: {rate} {unit}; confidence {confidence}. {reason}.", rate=result["rate"], unit=result["unit"],
                       confidence=Message(result["confidence"]), reason=result["reason"]).said(words)
    if status == "unknown":
        missing = "".join(f"\n  {v['name']}: {_act_of(v, words)} {v['item'] or ''}".rstrip() for v in result["missing"])
        return (Message("Not priced: the law's value is unknown. {reason}", reason=result["reason"]).said(words)
                + (f"\n{words.t('Unknown:')}{missing}" if missing else ""))
    return Message("Not priced: the day is not covered. {reason}", reason=result["reason"]).said(words)


def _nothing_owed(reason, words: Language) -> str:
    """Why nothing is owed, said once: a relief of art. 386 says so itself (``law.relief``)."""
    if isinstance(reason, Said) and reason.message.template in (*NOTHING_OWED.values(), OWN_SYSTEM):
        said = words.say(reason)
        return said[:1].upper() + said[1:]
    return Message("Nothing is owed: {reason}", reason=reason.message if isinstance(reason, Said) else reason).said(words)


def _thousands(kzt: str) -> str:
    whole, _, cents = kzt.partition(".")
    return f"{int(whole):,}".replace(",", " ") + f".{cents}"


# ----------------------------------------------------------------------------- changes

@_guarded
def run_changes(args) -> int:
    from openfisca_kz_epr.explain.explanation import changes

    result = changes(_system(args), args.first, args.last)
    if args.json:
        _print_json(result)
    else:
        print(changes_text(result))
    return 0


def changes_text(result: dict) -> str:
    out = [f"Changes after {result['from']} up to {result['to']}: {result['count']}"]
    for group in result["acts"]:
        out.append(f"\n{_act_text(group['act'])}")
        for change in group["changes"]:
            band = f" ({change['band']})" if change.get("band") else ""
            old = "(not set)" if change.get("starts") else _shown(change["old"], change["field"])
            new = _shown(change["new"], change["field"])
            out.append(f"  {change['day']}  {change['parameter']}{band} {change['field']}: {old} -> {new}")
    return "\n".join(out)


def _shown(value, field: str) -> str:
    if value is None:
        return "unknown" if field == "value" else "none"
    if isinstance(value, dict) and value.get("act_sets_value") is False:  # no act sets the value yet
        return f"missing: {value.get('missing_act')} {value.get('item') or ''}".rstrip()
    if isinstance(value, dict):
        return " ".join(str(item) for item in value.values())
    return str(value)


# ----------------------------------------------------------------------------- timeline

CSV_COLUMNS = ("first", "last", "days", "status", "rate", "unit", "band", "acts", "causes", "confidence", "reason")


@_guarded
def run_timeline(args) -> int:
    from openfisca_kz_epr.explain.explanation import timeline

    facts = _vehicle_facts(args)
    product = {"product": args.product, **facts} if facts else args.product
    result = timeline(_system(args), product, args.first, args.last)
    if args.json:
        _print_json(result)
    elif args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for step in result["intervals"]:
            writer.writerow([_cell(step, column) for column in CSV_COLUMNS])
    else:
        print(timeline_text(result))
    return 0


def _cell(step: dict, column: str) -> str:
    value = step[column]
    if column == "band":
        return _band_text(value)
    if isinstance(value, list):
        return ";".join(value)
    return "" if value is None else str(value)


def _band_text(band: dict | None) -> str:
    if not band:
        return ""
    upper = f" up to {band['up_to']}" if band["up_to"] else ""
    return f"{band['by']} above {band['above']}{upper}"


def timeline_text(result: dict) -> str:
    product = result["product"] if isinstance(result["product"], str) else ", ".join(f"{k}={v}" for k, v in result["product"].items())
    out = [f"{product}: rate in {result['unit'] or 'no unit (never priced)'}, {result['from']} to {result['to']}"]
    for step in result["intervals"]:
        rate = step["rate"] if step["rate"] is not None else "not priced"
        band = f"  [{_band_text(step['band'])}]" if step["band"] else ""
        why = f"\n      {step['reason']}" if step["reason"] else ""
        out.append(f"  {step['first']} – {step['last']}  {rate:>14}  {', '.join(step['causes']) or '-'}"
                   f"  ({step['confidence']}){band}{why}")
    return "\n".join(out)


# ----------------------------------------------------------------------------- code

@_guarded
def run_code(args) -> int:
    from openfisca_kz_epr.explain.explanation import look_up_code

    result = look_up_code(_system(args), args.code, args.date)
    if args.json:
        _print_json(result)
    else:
        print(code_text(result))
    return 0


def code_text(result: dict) -> str:
    rate = result["rate"]
    out = [f"{result['code']} on {result['date']}",
           _code_text({**result, "listed_code": result["listed_code"]}),
           f"  note: {result['note']}"]
    if rate["values"]:
        out.append("Values used:")
        out.extend(_value_text(value) for value in rate["values"])
    if rate["rate"] is not None:
        out.append(f"Rate: {rate['rate']} {rate['unit']}; confidence {rate['confidence']}")
    else:
        out.append(f"Rate: unknown. {rate['reason']}")
    return "\n".join(out)
