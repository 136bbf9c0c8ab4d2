"""The producer's own system: art. 386 item 2 sub. 1 and item 3 of the Environmental Code of
02.01.2021 (in force 01.07.2021, eco_code_2021).

«Производители и импортеры … исполняют расширенные обязательства … одним из следующих способов:
1) применение собственной системы сбора, транспортировки, … и (или) утилизации отходов; 2)
заключение с оператором … договора … и внесение … утилизационного платежа» (item 2). Item 3: the
first way «не распространяется на производителей и импортеров автомобильных транспортных
средств, самоходной сельскохозяйственной техники, кабельно-проводниковой продукции».

A line that declares ``fulfilment`` ``own_system`` owes nothing to the operator (both parts of its
payment are relieved: ``exemptions.relieved_parts``); a vehicle (self-propelled agricultural
machinery included) or a cable line cannot, and is an error naming item 3. The way is in force
where ``parameters/fulfilment/own_system.yaml`` is: from 01.07.2021, ``inferred``; before, the
2007 Code's own system is known only in part, and a line is an error naming what is missing.
"""

import numpy
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.language import Said
from openfisca_kz_epr.law.values import legal_value
from openfisca_kz_epr.line_status import ClaimStatus, enum_indices, given
from openfisca_kz_epr.products import Fulfilment, Product
from openfisca_kz_epr.variable_types import CheckedVariable

NOT_OPEN = (Product.vehicle.index, Product.cable_products.index)


class fulfilment(CheckedVariable):
    value_type = Enum
    possible_values = Fulfilment
    default_value = Fulfilment.operator_payment
    entity = ProductLine
    definition_period = DAY
    label = ("How the producer fulfils its obligations for the line: the utilisation payment to the operator "
             "(item 2 sub. 2, the default) or its own system of collection and recycling (item 2 sub. 1)")
    reference = "https://adilet.zan.kz/rus/docs/K2100000400"


class own_system_status(CheckedVariable):
    value_type = int
    entity = ProductLine
    definition_period = DAY
    label = ("3 where the line's obligations are fulfilled by the producer's own system (nothing owed to the "
             "operator), 0 where by the payment, or why the own system is not open (below 0: line_status.ClaimStatus)")
    reference = "https://adilet.zan.kz/rus/docs/K2100000400"

    def formula(product_line, period, parameters):
        status = numpy.zeros(product_line.count, dtype=numpy.int32)
        if not given(product_line, "fulfilment"):
            return status
        own = enum_indices(product_line("fulfilment", period)) == Fulfilment.own_system.index
        if not own.any():
            return status
        parameter = product_line.simulation.tax_benefit_system.parameters.fulfilment.own_system
        if legal_value(parameter, period.start.date).value is None:
            status[own] = ClaimStatus.BEFORE_THE_CODE
            return status
        row = enum_indices(product_line("appendix_1_row", period))
        status[own] = numpy.where(numpy.isin(row[own], NOT_OPEN), ClaimStatus.EXCLUDED,
                                  ClaimStatus.GOODS_PART | ClaimStatus.PACKAGING_PART)
        return status


class own_system_problem(CheckedVariable):
    value_type = str
    entity = ProductLine
    definition_period = DAY
    label = "Why the line cannot be fulfilled by the producer's own system ('' where it can or the payment is declared)"
    reference = "https://adilet.zan.kz/rus/docs/K2100000400"

    def formula(product_line, period, parameters):
        status = product_line("own_system_status", period)
        words = numpy.full(product_line.count, "", dtype=object)
        if not (status < 0).any():
            return words
        value = legal_value(product_line.simulation.tax_benefit_system.parameters.fulfilment.own_system, period.start.date)
        words[status == ClaimStatus.BEFORE_THE_CODE] = Said("fulfilment own_system: {why}", why=value.why_unknown, since=value.since)
        words[status == ClaimStatus.EXCLUDED] = Said(
            "fulfilment own_system ({cite}) is not open to producers and importers of vehicles, self-propelled agricultural "
            "machinery and cable and conduction products (art. 386 item 3): they pay the operator", cite=value.cite())
        return words
