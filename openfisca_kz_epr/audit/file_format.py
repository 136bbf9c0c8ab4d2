"""How a declarations file is written: its encoding, separator, column names and decimal mark.

Accountants' files come from 1C and Excel in a Russian locale: ``;`` between cells, ``2,5``
for two and a half, ``01.03.2021`` for a day, Windows-1251 or UTF-16 rather than UTF-8, and
column names in Russian or Kazakh (``column_names.yaml``), masses sometimes in kilograms; or they
are the operator portal's own reports (``operator_layouts``), recognised by their header.
``detect`` reads the head of the file once and says how to read it; ``FileFormat.canonical``
turns a chunk of its cells (strings) into the model's columns: ISO days, decimal points,
kilograms noted for conversion. Nothing is guessed cell by cell: in a file whose cells are
separated by ``;`` or tabs the decimal mark is the file's (the first numeric cell with a
fraction decides), and a cell written with the other mark stops the run, naming its line
(``FormatError``), since ``1.234`` and ``1,234`` may each mean a thousand or one; in a file of
commas, numbers have decimal points (a cell ``12,5`` is that row's error).
"""

from __future__ import annotations

import codecs
import csv
import functools
import itertools
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import numpy
import pyarrow
import pyarrow.compute as pc

from openfisca_kz_epr.audit import operator_layouts
from openfisca_kz_epr.audit.operator_layouts import Layout
from openfisca_kz_epr.audit.words import plain_words
from openfisca_kz_epr.engine import csv_rows, excel_rows
from openfisca_kz_epr.engine.arrow_bytes import contains_byte
from openfisca_kz_epr.engine.csv_rows import Dialect
from openfisca_kz_epr.engine.declarations import NUMBERS, iso_days
from openfisca_kz_epr.language import Message, MessageError
from openfisca_kz_epr.resources import read_yaml

NAMES_FILE = Path(__file__).resolve().parent / "column_names.yaml"
ENCODINGS = {"utf-8": "utf-8-sig", "utf8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "cp1251": "cp1251", "windows-1251": "cp1251",
             "utf-16": "utf-16", "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be"}
"""The encodings a file may be read in (``--encoding``), by name: Python's codec for each."""
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\t": "\t"}
_SAMPLE = 1 << 20  # bytes read to decide the encoding
_GROUPED = "(\\d)[\\s\u00a0\u202f]+(\\d)"  # digits on both sides of a thousands separator: a space, often non-breaking
_SPACE_BYTES = (0x20, 0xA0, 0xAF)  # bytes of a space, of U+00A0 and U+202F in UTF-8
AMOUNTS = (*NUMBERS, "paid_amount", "recycled_share_percent")
_POINT_AMONG_COMMAS = ("line {line}: column {column} holds {value}, with a point, in a file of decimal commas: a number must "
                       "be written one way in the whole file (1 234,5 or 1234.5)")
_COMMA_AMONG_POINTS = ("line {line}: column {column} holds {value}, with a comma, in a file of decimal points: a number must "
                       "be written one way in the whole file (1 234,5 or 1234.5)")


class FormatError(MessageError):
    """The file cannot be read as a declarations file; the message is one line."""


