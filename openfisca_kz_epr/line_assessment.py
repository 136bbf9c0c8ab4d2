"""The bridge from an OpenFisca simulation to ``method.assess``: one assessment per
population and day, shared by every output variable of that day."""

import numpy

from openfisca_kz_epr.errors import EprError
from openfisca_kz_epr.method import Assessment, assess
from openfisca_kz_epr.method.assessment import INPUTS

_CACHE = "_kz_epr_assessments"
_PER_LINE = "_kz_epr_problems_per_line"


def assessment(product_line, period) -> Assessment:
    """The assessment of every line of the simulation on the DAY ``period``."""
    cache = product_line.__dict__.setdefault(_CACHE, {})
    key = str(period)
    if key not in cache:
        lines = {name: product_line(name, period) for name in INPUTS}
        lines["product"] = numpy.asarray(lines["product"].view(numpy.ndarray))
        lines["vehicle_category"] = numpy.asarray(lines["vehicle_category"].view(numpy.ndarray))
        parameters = product_line.simulation.tax_benefit_system.parameters
        cache[key] = assess(parameters, period.start.date, lines)
    return cache[key]


def problems_per_line(simulation) -> None:
    """Let the output variables of ``simulation`` price the lines that can be priced and leave
    the others at 0 (None for texts), each one's reason in ``epr_problem``, instead of refusing
    the whole population: for bulk faces, which read ``epr_problem`` first."""
    setattr(simulation, _PER_LINE, True)


def checked(product_line, period, variable: str) -> Assessment:
    """The assessment, or an ``EprError`` naming every line that cannot be priced (unless the
    simulation reports problems per line)."""
    result = assessment(product_line, period)
    if getattr(product_line.simulation, _PER_LINE, False):
        return result
    bad = numpy.flatnonzero(~result.ok)
    if len(bad):
        ids = product_line.ids
        raise EprError(variable, period, {str(ids[i]): result.problem[i] for i in bad})
    return result
