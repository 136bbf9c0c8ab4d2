"""A declarations file read in chunks of rows, every row once and in order, whatever is wrong
with some of them.

Well-formed files are read by pyarrow's streaming CSV reader (C++ threads, whole columns at
once). From the first block pyarrow cannot read (a row with more or fewer cells than the
header, bytes that are not UTF-8), or the first row with a quoted cell over several lines, the
rest of the file is read row by row (``records``), which gives each such row its problem with
its line number in the file (``line 12: 11 cells where the header has 13``) and keeps it in the
output: rows in = rows out. A quote left open is its row's problem, and the lines after that
row are read as rows (``records`` says when a quote is judged open). A line of no value at all
(blank, or separators only) is no declaration: both readers skip it, and the lines of the rows
after it are counted right.

Each chunk is ``(table, problems, lines)``: a pyarrow table of the header's columns as
strings; ``None`` (no row problem) or an object array of '' or the row's problem; and the line
of the file each row starts on (int64).
"""

from __future__ import annotations

import csv
import itertools
import re
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
    without its byte-order mark), ``delimiter``, and ``skip`` lines above the header (a title)."""

    encoding: str = "utf-8-sig"
    delimiter: str = ","
    skip: int = 0

    @property
    def arrow_encoding(self) -> str:
        return "utf8" if self.encoding == "utf-8-sig" else self.encoding

    def open(self, source):
        """The file as text (undecodable UTF-8 bytes kept as lone surrogates, then reported)."""
        errors = "surrogateescape" if self.encoding == "utf-8-sig" else "replace"
        return open(source, encoding=self.encoding, errors=errors, newline="")

    def header_line(self, file) -> str:
        """The header's line of ``file`` (opened by ``open``), after the ``skip`` lines above it."""
        for _ in range(self.skip):
            file.readline()
        return file.readline()


UTF8_COMMAS = Dialect()


def chunks(source, names: list[str], rows: int, dialect: Dialect = UTF8_COMMAS
           ) -> Iterator[tuple[pyarrow.Table, numpy.ndarray | None, numpy.ndarray]]:
    """The rows of the CSV file ``source`` (header ``names``, written as ``dialect`` says) in
    tables of ``rows`` rows."""
    try:
        reader = pyarrow.csv.open_csv(
            source,
            read_options=pyarrow.csv.ReadOptions(block_size=READ_BLOCK, encoding=dialect.arrow_encoding, skip_rows=dialect.skip),
            # a quoted note may span lines; a blank line is read (as a row of empty cells, then
            # dropped by _kept) so that the rows' lines are counted right
            parse_options=pyarrow.csv.ParseOptions(delimiter=dialect.delimiter, newlines_in_values=True,
                                                   ignore_empty_lines=False),
            convert_options=pyarrow.csv.ConvertOptions(column_types={name: pyarrow.string() for name in names}),
        )
    except pyarrow.ArrowInvalid:  # the first block is malformed already
        yield from _row_by_row(source, names, rows, _header_lines(source, dialect), dialect)
        return
    lines = _Lines(_header_lines(source, dialect))
    for table in _tables(reader, rows):
        if table is None:  # a block pyarrow cannot read: the rest, row by row
            yield from _row_by_row(source, names, rows, lines.next_line, dialect)
            return
        starts, spanning = lines.of(table)
        if spanning is not None:  # a row over several lines (a quote may be left open): it and the rest, row by row
            if spanning:
                yield _kept(table.slice(0, spanning), starts[:spanning])
            yield from _row_by_row(source, names, rows, int(starts[spanning]), dialect)
            return
        yield _kept(table, starts)


def _tables(reader, rows: int) -> Iterator[pyarrow.Table | None]:
    """pyarrow's batches as tables of ``rows`` rows (the last may be shorter), then None if a
    block cannot be read."""
    pending, count = [], 0
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pyarrow.ArrowInvalid:
            if count:
                yield pyarrow.Table.from_batches(pending)
            yield None
            return
        pending.append(batch)
        count += batch.num_rows
        while count >= rows:
            table = pyarrow.Table.from_batches(pending)
            yield table.slice(0, rows)
            pending, count = table.slice(rows).to_batches(), count - rows
    if count:
        yield pyarrow.Table.from_batches(pending)