@dataclass
class FileFormat:
    """``dialect``: the file's encoding and separator; ``names`` its header as written;
    ``canonical`` maps a written name to the model's column; ``kilograms`` the model's columns
    given in kilograms; ``decimal_comma`` the file's decimal mark (None until a numeric cell
    with a fraction is read); ``layout`` the operator's report it is, if it is one."""

    dialect: Dialect | None  # None: a workbook (``sheet``: the sheet read, None for the first)
    names: list[str]
    canonical: dict[str, str] = field(default_factory=dict)
    kilograms: tuple[str, ...] = ()
    decimal_comma: bool | None = None
    sheet: str | None = None
    layout: Layout | None = None
    unnamed: int = 0  # columns without a name after the last named one (``…;Сумма оплаты;;;``): read, not reported
    title_lines: int = 0  # lines above the header (a title): --skip-rows, or found
    title_found: bool = False  # ``title_lines`` found by ``detect``, not given

    def chunks(self, source, rows: int):
        """The file's rows in chunks (``engine.csv_rows.chunks`` or ``engine.excel_rows.chunks``),
        without the columns ``unnamed`` (a row with text in one of them is that row's error)."""
        if self.dialect is None:
            return excel_rows.chunks(source, self.sheet, rows, self.title_lines)
        read = csv_rows.chunks(source, self.names + [""] * self.unnamed, rows, self.dialect)
        return (self._named(*chunk) for chunk in read) if self.unnamed else read

    def _named(self, table: pyarrow.Table, problems, lines):
        width = len(self.names)
        for column in table.columns[width:]:
            filled = pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(column), ""), False).to_numpy(zero_copy_only=False)
            if filled.any():
                problems = numpy.full(table.num_rows, "", dtype=object) if problems is None else problems
                for row in numpy.flatnonzero(filled & (problems == "")):
                    problems[row] = (f"line {lines[row]}: a cell under a column without a name holds {column[row].as_py()!r}: "
                                     "the row is not read")
        return table.select(range(width)), problems, lines

    def columns(self, chunk: pyarrow.Table, lines) -> dict:
        """The model's columns of ``chunk`` (cells as written), days as YYYY-MM-DD and numbers with
        a decimal point; ``lines``: the line of the file each row starts on, to name a mixed mark."""
        result = {}
        for written, column in self.canonical.items():
            cells = chunk.column(written)
            if self.layout is not None and column in self.layout.dash_is_zero:
                cells = pc.if_else(pc.equal(pc.utf8_trim_whitespace(cells), "—"), "0", cells)
            if column in ("date", "sent_date"):
                cells = iso_days(cells)
            elif column in AMOUNTS:
                cells = self._decimal_points(column, written, cells, lines)
            elif column in _value_names():
                cells = _as_values(cells, _value_names()[column])
            result[column] = cells
        if self.layout is not None:
            self.layout.vehicles(result)
        return result

    def _decimal_points(self, column: str, written: str, cells, lines):
        if self.dialect is None:  # a workbook's numbers
            return cells
        if any(contains_byte(cells, byte) for byte in _SPACE_BYTES):  # 2 500 or 1 234,5: spaces between digit groups
            cells = pc.replace_substring_regex(cells, _GROUPED, r"\1\2")
        if self.dialect.delimiter == ",":  # cells separated by commas: decimal points
            return cells
        comma = contains_byte(cells, ord(",")) and pc.any(pc.match_substring(cells, ",")).as_py()
        point = contains_byte(cells, ord(".")) and pc.any(pc.match_substring(cells, ".")).as_py()
        if not (comma or point):
            return cells
        if self.decimal_comma is None:
            self.decimal_comma = bool(comma) and not (point and _first(cells, ".") < _first(cells, ","))
        other = "." if self.decimal_comma else ","
        if point if self.decimal_comma else comma:
            row = _first(cells, other)
            raise FormatError(Message(_POINT_AMONG_COMMAS if other == "." else _COMMA_AMONG_POINTS, line=lines[row],
                                      column=repr(written), value=repr(cells[row].as_py())))
        if not self.decimal_comma:
            return cells
        return pc.replace_substring(cells, ",", ".")


def _first(cells, mark: str) -> int:
    """The first row whose cell holds ``mark`` (a large number if none)."""
    found = pc.index(pc.match_substring(cells, mark), True).as_py()
    return found if found >= 0 else 1 << 62


@functools.cache
def column_table() -> dict[str, dict[str, list[str]]]:
    """``column_names.yaml``: each column of the model → {"names": [...], "kilograms": [...],
    "unit_needed": [...]}, the names as written there."""
    with NAMES_FILE.open(encoding="utf-8") as file:
        return read_yaml(file)


