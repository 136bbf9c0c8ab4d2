"""A declarations workbook (.xlsx, .xlsm, .xls) read in chunks of rows, every row once and in order.

Read with python-calamine (the Rust ``calamine`` reader: it streams a sheet's rows without
building a workbook object per cell, several times faster than openpyxl). Cells come as Excel
stores them and are turned into the text the CSV path reads: a day (an Excel date, with or
without a time) as ``YYYY-MM-DD``, a whole number without ``.0`` (a customs code stored as a
number stays its digits), another number by its shortest decimal, text as it is. Each chunk is
``(table, None, lines)`` as ``csv_rows.chunks`` gives it: the sheet's row numbers are the lines.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator

import numpy
import pyarrow
from python_calamine import CalamineWorkbook

from openfisca_kz_epr.engine.csv_rows import rows_table
from openfisca_kz_epr.language import Message, MessageError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


class SheetError(MessageError):
    """The workbook or the sheet cannot be read; the message is one line."""


def sheet_rows(source, sheet: str | None) -> Iterator[list]:
    """The rows of ``sheet`` (its name; the first sheet when None) of the workbook ``source``, as
    lists of cells (the header first); raises ``SheetError`` naming what is wrong."""
    try:
        workbook = CalamineWorkbook.from_path(str(source))
    except Exception as error:  # calamine raises its own errors for a file that is no workbook
        raise SheetError(Message("{source}: not a workbook calamine can read ({reason})", source=source,
                                 reason=" ".join(str(error).split()))) from None
    names = workbook.sheet_names
    if not names:
        raise SheetError(Message("{source}: the workbook has no sheet", source=source))
    if sheet is not None and sheet not in names:
        raise SheetError(Message("{source}: no sheet {sheet} (the sheets: {sheets})", source=source, sheet=repr(sheet),
                                 sheets=", ".join(names)))
    yield from workbook.get_sheet_by_name(sheet or names[0]).iter_rows()


def text(cell) -> str:
    """A cell as the text a CSV would hold."""
    if cell is None or cell == "":
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    return str(cell)


def chunks(source, sheet: str | None, rows: int, skip: int = 0) -> Iterator[tuple[pyarrow.Table, None, numpy.ndarray]]:
    """The data rows of the sheet in tables of ``rows`` rows, each cell as text; a row of no value
    at all is skipped (as in a CSV file); a row longer than the header keeps the header's cells.
    ``skip``: rows above the header (a title)."""
    iterator = itertools.islice(sheet_rows(source, sheet), skip, None)
    names = [text(cell) for cell in next(iterator, [])]
    width = len(names)
    cells: list[list[str]] = []
    lines: list[int] = []
    for number, row in enumerate(iterator, start=skip + 2):
        values = [text(cell) for cell in row[:width]]
        if not any(values):
            continue
        cells.append(values + [""] * (width - len(values)))
        lines.append(number)
        if len(cells) == rows:
            yield rows_table(cells, names), None, numpy.array(lines, dtype=numpy.int64)
            cells, lines = [], []
    if cells:
        yield rows_table(cells, names), None, numpy.array(lines, dtype=numpy.int64)


def header(source, sheet: str | None, skip: int = 0) -> list[str]:
    """The names of the sheet's columns (its first row, or the row below ``skip`` rows)."""
    return [text(cell) for cell in next(itertools.islice(sheet_rows(source, sheet), skip, None), [])]

