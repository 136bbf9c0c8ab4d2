"""The monthly calculation index (MRP) in force on the day, in tenge (the budget laws of legislation_refs/)."""

from openfisca_core.periods import DAY

from openfisca_kz_epr.entities import ProductLine
from openfisca_kz_epr.errors import EprError
from openfisca_kz_epr.law import NotCovered
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
        try:
            value = mrp_on(product_line.simulation.tax_benefit_system.parameters, period.start.date)
        except NotCovered as error:
            _refuse(product_line, period, f"the day is before the MRP as modelled: {error}")
        if not value.known:
            _refuse(product_line, period, value.why_unknown)
        return product_line.filled_array(float(value.value))


def _refuse(product_line, period, reason: str):
    """No MRP on the day: an error naming every line, never a silent value."""
    raise EprError("mrp", period, {str(line): reason for line in product_line.ids})
