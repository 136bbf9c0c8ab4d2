"""A declarations file read in chunks of rows, every row once and in order, whatever is wrong
with some of them.

Well-formed files are read by pyarrow's streaming CSV reader (C++ threads, whole columns at
once). From the first block pyarrow cannot read (a row with more or fewer cells than the
header, bytes that are not UTF-8), the rest of the file is read row by row with Python's
``csv`` module, which gives each such row its problem with its line number in the file
(``line 12: 11 cells where the header has 13``) and keeps it in the output: rows in = rows out.
Blank lines are skipped by both readers.

Each chunk is ``(table, problems)``: a pyarrow table of the header's columns as strings, and
``None`` (no row problem) or an object array of '' or the row's problem.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

import numpy
import pyarrow
import pyarrow.csv

READ_BLOCK = 1 << 20  # bytes parsed at a time by pyarrow (it reads some 40 blocks ahead)
_REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def chunks(source, names: list[str], rows: int) -> Iterator[tuple[pyarrow.Table, numpy.ndarray | None]]:
    """The rows of the CSV file ``source`` (header ``names``) in tables of ``rows`` rows."""
    try:
        reader = pyarrow.csv.open_csv(
            source,
            read_options=pyarrow.csv.ReadOptions(block_size=READ_BLOCK),
            parse_options=pyarrow.csv.ParseOptions(newlines_in_values=True),  # a quoted note may span lines
            convert_options=pyarrow.csv.ConvertOptions(column_types={name: pyarrow.string() for name in names}),
        )
    except pyarrow.ArrowInvalid:  # the first block is malformed already
        yield from _row_by_row(source, names, rows, skip=0)
        return
    pending, count, done = [], 0, 0
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pyarrow.ArrowInvalid:  # a malformed block: the rest, row by row
            if pending:
                yield pyarrow.Table.from_batches(pending), None
                done += count
            yield from _row_by_row(source, names, rows, skip=done)
            return
        pending.append(batch)
        count += batch.num_rows
        while count >= rows:
            table = pyarrow.Table.from_batches(pending)
            yield table.slice(0, rows), None
            done += rows
            pending, count = table.slice(rows).to_batches(), count - rows
    if count:
        yield pyarrow.Table.from_batches(pending), None


def _row_by_row(source, names: list[str], rows: int, skip: int) -> Iterator[tuple[pyarrow.Table, numpy.ndarray]]:
    """The data rows after the first ``skip`` ones, each with its problem ('' if none)."""
    width = len(names)
    with open(source, encoding="utf-8-sig", errors="surrogateescape", newline="") as file:
        reader = csv.reader(file)
        next(reader)  # the header, read and checked before
        cells: list[list[str]] = []
        problems: list[str] = []
        seen = 0
        last_line = reader.line_num
        for record in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if not record:  # a blank line, as pyarrow skips it
                continue
            seen += 1
            if seen <= skip:
                continue
            row, problem = _checked(record, names, width, first_line)
            cells.append(row)
            problems.append(problem)
            if len(cells) == rows:
                yield _table(cells, names), numpy.array(problems, dtype=object)
                cells, problems = [], []
        if cells:
            yield _table(cells, names), numpy.array(problems, dtype=object)


def _checked(record: list[str], names: list[str], width: int, line: int) -> tuple[list[str], str]:
    """The row's cells, as many as the header's, and its first problem ('' if none)."""
    problem = ""
    if len(record) < width:
        problem = f"line {line}: {len(record)} cells where the header has {width}: the row is not read"
        record = record + [""] * (width - len(record))
    elif len(record) > width:
        problem = (f"line {line}: {len(record)} cells where the header has {width}: the row is not read "
                   f"(the cells past the {width}th are not in the report)")
        record = record[:width]
    for index, cell in enumerate(record):
        try:
            cell.encode("utf-8")
        except UnicodeEncodeError:  # undecodable bytes, kept as lone surrogates
            record[index] = cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            problem = problem or (f"line {line}: the cell of column {names[index]!r} holds bytes that are not "
                                  f"UTF-8 text (shown as {_REPLACEMENT}): the row is not read")
    return record, problem


def _table(cells: list[list[str]], names: list[str]) -> pyarrow.Table:
    return pyarrow.table({name: pyarrow.array([row[k] for row in cells], pyarrow.string()) for k, name in enumerate(names)})
