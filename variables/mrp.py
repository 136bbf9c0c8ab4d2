"""The monthly calculation index (MRP) in force on the day, in tenge (dossier §4)."""

from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.method.mrp import mrp_on
from openfisca_kz_epr.variable_types import WideFloat


class mrp(WideFloat):
    value_type = float
    entity = ProductLine
    definition_period = DAY
    unit = "currency-KZT"
    label = "Monthly calculation index in force on the day (annual budget law)"
    reference = "parameters/general/mrp.yaml"

    def formula(product_line, period, parameters):
        value = mrp_on(product_line.simulation.tax_benefit_system.parameters, period.start.date).value
        return product_line.filled_array(float(value))
