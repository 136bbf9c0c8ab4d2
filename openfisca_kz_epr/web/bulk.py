"""POST /bulk: many declaration lines at once, as CSV or JSON lines, one result per line.

The lines are read by ``engine.declarations.read_declarations`` and priced by ``engine.bulk.compute`` (one
OpenFisca simulation per legal period), the core ``kz-epr audit`` uses. A line the law cannot
price is not an HTTP error: its result names the problem and the other lines are priced. A
body that cannot be read as declarations (bad JSON, unknown column, no date column) is a 400.

Each result: ``line`` (1-based), ``id`` (when the lines give one), ``payment`` (tenge, exact,
2 decimals, as text), ``tiyn`` (integer), ``problem`` ('' when none), ``legal_basis`` (act
ids of legislation_refs/, ';'-separated), ``confidence``, and the payment's two parts, each
rounded half up to the tiyn: ``goods_payment`` and ``packaging_payment`` (tenge, as text; the
packaging's part is 0.00 on a line without packaging). The answer has the request's format.
A line names its goods by ``product`` or ``customs_code`` (ТН ВЭД); values the law has not published
may be assumed with the query parameter ``assume`` (``web.assumptions``).
"""

from __future__ import annotations

import csv
import io
import json

import flask
import numpy
import pyarrow

from openfisca_kz_epr.audit.spreadsheet_safety import neutralised
from openfisca_kz_epr.engine import csv_rows
from openfisca_kz_epr.engine.bulk import compute
from openfisca_kz_epr.engine.declarations import COLUMNS, read_declarations
from openfisca_kz_epr.money import tenge_array
from openfisca_kz_epr.web import assumptions, json_body
from openfisca_kz_epr.web.errors import ApiError

CSV = "text/csv"
JSON_LINES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines")
ID = "id"
_NAMES = {*COLUMNS, ID}
_ENCODER = json.JSONEncoder(ensure_ascii=False)  # made once: json.dumps with options makes one per call
KEYS = ("product", "customs_code")  # a line names its goods by one of them at least
RESULT = ("line", ID, "payment", "tiyn", "problem", "legal_basis", "confidence", "goods_payment", "packaging_payment")


def post(api):
    kind = flask.request.mimetype
    if kind != CSV and kind not in JSON_LINES:
        raise ApiError(f"send the lines as {CSV} or {JSON_LINES[0]} (Content-Type), not {kind or 'no type'!r}")
    try:
        text = flask.request.get_data().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ApiError(f"the body is not UTF-8: {error}") from None
    ids, columns, size, unread = read_csv(text) if kind == CSV else read_json_lines(text)
    days, lines, problem = read_declarations(columns, size)
    if unread is not None:  # a line the CSV reader could not split: its problem first
        problem = numpy.where(unread != "", unread, problem)
    result = compute(assumptions.system_of(api), days, lines, problem)
    if ids is not None and kind == CSV:
        ids = neutralised(pyarrow.array(ids, pyarrow.string())).to_pylist()
    columns = answer_columns(result, ids)
    body = write_csv(columns) if kind == CSV else write_json_lines(columns)
    return flask.Response(body, mimetype=kind)


def answer_columns(result, ids) -> dict[str, list]:
    """The fields ``RESULT`` of every line of ``result`` (an ``engine.bulk.BulkResult``), column by
    column (``ID`` only where the lines give ids): Python values, None where a line is not priced;
    amounts as exact tenge text (``money.tenge_array``: '1234.50')."""
    ok = result.ok
    columns = {"line": range(1, len(ok) + 1)}
    if ids is not None:
        columns[ID] = ids
    columns["payment"] = tenge_array(result.tiyn, ok).cast(pyarrow.string()).to_pylist()
    columns["tiyn"] = pyarrow.array(result.tiyn, mask=~ok).to_pylist()
    for name in ("problem", "legal_basis", "confidence"):
        columns[name] = getattr(result, name)
    columns["goods_payment"] = tenge_array(result.goods_tiyn, ok).cast(pyarrow.string()).to_pylist()
    columns["packaging_payment"] = tenge_array(result.packaging_tiyn, ok).cast(pyarrow.string()).to_pylist()
    return {name: columns[name] for name in RESULT if name in columns}


def read_csv(text: str):
    """(ids or None, columns, number of lines, problems or None) of a CSV with a header row; a
    line whose quote is left open (``engine.csv_rows.records``) is that line's problem, and the
    lines after it are read as lines. The columns other than ids are Arrow strings."""
    body = io.StringIO(text, newline="")
    first = body.readline()
    if not first:
        raise ApiError("no lines: the body is empty")
    try:
        header = [name.strip() for name in next(csv.reader([first]))]
    except csv.Error as error:
        raise ApiError(f"the CSV cannot be read: {error}") from None
    _check_names(header, "the header")
    if len(set(header)) < len(header):
        raise ApiError("the header names a column twice")
    if "date" not in header or not any(name in header for name in KEYS):
        missing = "'date'" if "date" not in header else " or ".join(map(repr, KEYS))
        raise ApiError(f"the header has no column {missing} (columns: {', '.join(COLUMNS)}, and optionally {ID})")
    body.seek(0)
    rows, problems = _rows_without_quotes(body, len(header)) if '"' not in text else _rows(body, len(header))
    if not rows:
        raise ApiError("no lines: the CSV has a header only")
    columns = {name: [row[k] if k < len(row) else "" for row in rows] for k, name in enumerate(header)}
    ids = columns.pop(ID, None)
    columns = {name: pyarrow.array(cells, pyarrow.string()) for name, cells in columns.items()}
    return ids, columns, len(rows), numpy.array(problems, dtype=object) if any(problems) else None


