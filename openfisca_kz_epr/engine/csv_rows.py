"""A declarations file read in chunks of rows, every row once and in order, whatever is wrong
with some of them.

Well-formed files are read by pyarrow's streaming CSV reader (C++ threads, whole columns at
once). From the first block pyarrow cannot read (a row with more or fewer cells than the
header, bytes that are not UTF-8), the rest of the file is read row by row with Python's
``csv`` module, which gives each such row its problem with its line number in the file
(``line 12: 11 cells where the header has 13``) and keeps it in the output: rows in = rows out.
A line of no value at all (blank, or separators only) is no declaration: both readers skip it,
and the lines of the rows after it are counted right.

Each chunk is ``(table, problems, lines)``: a pyarrow table of the header's columns as
strings; ``None`` (no row problem) or an object array of '' or the row's problem; and the line
of the file each row starts on (int64).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass

import numpy
import pyarrow
import pyarrow.compute as pc
import pyarrow.csv

from openfisca_kz_epr.engine.arrow_bytes import contains_byte

READ_BLOCK = 1 << 20  # bytes parsed at a time by pyarrow (it reads some 40 blocks ahead)
_REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


@dataclass(frozen=True)
class Dialect:
    """How the file is written: ``encoding`` (a Python codec; ``utf-8-sig`` reads UTF-8 with or
    without its byte-order mark) and ``delimiter``."""

    encoding: str = "utf-8-sig"
    delimiter: str = ","

    @property
    def arrow_encoding(self) -> str:
        return "utf8" if self.encoding == "utf-8-sig" else self.encoding

    def open(self, source):
        """The file as text (undecodable UTF-8 bytes kept as lone surrogates, then reported)."""
        errors = "surrogateescape" if self.encoding == "utf-8-sig" else "replace"
        return open(source, encoding=self.encoding, errors=errors, newline="")


UTF8_COMMAS = Dialect()


def chunks(source, names: list[str], rows: int, dialect: Dialect = UTF8_COMMAS
           ) -> Iterator[tuple[pyarrow.Table, numpy.ndarray | None, numpy.ndarray]]:
    """The rows of the CSV file ``source`` (header ``names``, written as ``dialect`` says) in
    tables of ``rows`` rows."""
    lines = _Lines()
    try:
        reader = pyarrow.csv.open_csv(
            source,
            read_options=pyarrow.csv.ReadOptions(block_size=READ_BLOCK, encoding=dialect.arrow_encoding),
            # a quoted note may span lines; a blank line is read (as a row of empty cells, then
            # dropped by _kept) so that the rows' lines are counted right
            parse_options=pyarrow.csv.ParseOptions(delimiter=dialect.delimiter, newlines_in_values=True,
                                                   ignore_empty_lines=False),
            convert_options=pyarrow.csv.ConvertOptions(column_types={name: pyarrow.string() for name in names}),
        )
    except pyarrow.ArrowInvalid:  # the first block is malformed already
        yield from _row_by_row(source, names, rows, 0, dialect)
        return
    first_line = _header_lines(source, dialect)
    pending, count, done = [], 0, 0
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pyarrow.ArrowInvalid:  # a malformed block: the rest, row by row
            if pending:
                table = pyarrow.Table.from_batches(pending)
                yield _kept(table, lines.of(table, first_line))
                done += count
            yield from _row_by_row(source, names, rows, done, dialect)
            return
        pending.append(batch)
        count += batch.num_rows
        while count >= rows:
            table = pyarrow.Table.from_batches(pending)
            yield _kept(table.slice(0, rows), lines.of(table.slice(0, rows), first_line))
            done += rows
            pending, count = table.slice(rows).to_batches(), count - rows
    if count:
        table = pyarrow.Table.from_batches(pending)
        yield _kept(table, lines.of(table, first_line))


def _kept(table: pyarrow.Table, lines: numpy.ndarray) -> tuple[pyarrow.Table, None, numpy.ndarray]:
    """The chunk without its lines of no value at all (blank, or separators only): they are
    no declaration, and both readers skip them."""
    empty = None
    for column in table.columns:
        blank = pc.equal(column, "")
        empty = blank if empty is None else pc.and_(empty, blank)
        if not pc.any(empty).as_py():
            return table, None, lines
    keep = pc.invert(empty)
    return table.filter(keep), None, lines[keep.to_numpy(zero_copy_only=False)]


class _Lines:
    """The line each row of pyarrow's chunks starts on: one after the row before, plus the line
    breaks inside its quoted cells (counted only in a chunk that has any). pyarrow reads no
    blank line (it is a malformed row to it), so none is missed."""

    def __init__(self) -> None:
        self.rows = 0
        self.breaks = 0

    def of(self, table: pyarrow.Table, first_line: int) -> numpy.ndarray:
        size = table.num_rows
        breaks = numpy.zeros(size, dtype=numpy.int64)
        for column in table.columns:
            if contains_byte(column, ord("\n")) and pc.any(pc.match_substring(column, "\n")).as_py():
                breaks += pc.fill_null(pc.count_substring(column, "\n"), 0).to_numpy(zero_copy_only=False)
        starts = first_line + self.rows + self.breaks + numpy.arange(size) + numpy.concatenate(([0], numpy.cumsum(breaks)[:-1]))
        self.rows += size
        self.breaks += int(breaks.sum())
        return starts


def _header_lines(source, dialect: Dialect) -> int:
    """The line the first data row starts on: after the header (which may span lines)."""
    with dialect.open(source) as file:
        reader = csv.reader(file, delimiter=dialect.delimiter)
        next(reader, None)
        return reader.line_num + 1


def _row_by_row(source, names: list[str], rows: int, skip: int, dialect: Dialect
                ) -> Iterator[tuple[pyarrow.Table, numpy.ndarray, numpy.ndarray]]:
    """The data rows after the first ``skip`` ones, each with its problem ('' if none)."""
    width = len(names)
    with dialect.open(source) as file:
        reader = csv.reader(file, delimiter=dialect.delimiter)
        next(reader)  # the header, read and checked before
        cells: list[list[str]] = []
        problems: list[str] = []
        starts: list[int] = []
        seen = 0
        last_line = reader.line_num
        for record in reader:
            first_line, last_line = last_line + 1, reader.line_num
            seen += 1  # a row for pyarrow too, blank or not: skipped rows are counted alike
            if not any(record):  # a line of no value at all: no declaration (as _kept)
                continue
            if seen <= skip:
                continue
            row, problem = _checked(record, names, width, first_line)
            cells.append(row)
            problems.append(problem)
            starts.append(first_line)
            if len(cells) == rows:
                yield rows_table(cells, names), numpy.array(problems, dtype=object), numpy.array(starts, dtype=numpy.int64)
                cells, problems, starts = [], [], []
        if cells:
            yield rows_table(cells, names), numpy.array(problems, dtype=object), numpy.array(starts, dtype=numpy.int64)


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


def rows_table(cells: list[list[str]], names: list[str]) -> pyarrow.Table:
    """Rows of text cells (each as many as ``names``) as a table of string columns."""
    return pyarrow.table({name: pyarrow.array([row[k] for row in cells], pyarrow.string()) for k, name in enumerate(names)})
