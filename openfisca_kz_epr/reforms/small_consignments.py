"""A formula change: small consignments owe nothing.

From 01.07.2021, a goods line (item 5: one kind of goods placed on the market on one day) of
less than a threshold mass owes nothing; cable, vehicles and packaging are unchanged. The
threshold is a parameter of this reform (``parameters/small_consignment_threshold.yaml`` beside
this module, ``reforms.small_consignment_threshold`` once applied): illustrative, no act says so.

The reform replaces one formula of the Method, ``goods_payment_tiyn`` (item 5), the OpenFisca
way (``update_variable``); every other variable, the checks of ``epr_problem`` included, is the
law's. The results say ``reform`` (``epr_confidence``) and ``reform:small_consignments``
(``epr_legal_basis``).

``openfisca serve --country-package openfisca_kz_epr --reforms openfisca_kz_epr.reforms.small_consignments.small_consignments``
"""

from pathlib import Path

import numpy
from openfisca_core.parameters import ParameterNode
from openfisca_core.reforms import Reform

from openfisca_kz_epr.money import MASS_DECIMALS, NOT_HELD, held_exactly
from openfisca_kz_epr.variable_types import WideInt

PARAMETERS = Path(__file__).resolve().parent / "parameters"


class goods_payment_tiyn(WideInt):
    label = "Payment for the line's goods in tiyn (item 5); 0 for a goods line below the small-consignment threshold (reform)"

    def formula(product_line, period, parameters):
        system = product_line.simulation.tax_benefit_system
        law = system.baseline.variables["goods_payment_tiyn"].get_formula(period)(product_line, period, parameters)
        reform = parameters(period).reforms
        if "small_consignment_threshold" not in reform:
            return law
        grams = product_line("mass_grams", period)
        threshold = held_exactly(numpy.array([reform.small_consignment_threshold]), MASS_DECIMALS)[0]
        return numpy.where((grams != NOT_HELD) & (grams < threshold), 0, law)


class small_consignments(Reform):
    """Goods lines of less than a threshold mass owe nothing from 01.07.2021: the variable above
    replaces the law's ``goods_payment_tiyn``, whose value type, entity, period and unit it keeps."""

    name = "Small consignments (goods lines below a threshold mass) owe nothing from 01.07.2021"

    def apply(self) -> None:
        def add_threshold(parameters):
            parameters.add_child("reforms", ParameterNode("reforms", directory_path=str(PARAMETERS)))
            return parameters

        self.modify_parameters(add_threshold)
        self.update_variable(goods_payment_tiyn)
