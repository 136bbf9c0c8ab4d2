"""The bridge from an OpenFisca simulation to ``method.assess``: one assessment per
population and day, shared by every output variable of that day."""

import numpy

from openfisca_kz_epr.errors import EprError, PeriodError
from openfisca_kz_epr.input_checks import day_mistake
from openfisca_kz_epr.method import Assessment, assess
from openfisca_kz_epr.method.assessment import ENUM_INPUTS, INPUTS, OPTIONAL_INPUTS

_CACHE = "_kz_epr_assessments"


def assessment(product_line, period, variable: str = "epr_problem") -> Assessment:
    """The assessment of every line of the simulation on the DAY ``period``; a ``PeriodError``
    (asked by ``variable``) for a period that is not one day of the model's range."""
    cache = product_line.__dict__.setdefault(_CACHE, {})
    if period not in cache:
        mistake = day_mistake(str(period))
        if mistake:
            raise PeriodError(variable, period, mistake)
        parameters = product_line.simulation.tax_benefit_system.parameters
        cache[period] = assess(parameters, period.start.date, _Inputs(product_line, period))
    return cache[period]


class _Inputs(dict):
    """The inputs of the lines (``method.assessment.INPUTS``), each read from the simulation
    when ``assess`` first needs it: goods lines need neither the vehicle's facts nor the
    invoice value."""

    def __init__(self, product_line, period) -> None:
        super().__init__()
        self.product_line = product_line
        self.period = period

    def __missing__(self, name: str) -> numpy.ndarray:
        if name not in INPUTS:
            raise KeyError(name)
        if name in OPTIONAL_INPUTS and not _given(self.product_line, name):
            raise KeyError(name)  # not given to any line: assess leaves it out (no array of defaults made)
        value = _input(self.product_line, name, self.period)
        self[name] = numpy.asarray(value.view(numpy.ndarray)) if name in ENUM_INPUTS else value
        return self[name]


def _given(product_line, name: str) -> bool:
    """Whether the input ``name`` was set for some day, or can be computed (a reform's formula)."""
    variable = product_line.simulation.tax_benefit_system.variables[name]
    return bool(variable.formulas or product_line.simulation.trace or product_line._holders.get(name) is not None)


def _input(product_line, name: str, period):
    """The input ``name`` on ``period``: as given, else its default. A variable with a formula
    (a reform may give one) and a traced simulation go through OpenFisca's ``calculate``;
    otherwise the value is read where ``set_input`` put it, without making a holder for an
    input not given."""
    variable = product_line.simulation.tax_benefit_system.variables[name]
    if variable.formulas or product_line.simulation.trace:
        return product_line(name, period)
    holder = product_line._holders.get(name)  # openfisca-core makes a holder on the first set_input
    given = None if holder is None else holder.get_array(period)
    return variable.default_array(product_line.count) if given is None else given


def reuse(product_line, period, assessed: Assessment) -> None:
    """Give the simulation of ``product_line`` an assessment already made on ``period`` for the
    same lines (``Assessment.subset`` of a larger population's), instead of assessing again."""
    product_line.__dict__.setdefault(_CACHE, {})[period] = assessed


def checked(product_line, period, variable: str) -> Assessment:
    """The assessment, or an ``EprError`` naming every line that cannot be priced."""
    result = assessment(product_line, period, variable)
    bad = numpy.flatnonzero(~result.ok)
    if len(bad):
        ids = product_line.ids
        raise EprError(variable, period, {str(ids[i]): result.problem[i] for i in bad})
    return result
