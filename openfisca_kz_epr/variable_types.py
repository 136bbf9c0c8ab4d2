"""Variable bases: wide numbers, and inputs checked the same way on every face.

OpenFisca's ``float`` is float32 and its ``int`` int32: neither holds a fee of 20 million
tenge to the tiyn. Amounts and inputs here are float64 (inputs, rates, amounts in tenge,
whose shortest repr is exact to the tiyn) or int64 (amounts in tiyn).

Every variable of this model checks the values given to it with ``input_checks`` (a number
is a finite quantity, not a boolean or a text; an enum is a name; a flag is true or false) and
refuses a period other than one day with the same words as the web API: OpenFisca's
``SimulationBuilder`` (the Python API, ``openfisca serve``) and ``kz-epr serve`` say the same.
"""

import numpy
from openfisca_core.errors import PeriodMismatchError
from openfisca_core.periods import DateUnit
from openfisca_core.variables import Variable

from openfisca_kz_epr.input_checks import day_mistake, value_mistake


def _one_day_only(holder, period, array):
    """OpenFisca's ``set_input`` hook (called for every input): the value of one day is kept;
    any other period is refused with ``input_checks.day_mistake``'s words."""
    if period.unit != DateUnit.DAY or period.size != 1:
        raise PeriodMismatchError(holder.variable.name, period, holder.variable.definition_period, day_mistake(str(period)))
    return holder._set(period, array)


class CheckedVariable(Variable):
    """A variable whose given values go through ``input_checks.value_mistake`` (a ``ValueError``
    naming the mistake), and whose inputs are for one day only."""

    def __init__(self, baseline_variable=None) -> None:
        super().__init__(baseline_variable)
        self.set_input = _one_day_only  # OpenFisca reads set_input from the class's own attributes only

    def check_set_value(self, value):
        mistake = value_mistake(self, value)
        if mistake:
            raise ValueError(mistake)
        return super().check_set_value(value)


class WideFloat(CheckedVariable):
    """A float64 variable (``value_type = float``)."""

    def __init__(self, baseline_variable=None) -> None:
        super().__init__(baseline_variable)
        self.dtype = numpy.float64


class WideInt(CheckedVariable):
    """An int64 variable (``value_type = int``)."""

    def __init__(self, baseline_variable=None) -> None:
        super().__init__(baseline_variable)
        self.dtype = numpy.int64