@functools.cache
def _aliases() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(name → column, name in kg → column, name without its unit → column), names normalised."""
    names, kilograms, unit_needed = {}, {}, {}
    for column, entry in column_table().items():
        for target, key in ((names, "names"), (kilograms, "kilograms"), (unit_needed, "unit_needed")):
            for name in entry.get(key, ()):
                target[normalised(name)] = column
    return names, kilograms, unit_needed


@functools.cache
def _value_names() -> dict[str, dict[str, str]]:
    """Column → (a word a cell may hold, normalised → the model's value), from ``values`` in
    ``column_names.yaml``."""
    with NAMES_FILE.open(encoding="utf-8") as file:
        table = read_yaml(file)
    return {column: {plain_words(word): value for value, words in entry["values"].items() for word in words}
            for column, entry in table.items() if "values" in entry}


def _as_values(cells, words: dict[str, str]):
    """Cells holding a word of ``words`` as the model's value; any other cell as written (the model's
    value itself, or the line's error naming the values)."""
    encoded = (cells.combine_chunks() if isinstance(cells, pyarrow.ChunkedArray) else cells).dictionary_encode()
    written = encoded.dictionary.to_pylist()
    found = [words.get(plain_words(word), word) if word else word for word in written]
    if found == written:
        return cells
    return pc.take(pyarrow.array(found, pyarrow.string()), encoded.indices)


def normalised(name: str) -> str:
    """A column name as it is matched: lower case, "ё" as "е", single spaces, the unit after a
    comma or in brackets written ``(т)`` or ``(кг)``."""
    text = plain_words(name)
    base, unit = text, ""
    bracket = re.fullmatch(r"(.*?)\s*[(\[]\s*([^()\[\]]*?)\s*[)\]]", text)
    if bracket:
        base, unit = bracket.groups()
    elif "," in text:
        base, unit = (part.strip() for part in text.rsplit(",", 1))
    unit = unit.rstrip(".").strip()
    unit = {"kg": "кг", "килограмм": "кг", "килограммах": "кг", "t": "т", "тонн": "т", "тонна": "т", "тоннах": "т",
            "тонны": "т", "тн": "т", "tonnes": "т", "tons": "т", "кило": "кг"}.get(unit, unit)
    return f"{base} ({unit})" if unit else base


def detect(source, encoding: str | None = None, delimiter: str | None = None, sheet: str | None = None,
           layout: str = operator_layouts.AUTOMATIC, skip_rows: int | None = None) -> FileFormat:
    """How to read the file ``source``: a workbook (by its suffix: ``excel_rows.EXCEL_SUFFIXES``;
    ``sheet``, else the first), or a CSV file in its encoding (``encoding``, else from a
    byte-order mark, else UTF-8, else Windows-1251) and separator (``delimiter``, else the one of
    ``,`` ``;`` and tab the header uses most), its header below ``skip_rows`` lines (a title:
    None: the first line, else the one line of the first ``TITLE_LINES`` that reads as a header,
    ``title_found`` then set); its column names mapped to the model's: by the
    operator's report it is (``operator_layouts.choose`` with ``layout``), else by
    ``column_names.yaml``. Raises ``FormatError`` for a file in no such encoding, an unknown
    ``encoding``, ``delimiter`` or ``layout``, a workbook or sheet that cannot be read, a mass column without
    its unit, two columns for one of the model's, or several lines below a title that each read as a header."""
    if Path(source).suffix.lower() in excel_rows.EXCEL_SUFFIXES:
        if encoding or delimiter:
            raise FormatError(Message("{source}: a workbook has no --encoding or --delimiter", source=source))

        head: list[list[str]] = []  # the sheet's first TITLE_LINES rows, read once when line 1 is no header

        def read(skip: int) -> FileFormat:
            try:
                if skip and not head:
                    head.extend([excel_rows.text(cell) for cell in row]
                                for row in itertools.islice(excel_rows.sheet_rows(source, sheet), TITLE_LINES))
                names = excel_rows.header(source, sheet, skip) if skip >= len(head) else head[skip]
            except excel_rows.SheetError as error:
                raise FormatError(error.message) from None
            return _mapped(FileFormat(None, names, sheet=sheet, title_lines=skip), source, layout)
    else:
        if sheet is not None:
            raise FormatError(Message("{source}: --sheet is for a workbook (.xlsx), not a CSV file", source=source))
        _refuse_unreadable(source)

        def read(skip: int) -> FileFormat:
            return _csv_header(source, encoding, delimiter, skip, layout)
    if skip_rows is not None:
        return read(skip_rows)
    try:
        first: FileFormat | FormatError = read(0)
        if reads_as_header(first):  # the common case: a look at the first line only
            return first
    except FormatError as error:
        first = error
    below = []
    for skip in range(1, TITLE_LINES):
        try:
            found = read(skip)
        except FormatError:
            continue
        if reads_as_header(found):
            below.append(found)
    if len(below) > 1:
        raise FormatError(Message("{source}: the lines {lines} each read as a header: give --skip-rows N, the number of lines "
                                  "above the one to read", source=source,
                                  lines=", ".join(str(found.title_lines + 1) for found in below)))
    if below:
        below[0].title_found = True
        return below[0]
    if isinstance(first, FormatError):
        raise first
    return first


TITLE_LINES = 10
"""Lines of a CSV file looked at for its header when the first is none (a title above it)."""
REQUIRED_COLUMNS = ("date", "paid_amount")
KEY_COLUMNS = ("product", "customs_code")  # what names the goods: one of them at least


def reads_as_header(found: FileFormat) -> bool:
    """Whether the header ``found`` names the required columns and one of the key columns."""
    given = set(found.canonical.values())
    return all(name in given for name in REQUIRED_COLUMNS) and any(name in given for name in KEY_COLUMNS)


def _csv_header(source, encoding: str | None, delimiter: str | None, skip: int, layout: str) -> FileFormat:
    found = _csv_format(source, encoding, delimiter, skip)
    found.title_lines = skip
    while found.names and not found.names[-1].strip():  # ``…;Сумма оплаты;;;``: Excel's empty columns
        found.names.pop()
        found.unnamed += 1
    return _mapped(found, source, layout)


def _mapped(found: FileFormat, source, layout: str) -> FileFormat:
    """``found`` with its names mapped to the model's columns."""
    if not found.names:
        raise FormatError(Message("{source}: Empty workbook sheet: the first line must be the header" if found.dialect is None
                                  else "{source}: Empty CSV file: the first line must be the header", source=source))
    try:
        found.layout = operator_layouts.choose(found.names, layout)
    except MessageError as error:
        raise FormatError(error.message) from None
    if found.layout is None:
        _map_columns(found, source)
    else:
        found.canonical = found.layout.read(found.names)
        found.kilograms = tuple(column for column in found.layout.kilograms if column in found.canonical.values())
    return found


def _refuse_unreadable(source) -> None:
    """A pipe or a device (``<(…)``, ``/dev/stdin``) is refused: the file is read more than once;
    so is a workbook named ``.csv`` (a zip file: ``PK``) or a legacy ``.xls`` (an OLE2 file)."""
    try:
        if not stat.S_ISREG(os.stat(source).st_mode):
            raise FormatError(Message("{source}: not a regular file (a pipe or a device): the audit reads its file more than "
                                      "once; save the declarations to a file and give its name", source=source))
        with open(source, "rb") as file:
            head = file.read(8)
    except OSError:
        return  # said by the reading that follows, with its reason
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise FormatError(Message("{source}: a workbook (Excel) with a name that does not end in .xlsx or .xls: name it so, "
                                  "or save it as CSV", source=source))


def _csv_format(source, encoding: str | None, delimiter: str | None, skip: int) -> FileFormat:
    codec = _encoding(source, encoding, skip)
    separator = _delimiter(source, codec, delimiter, skip)
    dialect = Dialect(codec, separator, skip)
    try:
        with dialect.open(source) as file:
            names = next(csv.reader(itertools.chain([dialect.header_line(file)], file), delimiter=separator), None)
    except (OSError, csv.Error) as error:
        raise FormatError(Message("{source}: {reason}", source=source,
                                  reason=getattr(error, "strerror", None) or " ".join(str(error).split()))) from None
    if names and any(_undecoded(name) for name in names):
        raise FormatError(Message("{source}: the header (line {line}) is not {encoding} text: save the file as CSV UTF-8, or give "
                                  "--encoding", source=source, line=skip + 1, encoding=_CODEC_NAMES.get(codec, codec)))
    return FileFormat(dialect, [name.lstrip("\ufeff") for name in names or []])


def _map_columns(found: FileFormat, source) -> None:
    """The file's names mapped to the model's columns (``canonical``, ``kilograms``)."""
    plain, kilograms, unit_needed = _aliases()
    chosen: dict[str, str] = {}
    for name in found.names:
        key = normalised(name)
        column = plain.get(key) or kilograms.get(key)
        if column is None and (key in unit_needed or key.split(" (")[0] in unit_needed):
            base = name.split(",")[0].split("(")[0].strip()
            raise FormatError(Message("{source}: the column {name} does not say its unit as т or кг: name it {base}, т or "
                                      "{base}, кг (a mass in kilograms read as tonnes would be 1 000 times too large)",
                                      source=source, name=repr(name), base=base))
        if column is None:
            continue
        if column in chosen:
            raise FormatError(Message("{source}: the columns {first} and {second} both give {column}", source=source,
                                      first=repr(chosen[column]), second=repr(name), column=column))
        chosen[column] = name
        if key in kilograms:
            found.kilograms += (column,)
    found.canonical = {written: column for column, written in chosen.items()}


def _encoding(source, given: str | None, skip: int) -> str:
    if given is not None:
        try:
            return ENCODINGS[given.lower()]
        except KeyError:
            raise FormatError(Message("--encoding {given}: one of {choices}", given=repr(given),
                                      choices=", ".join(sorted(set(ENCODINGS))))) from None
    try:
        with open(source, "rb") as file:
            head = file.read(_SAMPLE)
    except OSError as error:
        raise FormatError(Message("{source}: {reason}", source=source, reason=error.strerror)) from None
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"  # UTF-8, its byte-order mark skipped
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    cut = head[:head.rfind(b"\n") + 1] if len(head) == _SAMPLE else head  # whole lines only
    header = (cut.split(b"\n", skip + 1) + [b""] * (skip + 1))[skip]
    if b"\x00" in header:  # UTF-16 without its mark: every other byte of an ASCII name is 0
        return "utf-16-le" if header[1:2] == b"\x00" else "utf-16-be"
    invalid = cut.decode("utf-8", errors="replace").count("\ufffd")
    if not invalid:
        return "utf-8-sig"
    high = sum(byte >= 0x80 for byte in cut)
    if invalid >= 3 and 2 * invalid >= high and _windows_1251(cut):
        return "cp1251"  # Cyrillic of Windows-1251: nearly every letter is a byte UTF-8 cannot start with
    if _utf8(header):
        return "utf-8-sig"  # a few stray bytes in the rows: each such row is reported (engine.csv_rows)
    if _windows_1251(header):
        return "cp1251"
    raise FormatError(Message("{source}: the header (line 1) is neither UTF-8 nor Windows-1251 text, and the file has no "
                              "byte-order mark of UTF-16: save it as CSV UTF-8, or give --encoding", source=source))


_CODEC_NAMES = {"utf-8-sig": "UTF-8", "cp1251": "Windows-1251", "utf-16": "UTF-16", "utf-16-le": "UTF-16",
                "utf-16-be": "UTF-16"}


def _undecoded(name: str) -> bool:
    """Whether a name read from the file holds bytes its encoding could not decode."""
    return "\ufffd" in name or any("\udc80" <= char <= "\udcff" for char in name)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _windows_1251(data: bytes) -> bool:
    """Every byte is a character of Windows-1251 (0x98 is none) and none is a control character."""
    return b"\x98" not in data and not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", data)


def _delimiter(source, codec: str, given: str | None, skip: int) -> str:
    if given is not None:
        try:
            return DELIMITERS[given]
        except KeyError:
            raise FormatError(Message("--delimiter {given}: one of ',', ';' or 'tab'", given=repr(given))) from None
    dialect = Dialect(codec, skip=skip)
    with dialect.open(source) as file:
        header = dialect.header_line(file)
    outside_quotes = re.sub(r'"[^"]*"', "", header)
    counts = {mark: outside_quotes.count(mark) for mark in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","
