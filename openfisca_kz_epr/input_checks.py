"""What every face accepts as a day and as an input value, with one wording of each mistake.

Shared by the web API's situation reader (``web.situation``), the variables themselves (their
``check_set_value`` and ``set_input``, which OpenFisca's ``SimulationBuilder`` calls for the
Python API and ``openfisca serve``), the line assessment (a period asked for) and the
declarations' reader (a date cell). Every variable of this model is defined for one DAY, and
every number it takes is a quantity: finite and not negative.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import numbers
import re

import numpy
from openfisca_core.indexed_enums import Enum

FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
_INT64 = 2**63
_LARGEST_FLOAT = 1.7e308


def out_of_range(text: str) -> str:
    return f"{text!r} is out of range: a day from {FIRST_DAY} to {LAST_DAY}"


@functools.lru_cache(maxsize=4096)
def day_mistake(text: str) -> str | None:
    """Why ``text`` is not a day this model can price, or None."""
    if _DAY.match(text):
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            return f"{text!r} is not a day of the calendar"
        return None if FIRST_DAY <= day <= LAST_DAY else out_of_range(text)
    return f"the period {text!r} is not one day: every variable of this model is defined for a day, written YYYY-MM-DD"


def value_mistake(variable, value) -> str | None:
    """Why ``value`` (as a JSON or Python value) cannot be given to ``variable``, or None."""
    if value is None:
        return None
    kind = variable.value_type
    if kind is Enum:
        if not isinstance(value, str) and not isinstance(value, Enum):
            return f"expected one of the names of {variable.name}, got {shown(value)}"
    elif kind in (float, int):
        if isinstance(value, (bool, numpy.bool_)) or not isinstance(value, numbers.Real):  # numpy's numbers are Real too
            return f"expected a number, got {shown(value)}"
        if isinstance(value, float) and not math.isfinite(value):
            return f"{shown(value)} is not a finite number"
        if value < 0:
            return f"{value!r} is negative: {variable.name} is a quantity"
        if kind is int and (value != int(value) or value >= _INT64):
            return f"{value!r} is not an integer of at most 19 digits"
        if kind is float and abs(value) > _LARGEST_FLOAT:
            return f"{value!r} is too large"
    elif kind is bool:
        if not isinstance(value, bool):
            return f"expected true or false, got {shown(value)}"
    elif kind is str and not isinstance(value, str):
        return f"expected a text, got {shown(value)}"
    return None


def shown(value) -> str:
    """A value as the JSON it came as, cut short."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
