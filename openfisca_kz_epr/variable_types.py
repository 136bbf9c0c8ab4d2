"""Variable bases with wide numbers.

OpenFisca's ``float`` is float32 and its ``int`` int32: neither holds a fee of 20 million
tenge to the tiyn. Amounts and inputs here are float64 (inputs, rates, amounts in tenge,
whose shortest repr is exact to the tiyn) or int64 (amounts in tiyn).
"""

import numpy
from openfisca_core.variables import Variable


class WideFloat(Variable):
    """A float64 variable (``value_type = float``)."""

    def __init__(self, baseline_variable=None) -> None:
        super().__init__(baseline_variable)
        self.dtype = numpy.float64


class WideInt(Variable):
    """An int64 variable (``value_type = int``)."""

    def __init__(self, baseline_variable=None) -> None:
        super().__init__(baseline_variable)
        self.dtype = numpy.int64