def rows_at_least(source, dialect: Dialect) -> int:
    """How many data rows the CSV file ``source`` holds at least, known without reading it as
    CSV: its lines after the header but the blank ones (or separators only) when no line can
    be part of another's row (the file has no quote, and is not UTF-16); else 0."""
    if dialect.encoding.startswith("utf-16"):
        return 0
    lines = blank = 0
    with open(source, "rb") as file:
        while block := file.read(1 << 24):
            if b'"' in block:
                return 0
            lines += block.count(b"\n")
            blank += len(_BLANK_LINE.findall(block))
            last = block
    if lines and not last.endswith(b"\n"):
        lines += 1
    return max(lines - blank - 1 - dialect.skip, 0)


_BLANK_LINE = re.compile(rb"(?m)^[,;\t \r]*$\n")


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
    """The line each row of pyarrow's chunks starts on, from ``first_line`` (the first data
    row's): one after the row before. pyarrow reads a blank line as a row (of empty cells), so
    none is missed."""

    def __init__(self, first_line: int) -> None:
        self.next_line = first_line

    def of(self, table: pyarrow.Table) -> tuple[numpy.ndarray, int | None]:
        """(the line each row of ``table`` starts on, the first row holding a line break in a
        cell or None): the rows from that one on are not counted."""
        size = table.num_rows
        breaks = numpy.zeros(size, dtype=bool)
        for column in table.columns:
            if contains_byte(column, ord("\n")) or contains_byte(column, ord("\r")):
                breaks |= pc.fill_null(pc.match_substring_regex(column, "[\r\n]"), False).to_numpy(zero_copy_only=False)
        spanning = int(numpy.argmax(breaks)) if breaks.any() else None
        starts = self.next_line + numpy.arange(size, dtype=numpy.int64)
        self.next_line += size if spanning is None else spanning
        return starts, spanning


def _header_lines(source, dialect: Dialect) -> int:
    """The line the first data row starts on: after the header (which may span lines)."""
    with dialect.open(source) as file:
        first = dialect.header_line(file)
        reader = csv.reader(itertools.chain([first], file), delimiter=dialect.delimiter)
        next(reader, None)
        return dialect.skip + reader.line_num + 1


def _row_by_row(source, names: list[str], rows: int, first_line: int, dialect: Dialect
                ) -> Iterator[tuple[pyarrow.Table, numpy.ndarray, numpy.ndarray]]:
    """The data rows from line ``first_line`` on (``records``), each with its problem ('' if none)."""
    width = len(names)
    with dialect.open(source) as file:
        cells: list[list[str]] = []
        problems: list[str] = []
        starts: list[int] = []
        for line, record, unread in records(file, dialect.delimiter, width, first_line):
            if not any(record):  # a line of no value at all: no declaration (as _kept)
                continue
            row, problem = _checked(record, names, width, line, unread)
            cells.append(row)
            problems.append(problem)
            starts.append(line)
            if len(cells) == rows:
                yield rows_table(cells, names), numpy.array(problems, dtype=object), numpy.array(starts, dtype=numpy.int64)
                cells, problems, starts = [], [], []
        if cells:
            yield rows_table(cells, names), numpy.array(problems, dtype=object), numpy.array(starts, dtype=numpy.int64)


class _RowsInside(Exception):
    """A quoted cell holds line breaks and at least as many delimiters as a row has: it may
    hold rows of their own."""


