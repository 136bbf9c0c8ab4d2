"""Who owes nothing, and why: art. 386 item 6 of the Environmental Code of 02.01.2021 (in force
01.07.2021, eco_code_2021; its Russian text is quoted in legislation_refs/eco_code_2021.yaml).

«Расширенные обязательства производителей (импортеров) не распространяются на» eight cases. A
line claims one (``exemption``, an ``Exemption``; sub. 2 and 3 are one claim, ``exported``): the
claim holds where its sub-item's conditions hold, and nothing is owed on the part of the line the
sub-item names, the goods' part (``line_goods_payment_tiyn``) or the packaging's part
(``line_packaging_payment_tiyn``); the other part is still priced. A claim whose conditions fail
is the line's error naming the condition (``epr_problem``). Each sub-item is in force where its
parameter (``parameters/exemptions/<claim>.yaml``) is: from 01.07.2021, ``inferred`` (the text
seen is not dated); before, the 2007 Code governed and what it exempted is unknown, so a claim is
an error naming that.

What each sub-item names, as rows of Appendix 1 (``RULES``):

- sub. 1 ``recycled_content``: producers; their oils, polymer, glass, paper or cardboard packaging
  and accumulators (rows 2, 3, 5-7), made with at least 30 % of such waste recycled in Kazakhstan
  (``recycled_share_percent``; the least share is ``exemptions.recycled_content_minimum_share``).
- sub. 2 and 3 ``exported``: producers and importers; any goods sold outside Kazakhstan, and their
  packaging.
- sub. 4 ``personal_use_quota``: natural persons importing within the duty-free quota for goods
  for personal use (``declarant`` importer); any goods but vehicles and self-propelled
  agricultural machinery (a vehicle line is an error).
- sub. 5 ``socially_significant_food_packaging``, sub. 7 ``own_use_packaging``: importers; the
  packaging of their goods, of any material (rows 19-23: a line priced on its packaging, or the
  packaging declared on a goods line). Whether the food is on the Government's list is the
  declarant's to show: the list is not in the sources.
- sub. 6 ``preforms_paid``: producers; polymer packaging made from preforms already paid for
  (row 7, row 21, or polymer packaging declared on a goods line).
- sub. 8 ``humanitarian_aid``: importers; the polymer, glass, paper, cardboard or metal packaging
  of foreign humanitarian aid (rows 19-22: not combined-material packaging).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.language import Message, Said
from openfisca_kz_epr.law.relief import NOTHING_OWED, OWN_SYSTEM, claim_parameter, item_payment_tiyn, relief, relieved_parts
from openfisca_kz_epr.law.values import legal_value
from openfisca_kz_epr.line_status import ClaimStatus, enum_indices, given, of_goods, packaging_possible
from openfisca_kz_epr.money import NOT_HELD, NOT_KNOWN, not_known
from openfisca_kz_epr.products import Declarant, Exemption, Product
from openfisca_kz_epr.variable_types import CheckedVariable, WideFloat, WideInt

EXEMPTIONS = list(Exemption)
PRODUCTS = list(Product)


def _rows(*names: str) -> numpy.ndarray:
    """By ``Product`` index: whether the row is one of ``names``."""
    table = numpy.zeros(len(Product), dtype=bool)
    table[[Product[name].index for name in names]] = True
    return table


PACKAGED = ("packaged_goods_paper", "packaged_goods_glass", "packaged_goods_polymer", "packaged_goods_metal",
            "packaged_goods_combined")
EVERY_ROW = _rows(*(p.name for p in Product if p is not Product.unspecified))


@dataclass(frozen=True)
class Rule:
    """What a sub-item of item 6 names: who (``declarant``, None for producers and importers alike),
    the rows whose goods' part it relieves (``goods``, by ``Product`` index) and the rows of
    packaging whose packaging part it relieves (``packaging``, rows 19-23), in words (``covers``)."""

    declarant: Declarant | None
    goods: numpy.ndarray
    packaging: numpy.ndarray
    covers: str
    no_vehicles: bool = False
    least_share: bool = False


RULES = {
    Exemption.recycled_content: Rule(Declarant.producer, _rows("oils", "electric_accumulators", "paper_packaging",
                                                               "glass_packaging", "polymer_packaging"), _rows(),
                                     "a producer's oils, polymer, glass, paper or cardboard packaging and accumulators",
                                     least_share=True),
    Exemption.exported: Rule(None, EVERY_ROW, _rows(*PACKAGED), "goods sold outside Kazakhstan and their packaging"),
    Exemption.personal_use_quota: Rule(Declarant.importer, EVERY_ROW & ~_rows("vehicle"), _rows(*PACKAGED),
                                       "goods imported by a natural person within the duty-free quota for personal use",
                                       no_vehicles=True),
    Exemption.socially_significant_food_packaging: Rule(Declarant.importer, _rows(*PACKAGED), _rows(*PACKAGED),
                                                        "the packaging of socially significant food products"),
    Exemption.preforms_paid: Rule(Declarant.producer, _rows("polymer_packaging", "packaged_goods_polymer"),
                                  _rows("packaged_goods_polymer"), "polymer packaging made from preforms already paid for"),
    Exemption.own_use_packaging: Rule(Declarant.importer, _rows(*PACKAGED), _rows(*PACKAGED),
                                      "the packaging of goods used in the importer's own activity, not for sale"),
    Exemption.humanitarian_aid: Rule(Declarant.importer, _rows(*PACKAGED[:4]), _rows(*PACKAGED[:4]),
                                     "the polymer, glass, paper, cardboard or metal packaging of foreign humanitarian aid"),
}


class exemption(CheckedVariable):
    value_type = Enum
    possible_values = Exemption
    default_value = Exemption.none
    entity = ProductLine
    definition_period = DAY
    label = "The case of art. 386 item 6 of the Environmental Code the line claims (none by default)"
    reference = "https://adilet.zan.kz/rus/docs/K2100000400"


class recycled_share_percent(WideFloat):
    value_type = float
    default_value = NOT_KNOWN
    entity = ProductLine
    definition_period = DAY
    unit = "percent"
    label = ("Share of the goods made of waste recycled and utilised in Kazakhstan, in percent "
             "(art. 386 item 6 sub. 1: at least 30)")
    reference = "https://adilet.zan.kz/rus/docs/K2100000400"


class exemption_status(CheckedVariable):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    label = ("Which parts of the line's payment its exemption relieves (1 the goods', 2 the packaging's, 3 both; "
             "0 no exemption), or why the claim fails (below 0: line_status.ClaimStatus)")
    reference = "https://adilet.zan.kz/rus/docs/K2100000400"

    def formula(product_line, period, parameters):
        status = numpy.zeros(product_line.count, dtype=numpy.int32)
        if not given(product_line, "exemption"):
            return status
        claim = enum_indices(product_line("exemption", period))
        if not (claim != Exemption.none.index).any():
            return status
        row = enum_indices(product_line("appendix_1_row", period))
        packaging = (product_line("packaging_row", period) if packaging_possible(product_line, row, Product.packaged_goods.index)
                     else numpy.full(product_line.count, -1))
        declarant = enum_indices(product_line("declarant", period))
        day = period.start.date
        for kind, rule in RULES.items():
            lines = claim == kind.index
            if not lines.any():
                continue
            if legal_value(claim_parameter(product_line, f"exemptions.{kind.name}"), day).value is None:
                status[lines] = ClaimStatus.BEFORE_THE_CODE
                continue
            parts = (numpy.where(rule.goods[row], ClaimStatus.GOODS_PART, 0)
                     | numpy.where(rule.packaging[numpy.maximum(packaging, 0)] & (packaging >= 0), ClaimStatus.PACKAGING_PART, 0))
            failed = numpy.zeros(product_line.count, dtype=numpy.int32)
            if rule.declarant is not None:
                failed = numpy.where(declarant == Declarant.unspecified.index, ClaimStatus.DECLARANT_MISSING,
                                     numpy.where(declarant != rule.declarant.index,
                                                 ClaimStatus.NOT_PRODUCER if rule.declarant is Declarant.producer
                                                 else ClaimStatus.NOT_IMPORTER, 0))
            if rule.no_vehicles:
                failed = numpy.where((failed == 0) & (row == Product.vehicle.index), ClaimStatus.VEHICLE, failed)
            failed = numpy.where((failed == 0) & (parts == 0), ClaimStatus.NOT_THE_GOODS, failed)
            if rule.least_share:
                share = product_line("recycled_share_percent", period)
                least = float(parameters(period).exemptions.recycled_content_minimum_share)
                failed = numpy.where((failed == 0) & not_known(share), ClaimStatus.SHARE_MISSING, failed)
                failed = numpy.where((failed == 0) & ~(share >= least), ClaimStatus.SHARE_BELOW, failed)
            status[lines] = numpy.where(failed != 0, failed, parts)[lines]
        return status


class exemption_problem(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = "Why the line's exemption does not hold, naming the condition of art. 386 item 6 ('' where it holds or none is claimed)"
    reference = "https://adilet.zan.kz/rus/docs/K2100000400"

    def formula(product_line, period, parameters):
        status = product_line("exemption_status", period)
        words = numpy.full(product_line.count, "", dtype=object)
        failed = numpy.flatnonzero(status < 0)
        if not len(failed):
            return words
        claim = enum_indices(product_line("exemption", period))
        row = enum_indices(product_line("appendix_1_row", period))
        share = product_line("recycled_share_percent", period) if given(product_line, "recycled_share_percent") else None
        for i in failed.tolist():
            kind = EXEMPTIONS[claim[i]]
            value = legal_value(claim_parameter(product_line, f"exemptions.{kind.name}"), period.start.date)
            words[i] = _why(ClaimStatus(status[i]), kind, value, PRODUCTS[row[i]],
                            None if share is None else float(share[i]), parameters(period))
        return words


def _why(status: ClaimStatus, kind: Exemption, value, row: Product, share: float | None, law) -> str:
    """Why the exemption ``kind`` (whose parameter's value on the day is ``value``) does not hold on a
    line of ``row``: the condition of its sub-item that fails."""
    named = {"kind": kind.name, "kind_label": Message(kind.value)}
    if status == ClaimStatus.BEFORE_THE_CODE:
        return Said("exemption {kind}: {why}", why=value.why_unknown, since=value.since, **named)
    rule = RULES[kind]
    named.update(said=Message("exemption {kind} ({cite})", cite=value.cite(), **named), act=value.act,
                 item=value.reference.get("item"))
    if status == ClaimStatus.DECLARANT_MISSING:
        return Said("{said} is for producers only: declarant is not declared (producer or importer)" if rule.declarant is
                    Declarant.producer else "{said} is for importers only: declarant is not declared (producer or importer)",
                    **named)
    if status == ClaimStatus.NOT_PRODUCER:
        return Said("{said} is for producers only: the line's declarant is an importer", **named)
    if status == ClaimStatus.NOT_IMPORTER:
        return Said("{said} is for importers only: the line's declarant is a producer", **named)
    if status == ClaimStatus.VEHICLE:
        return Said("{said} excludes vehicles and self-propelled agricultural machinery", **named)
    if status == ClaimStatus.NOT_THE_GOODS:
        return Said("{said} covers {covers}: the line's goods ({row}) and its packaging, if any, are not among them",
                    covers=Message(rule.covers), row=row.name, row_label=Message(row.value), **named)
    least = format(law.exemptions.recycled_content_minimum_share, "g")
    if status == ClaimStatus.SHARE_MISSING:
        return Said("{said} needs at least {least} % of recycled waste: recycled_share_percent is missing", least=least, **named)
    return Said("{said} needs at least {least} % of recycled waste: recycled_share_percent = {share!r}", least=least, share=share,
                **named)


class line_relief(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = ("Why nothing is owed on a part of the line though it is priced: the item of the law and the part "
             "('' where no exemption or own system holds)")
    reference = "https://adilet.zan.kz/rus/docs/K2100000400"

    def formula(product_line, period, parameters):
        found = relief(product_line, period)
        words = numpy.full(product_line.count, "", dtype=object)
        if not found.parts.any():
            return words
        priced = product_line("epr_priced", period)
        for bits, what in NOTHING_OWED.items():
            lines = (found.parts == bits) & priced
            words[lines] = [Said(what, cite=cite) for cite in found.cite[lines]]
        own = priced & (product_line("own_system_status", period) > 0) if given(product_line, "fulfilment") else None
        if own is not None and own.any():
            words[own] = [Said(OWN_SYSTEM, cite=cite) for cite in found.cite[own]]
        return words


class line_relieved_tiyn(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "tiyn"
    label = ("What the Method would charge on the parts of the line that art. 386 relieves (an exemption, the own "
             "system), in tiyn; 0 where none is; -1 where a relieved part's rate is not known (nothing is owed either way)")
    reference = "https://adilet.zan.kz/rus/docs/K2100000400"

    def formula(product_line, period, parameters):
        parts = relieved_parts(product_line, period)
        if not parts.any():
            return numpy.zeros(product_line.count, dtype=numpy.int64)
        goods = numpy.where(parts & ClaimStatus.GOODS_PART, item_payment_tiyn(product_line, period), 0)
        packaging = (numpy.where(parts & ClaimStatus.PACKAGING_PART, product_line("packaging_payment_tiyn", period), 0)
                     if packaging_possible(product_line, enum_indices(product_line("appendix_1_row", period)),
                                           Product.packaged_goods.index) else 0)
        relieved = numpy.where((goods == NOT_HELD) | (packaging == NOT_HELD), NOT_HELD, goods + packaging)
        return numpy.where(product_line("epr_priced", period), relieved, 0)


class line_relieved_grams(WideInt):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    unit = "gram"
    label = ("The mass of the parts of the line that art. 386 relieves, in grams (the goods' mass, the packaging's, or "
             "both); 0 where none is, or for cable and vehicles (not counted by mass)")
    reference = "https://adilet.zan.kz/rus/docs/K2100000400"

    def formula(product_line, period, parameters):
        parts = relieved_parts(product_line, period)
        if not parts.any():
            return numpy.zeros(product_line.count, dtype=numpy.int64)
        goods = (parts & ClaimStatus.GOODS_PART) & (of_goods(enum_indices(product_line("appendix_1_row", period))) >= 0)
        grams = numpy.where(goods, numpy.maximum(product_line("mass_grams", period), 0), 0)
        if given(product_line, "packaging_mass_tonnes"):
            grams += numpy.where(parts & ClaimStatus.PACKAGING_PART, numpy.maximum(product_line("packaging_mass_grams", period), 0), 0)
        return numpy.where(product_line("epr_priced", period), grams, 0)
