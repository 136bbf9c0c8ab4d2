"""What relieves a line of its payment, read from its claims (``variables/exemptions.py``,
``variables/own_system.py``): the parts of its payment nothing is owed on, the item of the
Environmental Code that relieves them, and its confidence (``Relief``). The fee's variables
(``variables/epr_payment.py``) take the relieved parts out of the payment, its legal basis and its
confidence."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy

from openfisca_kz_epr.law.tariffs.day import NONE, Sources
from openfisca_kz_epr.law.tariffs.tariff import weakest
from openfisca_kz_epr.law.values import legal_value
from openfisca_kz_epr.line_status import ClaimStatus, enum_indices, given
from openfisca_kz_epr.products import Exemption, Product

CLAIMS = ("exemption", "fulfilment")

# Why nothing is owed on a part of a priced line (``line_relief``, a ``language.Said`` of one of these, ``cite`` the items of law):
NOTHING_OWED = {
    ClaimStatus.GOODS_PART: "nothing is owed on the goods ({cite})",
    ClaimStatus.PACKAGING_PART: "nothing is owed on the packaging ({cite})",
    ClaimStatus.GOODS_PART | ClaimStatus.PACKAGING_PART: "nothing is owed on the goods and their packaging ({cite})",
}
OWN_SYSTEM = ("nothing is owed to the operator: the producer fulfils its obligations with its own system of collection and "
              "recycling ({cite})")


def claimed(product_line) -> bool:
    """Whether any line may claim an exemption or the own system (their input is given)."""
    return any(given(product_line, name) for name in CLAIMS)


def claim_parameter(product_line, path: str):
    """The parameter ``exemptions.<name>`` or ``fulfilment.<name>`` of the line's system."""
    node = product_line.simulation.tax_benefit_system.parameters
    for name in path.split("."):
        node = node.children[name]
    return node


def item_payment_tiyn(product_line, period) -> numpy.ndarray:
    """Per line, the payment of its own item in tiyn (goods: item 5, cable: item 5-1, a vehicle:
    chapter 2), before any claim; ``money.NOT_HELD`` where it is not held (``epr_problem`` says why)."""
    row = enum_indices(product_line("appendix_1_row", period))
    own = product_line("goods_payment_tiyn", period)
    if (row == Product.cable_products.index).any():
        own = own + product_line("cable_payment_tiyn", period)
    if (row == Product.vehicle.index).any():
        own = own + product_line("vehicle_payment_tiyn", period)
    return own


def relieved_parts(product_line, period) -> numpy.ndarray:
    """Per line, the parts of its payment nothing is owed on (``ClaimStatus`` bits): its
    exemption's (item 6) or its own system's (item 2 sub. 1); 0 where no claim holds."""
    if not claimed(product_line):
        return numpy.zeros(product_line.count, dtype=numpy.int32)
    return (numpy.maximum(product_line("exemption_status", period), 0)
            | numpy.maximum(product_line("own_system_status", period), 0))


@dataclass(frozen=True)
class Relief:
    """Per line: the parts relieved (``parts``), the item of the law that relieves them
    (``cite``: ``eco_code_2021 art. 386 item 6 sub. 2 and 3``; '' where none) and its confidence."""

    parts: numpy.ndarray
    cite: numpy.ndarray
    confidence: numpy.ndarray

    def owed(self, found: Sources) -> Sources:
        """``found`` without the tariffs of the relieved parts: a goods part relieved beside a
        packaging part still owed leaves the packaging's tariff as the line's own."""
        goods = (self.parts & ClaimStatus.GOODS_PART) > 0
        packaging = found.packaging_tariff_index.copy()
        packaging[(self.parts & ClaimStatus.PACKAGING_PART) > 0] = NONE
        tariff = found.tariff_index.copy()
        tariff[goods] = packaging[goods]
        packaging[goods] = NONE
        return replace(found, tariff_index=tariff, packaging_tariff_index=packaging, by_code=found.by_code & ~goods)


def relief(product_line, period) -> Relief:
    """What relieves each line (``Relief``), read from its claims' parameters."""
    parts = relieved_parts(product_line, period)
    cite = numpy.full(product_line.count, "", dtype=object)
    confidence = numpy.full(product_line.count, "", dtype=object)
    if not parts.any():
        return Relief(parts, cite, confidence)
    day = period.start.date
    claims = [(product_line("own_system_status", period) > 0, "fulfilment.own_system")]
    if given(product_line, "exemption"):
        kind = enum_indices(product_line("exemption", period))
        holds = product_line("exemption_status", period) > 0
        claims += [(holds & (kind == member.index), f"exemptions.{member.name}") for member in Exemption
                   if member is not Exemption.none]
    for lines, path in claims:
        if lines.any():
            value = legal_value(claim_parameter(product_line, path), day)
            cite[lines] = [f"{c};{value.cite()}" if c else value.cite() for c in cite[lines]]
            confidence[lines] = [weakest([c, value.confidence]) if c else value.confidence for c in confidence[lines]]
    return Relief(parts, cite, confidence)
