"""The monthly calculation index (MRP, «месячный расчётный показатель») in force on the day,
in tenge: set by each year's republican budget law, sometimes revised mid-year (01.04.2020,
01.06.2022); the acts are in ``parameters/general/mrp.yaml``'s references."""

from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.law.acts import urls_cited_in
from openfisca_kz_epr.law.parameter_lookup import value_or_not_known
from openfisca_kz_epr.variable_types import WideFloat


class mrp(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "currency-KZT"
    label = "Monthly calculation index in force on the day (annual budget law); money.NOT_KNOWN where not known (epr_problem says why)"
    reference = urls_cited_in("general/mrp.yaml")
    documentation = ("The annual republican budget laws, each cited by the value it set in parameters/general/mrp.yaml; those "
                     "whose address is not known (budget_law_2015_2017, budget_law_2021, budget_law_2024, budget_law_2026 of "
                     "legislation_refs/) are named there by their id and title.")

    def formula(product_line, period, parameters):
        general = parameters(period).general
        return product_line.filled_array(value_or_not_known(general, "mrp"))
