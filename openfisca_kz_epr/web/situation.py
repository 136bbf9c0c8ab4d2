"""A ``/calculate`` situation read once: every mistake named at its path, then the simulation
built from arrays.

OpenFisca's own reader (``SimulationBuilder.build_from_entities``) answers some mistakes with
a 500 (a period that is not a day, an enum given as a number, an id with '/', ``axes``),
takes others silently (a negative or infinite quantity, a number for a boolean, an
expression in a string) and looks every id up in a list (13 s for 10 000 lines). Here each
value goes through the variable's own conversion (``Variable.check_set_value``) after this
model's rules: every variable is defined for a DAY, and every number it takes is a quantity,
finite and not negative. The populations and inputs are then given to OpenFisca's
``SimulationBuilder`` as arrays, in linear time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy
from openfisca_core import periods
from openfisca_core.simulations import SimulationBuilder

from openfisca_kz_epr.engine.simulation import lean
from openfisca_kz_epr.input_checks import day_mistake
from openfisca_kz_epr.web.errors import ApiError

_SHOWN = 50


@dataclass(frozen=True)
class Request:
    """A value asked for (``null`` in the situation)."""

    plural: str
    id: str
    index: int
    variable: str
    day: str


@dataclass
class Situation:
    """What a situation declares, as arrays per entity and per (variable, day)."""

    body: dict
    ids: dict[str, list[str]] = field(default_factory=dict)
    members: dict[str, tuple[numpy.ndarray, numpy.ndarray]] = field(default_factory=dict)
    inputs: dict[tuple[str, str], tuple[str, list[int], list]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)


class _Problems:
    """Mistakes by path; raised as one ApiError nested like the situation."""

    def __init__(self) -> None:
        self.found: dict[tuple, str] = {}
        self.unknown_variables = 0

    def add(self, path: tuple, reason: str, unknown_variable: bool = False) -> None:
        if len(self.found) < _SHOWN:
            self.found[path] = reason
            self.unknown_variables += unknown_variable

    def raise_any(self) -> None:
        if not self.found:
            return
        body: dict = {}
        for path, reason in self.found.items():
            node = body
            for key in path[:-1]:
                node = node.setdefault(key, {})
                if not isinstance(node, dict):
                    break  # a mistake higher up is already reported
            else:
                node.setdefault(path[-1], reason)
        status = 404 if self.unknown_variables == len(self.found) else 400
        raise ApiError(body, status)


def read(system, body) -> Situation:
    """Check ``body`` (parsed JSON) against ``system``; an ``ApiError`` names every mistake."""
    if not isinstance(body, dict):
        raise ApiError("The situation must be a JSON object, e.g. {\"product_lines\": {\"line_1\": {\"product\": {\"2021-03-01\": \"tyres\"}}}}")
    problems = _Problems()
    entities = {entity.plural: entity for entity in system.entities}
    for key in body:
        if key == "axes":
            problems.add(("axes",), "axes are not supported by kz-epr serve: send one product line per value, or many lines to POST /bulk")
        elif key not in entities:
            problems.add((key,), f"{key!r} is not an entity of this model: {', '.join(entities)}")
    person = system.person_entity
    if not isinstance(body.get(person.plural), dict) or not body[person.plural]:
        problems.add((person.plural,), f"at least one {person.key} is needed: an object {{id: {{variable: {{day: value}}}}}}")
    problems.raise_any()

    situation = Situation(body)
    for entity in [person, *system.group_entities]:
        _read_entity(system, entity, body.get(entity.plural), situation, problems)
    problems.raise_any()
    return situation


def _read_entity(system, entity, instances, situation: Situation, problems: _Problems) -> None:
    if instances is None:  # a group not given: each line its own group, as OpenFisca does
        persons = situation.ids[system.person_entity.key]
        situation.ids[entity.key] = list(persons)
        situation.members[entity.key] = (numpy.arange(len(persons), dtype=numpy.int32), numpy.full(len(persons), entity.flattened_roles[0], dtype=object))
        return
    if not isinstance(instances, dict):
        problems.add((entity.plural,), "must be an object {id: {...}}")
        return
    ids = list(instances)
    situation.ids[entity.key] = ids
    roles = {role.plural or role.key: role for role in getattr(entity, "roles", ())}
    if roles:
        _read_members(system, entity, instances, roles, situation, problems)
    for index, (instance_id, instance) in enumerate(instances.items()):
        path = (entity.plural, instance_id)
        if instance_id == "" or "/" in instance_id:
            problems.add(path, "an id must be a non-empty text without '/'")
        elif not isinstance(instance, dict):
            problems.add(path, "must be an object {variable: {day: value}}")
        else:
            for name, values in instance.items():
                if name not in roles:
                    _read_variable(system, entity, index, (*path, name), values, situation, problems)


def _read_members(system, entity, instances, roles, situation: Situation, problems: _Problems) -> None:
    """Which group each person belongs to, and in which role; a person left out is given a
    group of its own (named after it), as OpenFisca does."""
    persons = situation.ids[system.person_entity.key]
    position = {person_id: index for index, person_id in enumerate(persons)}
    group_of = numpy.full(len(persons), -1, dtype=numpy.int32)
    role_of = numpy.empty(len(persons), dtype=object)
    for group_index, (group_id, instance) in enumerate(instances.items()):
        if not isinstance(instance, dict):
            continue
        for key, role in roles.items():
            path = (entity.plural, group_id, key)
            members = instance.get(key, [])
            if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
                problems.add(path, f"must be a list of {system.person_entity.plural} ids")
                continue
            if role.max is not None and len(members) > role.max:
                problems.add(path, f"at most {role.max} {key} in a {entity.key}; {len(members)} were given")
                continue
            for rank, member in enumerate(members):
                if member not in position:
                    problems.add(path, f"{member!r} is not declared in {system.person_entity.plural}")
                elif group_of[position[member]] >= 0:
                    problems.add(path, f"{member!r} is declared more than once in {entity.plural}")
                else:
                    group_of[position[member]] = group_index
                    role_of[position[member]] = role.subroles[rank] if role.subroles else role
    alone = numpy.flatnonzero(group_of < 0)
    if len(alone) and instances:  # OpenFisca would make each a group named after it, which may be a declared id
        listed = ", ".join(repr(persons[i]) for i in alone[:10]) + (f" and {len(alone) - 10} more" if len(alone) > 10 else "")
        problems.add((entity.plural,), f"{system.person_entity.plural} {listed} are in no {entity.key}: list each in one "
                                       f"{entity.key}'s {'/'.join(roles)}, or declare no {entity.plural} at all")
        return
    group_of[alone] = len(instances) + numpy.arange(len(alone), dtype=numpy.int32)
    role_of[alone] = entity.flattened_roles[0]
    situation.ids[entity.key] += [persons[i] for i in alone]
    situation.members[entity.key] = (group_of, role_of)


def _read_variable(system, entity, index: int, path: tuple, values, situation: Situation, problems: _Problems) -> None:
    name = path[-1]
    variable = system.variables.get(name)
    if variable is None:
        problems.add(path, f"no variable {name!r} in this model (see GET /variables)", unknown_variable=True)
        return
    if variable.entity.key != entity.key:
        problems.add(path, f"{name} is a variable of {variable.entity.plural}, not of {entity.plural}")
        return
    if not isinstance(values, dict):
        problems.add(path, f"must be an object {{day: value}}, e.g. {{\"2021-03-01\": ...}}: {name} is defined for one day")
        return
    for day, cell in values.items():
        reason, value = day_mistake(day), None
        if reason is None:
            reason, value = _value(variable, cell)
        if reason:
            problems.add((*path, day), reason)
        elif value is None:
            situation.requests.append(Request(path[0], path[1], index, name, day))
        else:
            _, indices, given = situation.inputs.setdefault((name, day), (entity.key, [], []))
            indices.append(index)
            given.append(value)


def _value(variable, value):
    """(mistake, value converted by the variable), the mistake None when the value is good: the
    variable's own check (``variable_types.CheckedVariable``: ``input_checks``), as for the
    Python API."""
    if value is None:
        return None, None
    try:
        return None, variable.check_set_value(value)
    except ValueError as error:
        return str(error.args[0]), None


def simulation(system, situation: Situation):
    """The OpenFisca simulation of ``situation``, its populations and inputs set as arrays."""
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity(system.person_entity.key, situation.ids[system.person_entity.key])
    for entity in system.group_entities:
        population = builder.declare_entity(entity.key, situation.ids[entity.key])
        population.members_entity_id, population.members_role = situation.members[entity.key]
    built = lean(builder.build(system))
    for (name, day), (entity_key, indices, values) in situation.inputs.items():
        array = system.variables[name].default_array(len(situation.ids[entity_key]))
        array[indices] = values
        built.set_input(name, as_period(day), array)
    return built


@functools.lru_cache(maxsize=4096)
def as_period(day: str) -> periods.Period:
    """The OpenFisca period of a checked day (parsing one costs more than the rest of a request)."""
    return periods.period(day)