def _rows(body: io.StringIO, width: int) -> tuple[list[list[str]], list[str]]:
    """(the rows after the header, each row's problem) of a CSV of ``width`` columns
    (``engine.csv_rows.records``), lines of empty cells left out; a 400 for a row wider than the header."""
    rows, problems = [], []
    for _line, row, problem in csv_rows.records(body, ",", width, first_line=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > width and not problem:
            raise ApiError(f"line {len(rows) + 1} has {len(row)} cells, the header {width}")
        rows.append(row)
        problems.append(problem)
    return rows, problems


def _rows_without_quotes(body: io.StringIO, width: int) -> tuple[list[list[str]], list[str]]:
    """As ``_rows``, for a CSV without a quote: each line a row, its cells split at each comma
    (as ``engine.csv_rows.records`` reads such a line), none with a problem."""
    rows = [line.rstrip("\r\n").split(",") for line in body.readlines()[1:] if line.replace(",", "").strip()]
    wide = next((number for number, row in enumerate(rows, start=1) if len(row) > width), None)
    if wide is not None:
        raise ApiError(f"line {wide} has {len(rows[wide - 1])} cells, the header {width}")
    return rows, []


def read_json_lines(text: str):
    """(ids or None, columns, number of lines, None) of one JSON object per line; the first
    mistake in the order of the lines is a 400 naming its line. The columns other than ids are
    Arrow strings (the cells' text: ``_cell``)."""
    records = _records_at_once(text)
    if records is None:  # a mistake somewhere: read line by line, to name the first
        records = _records_line_by_line(text)
    names = set().union(*records)
    columns = {name: [record.get(name) for record in records] for name in names}
    ids = columns.pop(ID, None)
    for name, cells in columns.items():
        kinds = set(map(type, cells))
        columns[name] = pyarrow.array(cells if kinds <= {str, type(None)} else list(map(_cell, cells)), pyarrow.string())
    return None if ids is None else list(map(_cell, ids)), columns, len(records), None


def _records_at_once(text: str) -> list[dict] | None:
    """The lines' objects read by one ``json.loads``, or None where the lines have a mistake (or
    a ``\\u`` escape, whose lone surrogates ``json_body`` checks): each line wrapped in an array and
    the arrays joined by ``],\\n[``; no string holds a raw line break, so each wrapper is one
    line's, and one object of known names and of cells that are texts, numbers, true/false or
    null in each wrapper is one such object on each line."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or "\\u" in text:
        return None
    try:
        wrapped = json.loads("[[" + "],\n[".join(lines) + "]]")
    except (RecursionError, ValueError):
        return None
    if len(wrapped) != len(lines) or not all(len(one) == 1 and type(one[0]) is dict for one in wrapped):
        return None
    records = [one[0] for one in wrapped]
    if not set().union(*records) <= _NAMES or any({dict, list} & set(map(type, record.values())) for record in records):
        return None
    return records


def _records_line_by_line(text: str) -> list[dict]:
    """The lines' objects, read one by one: a 400 naming the first line that is not JSON, not an
    object, names an unknown column or holds an object or an array in a cell."""
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        record = json_body.loads(line, f"line {number} is not JSON")
        if not isinstance(record, dict):
            raise ApiError(f"line {number} is not a JSON object {{\"date\": ..., \"product\": ..., ...}}")
        if not record.keys() <= _NAMES:
            _check_names(record, f"line {number}")
        for name, cell in record.items():
            if isinstance(cell, (dict, list)):
                raise ApiError(f"line {number}: {name} must be a text, a number, true/false or null")
        records.append(record)
    if not records:
        raise ApiError("no lines: the body is empty")
    return records


def _cell(value):
    """A JSON value as the text of a declaration's cell (None: missing)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _check_names(names, where: str) -> None:
    for name in names:
        if name not in COLUMNS and name != ID:
            raise ApiError(f"{where}: unknown column {name!r} (columns: {', '.join(COLUMNS)}, and optionally {ID})")


def write_csv(columns: dict[str, list]) -> str:
    """The columns as CSV: a header row, then a row per line (None: an empty cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(zip(*columns.values()))
    return out.getvalue()


def write_json_lines(columns: dict[str, list]) -> str:
    """The columns as JSON lines, one object per line with the keys in order: as
    ``json.JSONEncoder(ensure_ascii=False)`` writes it, each distinct value encoded once (the
    problems, acts and confidences of a body repeat)."""
    encoded = []
    for name, values in columns.items():
        if name == "line":
            encoded.append([f'"line": {number}' for number in values])
            continue
        cache: dict = {}
        key = _ENCODER.encode(name)
        encoded.append([cache.get(value) or cache.setdefault(value, f"{key}: {_ENCODER.encode(value)}") for value in values])
    return "".join("{" + ", ".join(fields) + "}\n" for fields in zip(*encoded))
