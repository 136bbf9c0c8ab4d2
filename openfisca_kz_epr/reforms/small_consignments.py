"""A formula change: small consignments owe nothing.

From 01.07.2021, a goods line (item 5: one kind of goods placed on the market on one day) of
less than a threshold mass owes nothing; cable and vehicles are unchanged. The threshold is a
parameter of this reform (``parameters/small_consignment_threshold.yaml`` beside this module,
``reforms.small_consignment_threshold`` once applied): illustrative, no act says so.

``openfisca serve --country-package openfisca_kz_epr --reforms openfisca_kz_epr.reforms.small_consignments.small_consignments``
"""

from pathlib import Path

import numpy
from openfisca_core.parameters import ParameterNode
from openfisca_core.reforms import Reform
from openfisca_core.variables import Variable

from openfisca_kz_epr.law import NotCovered, legal_value
from openfisca_kz_epr.line_assessment import checked
from openfisca_kz_epr.method.tariff import PER_TONNE
from openfisca_kz_epr.money import MASS_DECIMALS, fixed_point, scaled_int
from openfisca_kz_epr.variable_types import WideFloat, WideInt

PARAMETERS = Path(__file__).resolve().parent / "parameters"
ACT = "reform:small_consignments"


def exempt(product_line, period, variable: str) -> tuple[numpy.ndarray, object]:
    """Which lines the reform exempts on the DAY ``period``, and the law's assessment."""
    result = checked(product_line, period, variable)
    parameters = product_line.simulation.tax_benefit_system.parameters
    try:
        threshold = legal_value(parameters.reforms.small_consignment_threshold, period.start.date)
    except NotCovered:
        return numpy.zeros(len(result.tiyn), dtype=bool), result
    grams, _ = fixed_point(product_line("mass_tonnes", period), MASS_DECIMALS)
    per_tonne = result.per_line(lambda tariff: tariff.basis is PER_TONNE).astype(bool)
    return per_tonne & (grams < scaled_int(threshold.value, MASS_DECIMALS)), result


class epr_payment_tiyn(WideInt):
    label = "EPR payment of the line in tiyn; 0 for a goods line below the small-consignment threshold (reform)"

    def formula(product_line, period, parameters):
        lines, result = exempt(product_line, period, "epr_payment_tiyn")
        return numpy.where(lines, 0, result.tiyn)


class epr_payment(WideFloat):
    label = "EPR payment of the line in tenge, exact to the tiyn (reform small_consignments)"

    def formula(product_line, period, parameters):
        return product_line("epr_payment_tiyn", period) / 100


class epr_legal_basis(Variable):
    label = "Ids of the acts whose values priced the line, and reform:small_consignments where it exempts the line"

    def formula(product_line, period, parameters):
        lines, result = exempt(product_line, period, "epr_legal_basis")
        basis = result.per_line(lambda tariff: ";".join(tariff.acts))
        return numpy.where(lines, basis + f";{ACT}", basis)


class epr_confidence(Variable):
    label = "Confidence of the line's payment: 'reform' where the reform exempts it"

    def formula(product_line, period, parameters):
        lines, result = exempt(product_line, period, "epr_confidence")
        return numpy.where(lines, "reform", result.per_line(lambda tariff: tariff.confidence))


class small_consignments(Reform):
    """Goods lines of less than a threshold mass owe nothing from 01.07.2021. The variables above
    replace the law's own, whose value type, entity, period and unit they keep."""

    name = "Small consignments (goods lines below a threshold mass) owe nothing from 01.07.2021"

    def apply(self) -> None:
        def add_threshold(parameters):
            parameters.add_child("reforms", ParameterNode("reforms", directory_path=str(PARAMETERS)))
            return parameters

        self.modify_parameters(add_threshold)
        for variable in (epr_payment_tiyn, epr_payment, epr_legal_basis, epr_confidence):
            self.update_variable(variable)
