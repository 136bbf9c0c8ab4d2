"""Declarations as text (CSV cells, JSON values) turned into the arrays the Method reads.

Shared by every bulk face (``kz-epr audit``, the web API's bulk endpoint, ``kz-epr
simulate``). A cell that cannot be read gives its row a problem naming the column, the
value and the reason; the other rows are unaffected. An empty cell is a missing value.

Columns are parsed whole with pyarrow's compute functions: a million rows take well under a
second, and only the rows with a problem are looked at one by one.
"""

from __future__ import annotations

import numpy
import pyarrow
import pyarrow.compute as pc

from openfisca_kz_epr.engine.arrow_bytes import contains_byte
from openfisca_kz_epr.input_checks import FIRST_DAY, LAST_DAY, out_of_range
from openfisca_kz_epr.language import Said
from openfisca_kz_epr.law.tariffs.day import CLAIM_ENUMS, CLAIM_INPUTS, ENUM_INPUTS, INPUTS, TEXT_INPUTS
from openfisca_kz_epr.problems import Problems
from openfisca_kz_epr.products import when_empty

COLUMNS = ("date", *INPUTS, *CLAIM_INPUTS)
NUMBERS = ("mass_tonnes", "invoice_value", "engine_displacement_cm3", "gross_vehicle_mass_tonnes", "engine_power_hp",
           "packaging_mass_tonnes")
_TRUE = ["true", "1", "yes", "y", "t"]
_FALSE = ["false", "0", "no", "n", "f", ""]
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"  # what a number cell may hold
_DATE = r"^\d{4}-\d{2}-\d{2}$"
_DAY_FIRST = r"^\s*(\d{2})\.(\d{2})\.(\d{4})\s*$"  # DD.MM.YYYY
_NULL = pyarrow.scalar(None, pyarrow.string())
_FIRST_DAY, _LAST_DAY = numpy.datetime64(FIRST_DAY, "D"), numpy.datetime64(LAST_DAY, "D")


def texts(values, size: int) -> pyarrow.Array | pyarrow.ChunkedArray:
    """Cells as strings, '' for a missing one (None, NaN, or no column). Surrounding spaces
    are left: a column that reads as it is costs no trimming; one that does not is trimmed."""
    if values is None:
        return pc.fill_null(pyarrow.nulls(size, pyarrow.string()), "")
    if isinstance(values, (pyarrow.Array, pyarrow.ChunkedArray)):
        values = values.cast(pyarrow.string())
    else:
        values = pyarrow.array([_text(value) for value in values], pyarrow.string())
    return pc.fill_null(values, "")


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)


def _mask(array) -> numpy.ndarray:
    return pc.fill_null(array, False).to_numpy(zero_copy_only=False)


