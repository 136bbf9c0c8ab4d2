"""What priced each line of a simulation: its tariffs in the law read on its day, the customs
code list if it was keyed by a code, and the formulas a structural reform replaced."""

import numpy

from openfisca_kz_epr.law import customs_codes
from openfisca_kz_epr.law.reform_marks import replaced_formulas
from openfisca_kz_epr.law.tariffs.day import Sources, day_tariffs
from openfisca_kz_epr.law.values import NotCovered
from openfisca_kz_epr.line_status import given


def sources(product_line, period) -> Sources:
    """What priced each line (its tariffs, code list, reform), read from its selection variables."""
    by_code = (product_line("customs_code_status", period) >= 0 if given(product_line, "customs_code")
               else numpy.zeros(product_line.count, dtype=bool))
    code_list = None
    if by_code.any():
        try:
            code_list = customs_codes.code_list_on(period.start.date)
        except NotCovered:
            by_code[:] = False
    system = product_line.simulation.tax_benefit_system
    return Sources(product_line("tariff_index", period), list(day_tariffs(system.parameters, period.start.date).tariffs),
                   product_line("packaging_tariff_index", period), by_code, code_list, replaced_formulas(system))
