"""Declarations as text (CSV cells, JSON values) turned into the arrays the Method reads.

Shared by every bulk face (``kz-epr audit``, the web API's bulk endpoint, ``kz-epr
simulate``). A cell that cannot be read gives its row a problem naming the column, the
value and the reason; the other rows are unaffected. An empty cell is a missing value.
"""

from __future__ import annotations

import numpy

from openfisca_kz_epr.products import ImportOrigin, Product, RoadTractorUse, VehicleCategory

COLUMNS = (
    "date",
    "product",
    "mass_tonnes",
    "invoice_value",
    "vehicle_category",
    "engine_displacement_cm3",
    "gross_vehicle_mass_tonnes",
    "engine_power_hp",
    "is_electric",
    "import_origin",
    "road_tractor_use",
)
NUMBERS = ("mass_tonnes", "invoice_value", "engine_displacement_cm3", "gross_vehicle_mass_tonnes", "engine_power_hp")
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}


def _texts(values, size: int) -> numpy.ndarray:
    """Cells as stripped strings ('' for missing: None, NaN, empty)."""
    if values is None:
        return numpy.full(size, "", dtype=object)
    out = numpy.empty(size, dtype=object)
    for i, value in enumerate(values):
        if value is None or (isinstance(value, float) and value != value):
            out[i] = ""
        else:
            out[i] = str(value).strip()
    return out


def _flag(problem, mask, reason) -> None:
    for i in numpy.flatnonzero(mask & (problem == "")):
        problem[i] = reason(i)


def read_declarations(columns: dict, size: int) -> tuple[numpy.ndarray, dict, numpy.ndarray]:
    """``columns`` (name → sequence of cells, any of ``COLUMNS``) as (days, lines, problem).

    ``days`` is datetime64[D] (NaT where unreadable), ``lines`` the arrays of
    ``method.assessment.INPUTS``, ``problem`` '' or the reason a row cannot be read.
    """
    problem = numpy.full(size, "", dtype=object)

    dates = _texts(columns.get("date"), size)
    days = numpy.full(size, numpy.datetime64("NaT"), dtype="datetime64[D]")
    for i, text in enumerate(dates):
        try:
            days[i] = numpy.datetime64(text, "D") if len(text) == 10 else numpy.datetime64("NaT")
        except ValueError:
            pass
    _flag(problem, dates == "", lambda i: "date is missing")
    _flag(problem, numpy.isnat(days), lambda i: f"date {dates[i]!r} is not a date (YYYY-MM-DD)")

    lines = {
        "product": _enum("product", Product, columns.get("product"), size, problem),
        "vehicle_category": _enum("vehicle_category", VehicleCategory, columns.get("vehicle_category"), size, problem),
        "import_origin": _enum("import_origin", ImportOrigin, columns.get("import_origin"), size, problem),
        "road_tractor_use": _enum("road_tractor_use", RoadTractorUse, columns.get("road_tractor_use"), size, problem),
    }
    for name in NUMBERS:
        lines[name] = _numbers(name, columns.get(name), size, problem)
    electric = _texts(columns.get("is_electric"), size)
    lowered = numpy.array([text.lower() for text in electric], dtype=object)
    lines["is_electric"] = numpy.isin(lowered, list(_TRUE))
    _flag(problem, ~numpy.isin(lowered, list(_TRUE | _FALSE)), lambda i: f"is_electric {electric[i]!r} is not true or false")
    return days, lines, problem


def _enum(name: str, enum, values, size: int, problem) -> numpy.ndarray:
    texts = _texts(values, size)
    keys = {member.name: member.index for member in enum if member.name != "unspecified"}
    codes = numpy.array([keys.get(text, enum.unspecified.index) for text in texts], dtype=numpy.int16)
    unknown = (texts != "") & (codes == enum.unspecified.index)
    _flag(problem, unknown, lambda i: f"{name} {texts[i]!r} is not one of: {', '.join(keys)}")
    return codes


def _numbers(name: str, values, size: int, problem) -> numpy.ndarray:
    texts = _texts(values, size)
    numbers = numpy.full(size, numpy.nan)
    for i, text in enumerate(texts):
        if text:
            try:
                numbers[i] = float(text)
            except ValueError:
                problem[i] = problem[i] or f"{name} {text!r} is not a number"
    return numbers