def read_declarations(columns: dict, size: int, kilograms: tuple[str, ...] = ()) -> tuple[numpy.ndarray, dict, numpy.ndarray]:
    """``columns`` (name → cells: a sequence or a pyarrow array, any of ``COLUMNS``) as
    (days, lines, problem).

    ``days`` is datetime64[D] (NaT where unreadable), ``lines`` the arrays of
    ``law.tariffs.day.INPUTS`` (the text inputs, customs codes, only where their column is
    given: ``engine.bulk.assess`` checks them on the line's day; the claims ``CLAIM_INPUTS`` too),
    ``problem`` '' or the
    reason a row cannot be read. The columns named in ``kilograms`` hold masses in kg: they are
    read in tonnes (a float64 division by 1 000, held to the gram after like any mass).
    """
    problems = Problems(size)
    typed = _typed_days(columns.get("date"))
    dates = texts(columns.get("date"), size)
    days = parse_dates(dates) if typed is None else typed
    unreadable = numpy.isnat(days)
    if unreadable.any():
        dates = pc.utf8_trim_whitespace(dates)
        problems.flag(unreadable & _mask(pc.equal(dates, "")), "date is missing")
        problems.flag(unreadable, lambda i: f"date {dates[i].as_py()!r} is not a date (YYYY-MM-DD)")
    outside = ~unreadable & ((days < _FIRST_DAY) | (days > _LAST_DAY))
    if outside.any():  # a year 0 or 9999 reads as a date, but no law of this model is dated then
        problems.flag(outside, lambda i: f"date {out_of_range(str(dates[i].as_py()).strip())}")
        days = numpy.where(outside, numpy.datetime64("NaT"), days)

    lines = {}
    for name, enum in ENUM_INPUTS.items():
        lines[name] = _enum(name, enum, columns[name], size, problems) if name in columns else _unspecified(enum, size)
    for name in NUMBERS:  # a column not given is empty: missing numbers
        if name not in columns:
            lines[name] = numpy.full(size, numpy.nan)
        elif _is_numeric(columns[name]):  # numbers already (a table's float or integer column): no text between
            lines[name] = pc.fill_null(columns[name].cast(pyarrow.float64()), numpy.nan).to_numpy(zero_copy_only=False)
        else:
            lines[name] = parse_numbers(name, texts(columns[name], size), problems)
        if name in kilograms:  # a mass given in kg: tonnes (masses are held to the gram, 10^-6 t, after)
            lines[name] = lines[name] / 1000
    for name in TEXT_INPUTS:
        if name in columns:
            lines[name] = texts(columns[name], size)
    given = "is_electric" in columns
    lines["is_electric"] = _flags("is_electric", texts(columns["is_electric"], size), problems) if given else numpy.zeros(size, bool)
    for name in CLAIM_INPUTS:  # only where declared: a file without them claims nothing
        if name in CLAIM_ENUMS and name in columns:
            lines[name] = _enum(name, CLAIM_ENUMS[name], columns[name], size, problems)
        elif name in columns:
            lines[name] = parse_numbers(name, texts(columns[name], size), problems)
    return days, lines, problems.text


def _is_numeric(values) -> bool:
    return isinstance(values, (pyarrow.Array, pyarrow.ChunkedArray)) and (
        pyarrow.types.is_floating(values.type) or pyarrow.types.is_integer(values.type))