def records(file, delimiter: str, width: int, first_line: int = 1) -> Iterator[tuple[int, list[str], str]]:
    """The records of the CSV text ``file`` (opened with ``newline=""``) from its line
    ``first_line`` on, as (the line the record starts on, its cells, its problem or '').

    A record is one line, or more when a quoted cell holds line breaks. A quote is judged left
    open, and the record is its first line alone with that problem (its cells split at each
    ``delimiter``, quotes kept), when the quoted cell reaches the end of the file, or closes
    before other text (``"a"b``), or holds line breaks and at least ``width - 1`` delimiters
    (as many as a row has: the rows it swallowed), or makes a row of other than ``width`` cells;
    the lines after it are then read as records again, so that no row is lost in a cell. A
    record Python's ``csv`` cannot read otherwise (a cell over ``csv.field_size_limit()``
    characters) is its first line likewise."""
    lines = _PhysicalLines(file, first_line)
    while line := lines.next():
        start = lines.number
        if '"' not in line:  # no quote: the cells are the line split at each delimiter
            yield start, line.rstrip("\r\n").split(delimiter), ""
            continue
        taken = [line]
        try:
            cells = next(csv.reader(_continued(taken, lines, delimiter, width), delimiter=delimiter, strict=True))
            if len(taken) == 1 or (len(cells) == width and not any(_rows_inside(cell, delimiter, width) for cell in cells)):
                yield start, cells, ""
                continue
            problem = (f"line {start}: a quote is left open: the quoted cell runs over {len(taken)} lines and "
                       + (f"the row it makes has {len(cells)} cells where the header has {width}" if len(cells) != width
                          else "holds as many separators as a row")
                       + ": the row is not read (the lines after it are read as rows)")
        except _RowsInside:
            problem = (f"line {start}: a quote is left open: the quoted cell runs over {len(taken)} lines and holds as many "
                       f"separators as a row: the row is not read (the lines after it are read as rows)")
        except csv.Error as error:
            problem = f"line {start}: {_csv_reason(str(error))}: the row is not read"
            if len(taken) > 1:
                problem += " (the lines after it are read as rows)"
        lines.back(taken[1:])
        yield start, line.rstrip("\r\n").split(delimiter), problem


def _rows_inside(cell: str, delimiter: str, width: int) -> bool:
    return ("\n" in cell or "\r" in cell) and cell.count(delimiter) >= width - 1


def _continued(taken: list[str], lines: _PhysicalLines, delimiter: str, width: int) -> Iterator[str]:
    """The first line of a record (``taken[0]``), then the lines after it as the csv reader asks
    for them (a quoted cell runs on), each added to ``taken``; raises ``_RowsInside`` once the
    lines wholly inside the cell (to their first quote) hold ``width - 1`` delimiters."""
    yield taken[0]
    inside = 0
    while line := lines.next():
        taken.append(line)
        inside += line.split('"', 1)[0].count(delimiter)
        if inside >= width - 1:
            raise _RowsInside
        yield line


def _csv_reason(message: str) -> str:
    """Python csv's complaint in the auditor's words."""
    if "unexpected end of data" in message:
        return "a quote is left open: the quoted cell reaches the end of the file"
    if "expected after" in message:
        return 'a quoted cell closes before other text (a quote inside a quoted cell is written "")'
    if "field larger than field limit" in message:
        return f"a quoted cell is longer than {csv.field_size_limit():,} characters"
    return " ".join(message.split())


class _PhysicalLines:
    """The lines of a text file (ends kept), numbered from ``first`` (the lines before it are
    skipped), with lines given back to be read again."""

    def __init__(self, file, first: int) -> None:
        self.file = file
        self.again: list[str] = []
        self.number = 0
        while self.number < first - 1 and file.readline():
            self.number += 1

    def next(self) -> str:
        """The next line ('' at the end); ``number`` is its line."""
        line = self.again.pop() if self.again else self.file.readline()
        if line:
            self.number += 1
        return line

    def back(self, lines: list[str]) -> None:
        """``lines`` (the last ones read, in order) to be read again."""
        self.again.extend(reversed(lines))
        self.number -= len(lines)


def _checked(record: list[str], names: list[str], width: int, line: int, problem: str = "") -> tuple[list[str], str]:
    """The row's cells, as many as the header's, and its first problem ('' if none; ``problem``
    if given)."""
    if len(record) < width:
        problem = problem or f"line {line}: {len(record)} cells where the header has {width}: the row is not read"
        record = record + [""] * (width - len(record))
    elif len(record) > width:
        problem = problem or (f"line {line}: {len(record)} cells where the header has {width}: the row is not read "
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
