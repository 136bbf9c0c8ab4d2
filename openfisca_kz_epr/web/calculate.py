"""POST /calculate and POST /trace: OpenFisca's endpoints, same JSON in and out, with every
mistake of the situation answered 400 (404 for an unknown variable) before anything is
computed, and exact values out (float64 amounts by their shortest decimal, int64 tiyn). Values the
law has not published may be assumed with the query parameter ``assume`` (``web.assumptions``).
"""

from __future__ import annotations

import datetime
import math

import dpath
import flask
import numpy
from openfisca_core.errors import SituationParsingError
from openfisca_core.indexed_enums import Enum
from openfisca_core.simulations import SimulationBuilder

from openfisca_kz_epr.engine.simulation import lean
from openfisca_kz_epr.errors import EprError
from openfisca_kz_epr.law.values import PARAMETER_OF_VARIABLE, parameter_not_known
from openfisca_kz_epr.money import not_known
from openfisca_kz_epr.web import assumptions, json_body
from openfisca_kz_epr.web import situation as situations
from openfisca_kz_epr.web.errors import ApiError


def read_json(data: bytes | None = None):
    """The request's body (or ``data``) as JSON (``json_body.loads``: NaN and Infinity are read,
    then refused where they stand)."""
    return json_body.loads(flask.request.get_data() if data is None else data)


def calculate(api, data: bytes | None = None, system=None):
    """The situation (the request's body, or ``data``) with each ``null`` replaced by its computed
    value, priced by ``system`` (by default the request's: ``api.system`` with its assumed values)."""
    system = system or assumptions.system_of(api)
    situation = situations.read(system, read_json(data))
    try:
        simulation = situations.simulation(system, situation)
        computed = {}
        for request in situation.requests:
            key = (request.variable, request.day)
            if key not in computed:
                variable = system.variables[request.variable]
                period = situations.as_period(request.day)
                values = simulation.calculate(request.variable, period)
                _refuse_not_known(system, simulation, variable, period, values)
                computed[key] = _as_json(variable, values)
            situation.body[request.plural][request.id][request.variable][request.day] = computed[key][request.index]
    except SituationParsingError as error:  # the law cannot price a line (EprError), or OpenFisca refuses an input
        raise ApiError(error.error, error.code or 400) from None
    return situation.body


def _refuse_not_known(system, simulation, variable, period, values) -> None:
    """A formula's ``NOT_KNOWN`` (the law's value is not known on the day, or the line cannot be priced) is
    an ``EprError`` naming each line and why: the note of the parameter the variable reads
    (``law.parameter_not_known``), else the line's ``epr_problem``. A float input left out is
    null, not an error."""
    if variable.value_type is not float or not variable.formulas or not not_known(values).any():
        return
    population = simulation.populations[variable.entity.key]
    by_line = variable.name not in PARAMETER_OF_VARIABLE and variable.entity.key == "product_line"
    problem = simulation.calculate("epr_problem", period) if by_line else None
    reasons = {}
    for i in numpy.flatnonzero(not_known(values)).tolist():
        reasons[str(population.ids[i])] = (problem[i] if problem is not None and problem[i] else
                                           parameter_not_known(system.parameters, variable.name, period.start.date))
    raise EprError(variable.name, period, reasons, entity=variable.entity.plural)


def trace(api):
    """OpenFisca's trace of the situation's computations, once the situation is checked."""
    body = read_json()
    system = assumptions.system_of(api)
    situations.read(system, body)
    try:
        return _traced(system, body)
    except SituationParsingError as error:
        raise ApiError(error.error, error.code or 400) from None


def _traced(system, body: dict) -> dict:
    """OpenFisca's ``/trace`` answer (``openfisca_web_api.handlers.trace``), its simulation run
    with the law per legal period (``engine.simulation``)."""
    simulation = lean(SimulationBuilder().build_from_entities(system, body))
    simulation.trace = True
    requested = []
    for path, _ in dpath.search(body, "*/*/*/*", afilter=lambda value: value is None, yielded=True):
        _plural, _id, variable, day = path.split("/")
        requested.append(f"{variable}<{day}>")
        simulation.calculate(variable, day)
    return {"trace": simulation.tracer.get_serialized_flat_trace(), "entitiesDescription": simulation.describe_entities(),
            "requestedCalculations": requested}


def _as_json(variable, values) -> list:
    """Values as JSON: enum names, exact numbers (a missing float input is null), texts."""
    if variable.value_type is Enum:
        names = [member.name for member in variable.possible_values]
        return [names[i] for i in numpy.asarray(values)]
    if variable.value_type is float:  # float32 by its shortest decimal, as OpenFisca does
        exact = values.tolist() if values.dtype == numpy.float64 else [float(str(v)) for v in values]
        missing = not_known(values).tolist()
        return [None if absent or not math.isfinite(v) else v for v, absent in zip(exact, missing)]
    if variable.value_type is str:
        return [str(v) for v in values]
    if variable.value_type is datetime.date:
        return [str(v) for v in values]
    return values.tolist()