def _typed_days(values) -> numpy.ndarray | None:
    """A column of dates (date32 or date64) or of timestamps (pandas' datetime64, the day of
    its local time when it has a time zone) as datetime64[D], NaT where null; None for text."""
    if not isinstance(values, (pyarrow.Array, pyarrow.ChunkedArray)):
        return None
    if pyarrow.types.is_date(values.type):
        return values.cast(pyarrow.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
    if pyarrow.types.is_timestamp(values.type):
        local = pc.local_timestamp(values) if values.type.tz else values
        return numpy.asarray(local.to_numpy(zero_copy_only=False)).astype("datetime64[D]")
    return None


def iso_days(cells):
    """DD.MM.YYYY cells (1C, Excel in a Russian locale) as YYYY-MM-DD, the others as they are
    (the strict day check follows: 30.02.2021 is no day)."""
    if not contains_byte(cells, ord(".")):
        return cells
    return pc.replace_substring_regex(cells, _DAY_FIRST, r"\3-\2-\1")


def parse_dates(cells) -> numpy.ndarray:
    """YYYY-MM-DD (or DD.MM.YYYY: ``iso_days``) cells as datetime64[D]; NaT for any other cell
    (a day that does not exist, such as 2021-02-30, included)."""
    try:  # a clean column: pyarrow reads strict YYYY-MM-DD only
        return pc.cast(cells, pyarrow.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
    except (pyarrow.ArrowInvalid, ValueError):
        cells = iso_days(pc.utf8_trim_whitespace(cells))
    shaped = _mask(pc.match_substring_regex(cells, _DATE))
    digits = pc.if_else(pyarrow.array(shaped), cells, "1970-01-01")
    year, month, day = (
        pc.cast(pc.utf8_slice_codeunits(digits, start, stop), pyarrow.int64()).to_numpy(zero_copy_only=False)
        for start, stop in ((0, 4), (5, 7), (8, 10))
    )
    first_of_month = numpy.datetime64("1970-01", "M") + ((year - 1970) * 12 + month - 1)
    days = first_of_month.astype("datetime64[D]") + (day - 1)
    real = shaped & (month >= 1) & (month <= 12) & (day >= 1) & (days.astype("datetime64[M]") == first_of_month)
    return numpy.where(real, days, numpy.datetime64("NaT"))


def parse_numbers(name: str, cells, problems: Problems) -> numpy.ndarray:
    """Decimal cells (``_NUMBER``: digits, an optional point and exponent) as float64; NaN for
    an empty cell; a cell that is not a number gives its row a problem."""
    given = pc.not_equal(cells, "")
    try:  # a clean column is read at once
        numbers = pc.cast(pc.if_else(given, cells, _NULL), pyarrow.float64()).to_numpy(zero_copy_only=False)
        doubtful = _mask(given) & ~numpy.isfinite(numbers)  # 'nan', 'inf' or a true overflow
        if doubtful.any():
            numbers = numbers.copy()  # pyarrow's view is read-only
            numbers[doubtful & ~_mask(pc.match_substring_regex(cells, _NUMBER))] = numpy.nan
    except pyarrow.ArrowInvalid:
        cells = pc.utf8_trim_whitespace(cells)
        given = pc.not_equal(cells, "")
        valid = pc.match_substring_regex(cells, _NUMBER)
        numbers = pc.cast(pc.if_else(valid, cells, _NULL), pyarrow.float64()).to_numpy(zero_copy_only=False)
    numbers = numpy.asarray(numbers, dtype=numpy.float64)
    problems.flag(_mask(given) & numpy.isnan(numbers), lambda i: Said("{name} {value!r} is not a number", name=name, value=cells[i].as_py()))
    return numbers


def _unspecified(enum, size: int) -> numpy.ndarray:
    return numpy.full(size, enum.unspecified.index, dtype=numpy.int16)


def _enum(name: str, enum, values, size: int, problems: Problems) -> numpy.ndarray:
    """Member names as the enum's indices (``products.when_empty`` where empty: ``unspecified``, or
    the enum's default)."""
    members = [member for member in enum if member.name != "unspecified"]
    names = pyarrow.array([member.name for member in members])
    table = numpy.array([member.index for member in members] + [when_empty(enum).index], dtype=numpy.int16)
    cells = texts(values, size)
    for attempt in range(2):
        found = pc.index_in(cells, value_set=names)
        codes = table[pc.fill_null(found, len(members)).to_numpy(zero_copy_only=False)]
        unknown = _mask(pc.is_null(found)) & _mask(pc.not_equal(cells, ""))
        if not attempt and unknown.any():
            cells = pc.utf8_trim_whitespace(cells)  # and try again
        else:
            break
    listed = ", ".join(member.name for member in members)
    problems.flag(unknown, lambda i: Said("{name} {value!r} is not one of: {listed}", name=name, value=cells[i].as_py(),
                                                    listed=listed))
    return codes


def _flags(name: str, cells, problems: Problems) -> numpy.ndarray:
    """true/false cells (``_TRUE``, ``_FALSE``, any case; empty is false) as booleans."""
    for attempt in range(2):
        lowered = pc.utf8_lower(cells)
        known = _mask(pc.is_in(lowered, pyarrow.array(_TRUE + _FALSE)))
        if not attempt and not known.all():
            cells = pc.utf8_trim_whitespace(cells)  # and try again
        else:
            break
    problems.flag(~known, lambda i: Said("{name} {value!r} is not true or false", name=name, value=cells[i].as_py()))
    return _mask(pc.is_in(lowered, pyarrow.array(_TRUE)))
