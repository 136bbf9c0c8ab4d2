"""The monthly calculation index (MRP, «месячный расчётный показатель») in force on the day,
in tenge: set by each year's republican budget law, sometimes revised mid-year (01.04.2020,
01.06.2022); the acts are in ``parameters/general/mrp.yaml``'s references."""

from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.law.parameter_lookup import value_or_not_known
from openfisca_kz_epr.variable_types import WideFloat


class mrp(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "currency-KZT"
    label = "Monthly calculation index in force on the day (annual budget law); money.NOT_KNOWN where not known (epr_problem says why)"
    reference = "parameters/general/mrp.yaml"

    def formula(product_line, period, parameters):
        general = parameters(period).general
        return product_line.filled_array(value_or_not_known(general, "mrp"))
