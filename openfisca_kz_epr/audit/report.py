"""The auditor's bulk recomputation (``kz-epr audit``): a CSV file of declarations in, a CSV
report out.

The file is streamed in chunks, so memory stays bounded whatever its length; each chunk is
reconciled (``reconcile``: one OpenFisca simulation per legal period) and written at once.
Every input row comes out exactly once, in input order, its columns unchanged, followed by
``REPORT_COLUMNS``; a row that cannot be priced keeps its place with ``status=error`` and the
reason.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy
import pyarrow
import pyarrow.compute as pc
import pyarrow.csv

from openfisca_kz_epr.audit import file_format, output_files, product_names
from openfisca_kz_epr.audit.file_format import KEY_COLUMNS, REQUIRED_COLUMNS, FileFormat, FormatError
from openfisca_kz_epr.audit.flags import FLAG_COLUMNS, Flagged, Flags
from openfisca_kz_epr.audit.operator_rules import OPERATOR_COLUMNS, OperatorRules
from openfisca_kz_epr.audit.reconcile import (
    ERROR,
    STATUSES,
    Reconciled,
    reconcile,
)
from openfisca_kz_epr.audit.spreadsheet_safety import neutralised
from openfisca_kz_epr.audit.summary import Summary
from openfisca_kz_epr.audit.workbook import WORKBOOK_SUFFIX, WorkbookReport, WorkbookTooLong, refuse_too_long
from openfisca_kz_epr.engine import csv_rows
from openfisca_kz_epr.language import Language, Message, MessageError
from openfisca_kz_epr.law.reform_marks import assumed_values
from openfisca_kz_epr.money import TENGE, tenge_array

REPORT_COLUMNS = ("expected_payment", "difference", "status", "error", "legal_basis", "confidence",
                  "goods_payment", "packaging_payment")
_AMOUNTS = ("expected_payment", "difference", "goods_payment", "packaging_payment", "operator_payment", "operator_difference")
CHUNK_ROWS = 1 << 18  # rows reconciled at once: what bounds the memory, whatever the file's length


class AuditError(MessageError):
    """The run itself cannot go on (unreadable file, missing column); the message is one line, which
    ``said(language)`` gives in a language."""


def audit(tax_benefit_system, source, destination, tolerance_tiyn: int = 100, progress=None,
          chunk_rows: int = CHUNK_ROWS, summary_path: str | None = None, encoding: str | None = None,
          delimiter: str | None = None, sheet: str | None = None, operator_rules: str | None = None,
          language: str = "en", layout: str = "auto", skip_rows: int | None = None, shown_as: str | None = None) -> Summary:
    """Reconcile the CSV file ``source`` into the CSV report ``destination`` (a path, or ``-``
    for the standard output), and the Markdown summary into ``summary_path`` if given; return
    the summary. The file may be written as accountants' files are (``file_format``: its
    encoding and separator detected unless ``encoding`` / ``delimiter`` say them, Russian or
    Kazakh column names, decimal commas, DD.MM.YYYY days, masses in kilograms), or a workbook
    (``.xlsx``: its ``sheet``, else the first). ``operator_rules`` (a date rule, ``import`` or
    ``sent``) adds the operator's figure beside the law's (``operator_rules.OPERATOR_COLUMNS``).
    ``language`` (``en``, ``ru``, ``kk``): the added columns' names, statuses, confidences and the
    summary (``language``). ``layout``: ``auto`` reads one of the operator portal's reports
    by its own layout when the header is one (``operator_layouts``), ``generic`` never, or the
    name of the layout to read. ``skip_rows``: lines above the header (a title) of a CSV file (None: found,
    ``Summary.title_lines``).
    ``shown_as``: the file's name in the summaries (default: ``source``).

    ``tax_benefit_system`` may be given as a function that builds it: it is then built while
    the first rows are read. ``progress(rows)`` is called after each chunk. The report and the
    summary are written as ``output_files.staged`` says: temporary files renamed into place at
    the end. Raises ``AuditError`` when the file cannot be read or an output written or would
    replace something it must not (``output_files.check``); every target is then left as it
    was and nothing is left behind, as on Ctrl-C, SIGTERM or SIGHUP.
    """
    try:
        output_files.check({"declarations": str(source)}, {"report": str(destination),
                                                          "summary": None if summary_path is None else str(summary_path)})
    except output_files.OutputError as error:
        raise AuditError(error.message) from None
    try:
        words = Language(language)
    except ValueError as error:
        raise AuditError(str(error)) from None
    found = _format(source, encoding, delimiter, sheet, operator_rules, layout, skip_rows)
    workbook = str(destination).lower().endswith(WORKBOOK_SUFFIX)
    try:
        if workbook and found.dialect is not None:  # a CSV file too long for a workbook: refused before any work
            refuse_too_long(csv_rows.rows_at_least(source, found.dialect))
        with output_files.StopOnSignal() as stop, \
                output_files.staged([str(destination), None if summary_path is None else str(summary_path)]) as (report, summary_file), \
                output_files.scratch(None if str(destination) == output_files.STDOUT else report) as scratch:
            summary = _reconcile_file(tax_benefit_system, source, found, report, tolerance_tiyn, progress, chunk_rows, stop,
                                      scratch, workbook=workbook, operator_rules=operator_rules, language=words, shown_as=shown_as)
            if summary_file is not None:
                with open(summary_file, "w", encoding="utf-8") as file:
                    file.write(summary.markdown(shown_as or str(source), tolerance_tiyn, words))
            stop.check()  # a signal noted so far: the targets are left as they were
    except pyarrow.ArrowInvalid as error:  # the file is not the CSV it should be
        raise AuditError(Message("{source}: {reason}", source=source, reason=_one_line(error))) from error
    except FormatError as error:  # a number written with both marks: nothing is written
        raise AuditError(Message("{source}: {reason}", source=source, reason=error.message)) from None
    except WorkbookTooLong as error:
        raise AuditError(Message("{source}: {reason}", source=destination, reason=error.message)) from None
    except OSError as error:  # e.g. the disk is full
        raise AuditError(Message("{source}: {reason}", source=error.filename or destination, reason=_one_line(error))) from error
    return summary


class _CsvReport:
    """The report as CSV (pyarrow's writer): plain numbers, for machines."""

    def __init__(self, sink, found: FileFormat, added: tuple[str, ...], language: Language) -> None:
        self.schema = _report_schema(found.names, added, language)
        self.writer = pyarrow.csv.CSVWriter(sink, self.schema)

    def write(self, report: pyarrow.Table, columns: dict) -> None:
        self.writer.write_table(report.rename_columns(self.schema.names))

    def close(self, summary: Summary) -> None:
        self.writer.close()


class _WorkbookReport:
    """The report as a workbook (``audit.workbook``): typed cells and a summary sheet, for people."""

    def __init__(self, path, found: FileFormat, source, tolerance_tiyn: int, added: tuple[str, ...], language: Language,
                 scratch: str) -> None:
        self.book = WorkbookReport(path, found.names, found.canonical, added, language, scratch)
        self.canonical, self.source, self.tolerance_tiyn = found.canonical, source, tolerance_tiyn

    def write(self, report: pyarrow.Table, columns: dict) -> None:
        self.book.write(report, columns, self.canonical)

    def close(self, summary: Summary) -> None:
        self.book.close(summary, str(self.source), self.tolerance_tiyn)


def _reconcile_file(tax_benefit_system, source, found: FileFormat, sink, tolerance_tiyn, progress, chunk_rows, stop,
                    scratch: str, workbook: bool = False, operator_rules: str | None = None, language: Language | None = None,
                    shown_as: str | None = None) -> Summary:
    """Reconcile ``source`` (written as ``found`` says) chunk by chunk into ``sink`` (CSV, or a
    workbook when ``workbook``); ``scratch``: the folder for temporary files (the ids seen so
    far, xlsxwriter's), removed by the caller; a signal noted by ``stop``
    (``output_files.StopOnSignal``) ends it after the chunk at hand."""
    summary = Summary()
    summary.layout = found.layout
    summary.title_lines = found.title_lines if found.title_found else 0
    added = REPORT_COLUMNS + (OPERATOR_COLUMNS if operator_rules else ()) + FLAG_COLUMNS
    language = language or Language()
    flags = Flags(scratch, language)
    writer = (_WorkbookReport(sink, found, shown_as or source, tolerance_tiyn, added, language, scratch) if workbook
              else _CsvReport(sink, found, added, language))
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="kz-epr-audit-io") as io:
        # pyarrow parses the next chunk (and its cells are read as the model's columns), and the
        # previous one is written and counted, while this one is reconciled: most of that work
        # runs outside Python's global lock.
        chunks = found.chunks(source, chunk_rows)
        reading, writing = io.submit(_next_chunk, chunks, found), None
        if callable(tax_benefit_system):  # built while the first chunk is read
            tax_benefit_system = tax_benefit_system()
        summary.assumed = assumed_values(tax_benefit_system)
        operator = OperatorRules(tax_benefit_system, operator_rules, language) if operator_rules else None
        while (read := reading.result()) is not None:
            stop.check()
            chunk, columns, row_problems, lines = read
            reading = io.submit(_next_chunk, chunks, found)
            reconciled = reconcile(tax_benefit_system, columns, chunk.num_rows, tolerance_tiyn, row_problems, found.kilograms,
                                   operator)
            if writing:
                writing.result()
            writing = io.submit(_write, writer, chunk, reconciled, summary, columns, flags, lines, language)
            if progress:
                progress(chunk.num_rows)
            del read, chunk, columns, reconciled  # before the next chunk is reconciled
        if writing:
            writing.result()
    summary.flags = flags.counts
    writer.close(summary)
    return summary


def _next_chunk(chunks, found: FileFormat) -> tuple | None:
    """The next chunk of the file (in the I/O thread): its table, the model's columns of it
    (``FileFormat.columns``, products named as their keys), each row's problem and line; None at
    the end."""
    read = next(chunks, None)
    if read is None:
        return None
    chunk, row_problems, lines = read
    columns = found.columns(chunk, lines)
    return chunk, columns, product_names.read(columns, chunk.num_rows, row_problems), lines


def _name_lines(reconciled: Reconciled, lines) -> None:
    """Every error row's reason starts with the line of the file the row starts on."""
    rows = numpy.flatnonzero(reconciled.status == ERROR)
    if not len(rows):
        return
    reasons = pyarrow.array(reconciled.error[rows], pyarrow.string())
    unnamed = pc.invert(pc.starts_with(reasons, "line "))
    numbers = pc.cast(pyarrow.array(lines[rows]).filter(unnamed), pyarrow.string())
    named = pc.binary_join_element_wise("line ", numbers, ": ", reasons.filter(unnamed), "")
    reconciled.error[rows[unnamed.to_numpy(zero_copy_only=False)]] = named.to_numpy(zero_copy_only=False)


def _write(writer, chunk: pyarrow.Table, reconciled: Reconciled, summary: Summary, columns: dict, flags: Flags,
           lines, language: Language) -> None:
    """Name the lines of its errors, flag, write and count one chunk (in the I/O thread, chunk
    after chunk, in order)."""
    _name_lines(reconciled, lines)
    writer.write(_report(chunk, reconciled, flags.of(columns, reconciled, lines), language), columns)
    summary.add(columns, reconciled)


def _format(source, encoding: str | None, delimiter: str | None, sheet: str | None, operator_rules: str | None,
            layout: str, skip_rows: int | None = None) -> FileFormat:
    """How ``source`` is written (``file_format.detect``), its header checked: the required
    columns present, none repeated or clashing with a report column."""
    try:
        found = file_format.detect(source, encoding, delimiter, sheet, layout, skip_rows)
    except FormatError as error:
        raise AuditError(error.message) from None
    names, given = found.names, set(found.canonical.values())
    missing = [name for name in REQUIRED_COLUMNS if name not in given]
    if operator_rules == "sent" and "sent_date" not in given:
        missing.append("sent_date (--date-rule sent)")
    if not any(name in given for name in KEY_COLUMNS):
        missing.append(" or ".join(KEY_COLUMNS))
    if missing and found.layout is not None:
        raise AuditError(Message("{source}: read as the operator's «{title}» ({layout}), it has no column {missing} (the "
                                 "header has: {names}; the layouts are in openfisca_kz_epr/audit/operator_layouts.yaml)",
                                 source=source, title=found.layout.title, layout=found.layout.name, missing=", ".join(missing),
                                 names=", ".join(repr(name) for name in names)))
    if missing:
        raise AuditError(Message("{source}: no column {missing} (the header has: {names}; the names each column may have "
                                 "are in openfisca_kz_epr/audit/column_names.yaml, as the README says)",
                                 source=source, missing=", ".join(missing), names=", ".join(repr(name) for name in names)))
    for name in names:
        if names.count(name) > 1:
            raise AuditError(Message("{source}: the column {name} appears more than once", source=source, name=repr(name)))
        if name in REPORT_COLUMNS or name in OPERATOR_COLUMNS or name in FLAG_COLUMNS:
            raise AuditError(Message("{source}: the column {name} is one the report adds; rename it", source=source,
                                     name=repr(name)))
    return found


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _report_schema(names: list[str], added_names: tuple[str, ...], language: Language) -> pyarrow.Schema:
    added = [pyarrow.field(language.t(name), TENGE if name in _AMOUNTS else pyarrow.string()) for name in added_names]
    return pyarrow.schema([pyarrow.field(name, pyarrow.string()) for name in names] + added)


def _sparse_texts(size: int, rows: numpy.ndarray, words) -> pyarrow.Array:
    """``size`` texts, '' but on ``rows`` (increasing), which have ``words``."""
    blank = pc.fill_null(pyarrow.nulls(size, pyarrow.string()), "")
    if not len(rows):
        return blank
    mask = numpy.zeros(size, dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(blank, pyarrow.array(mask), pyarrow.array(words, pyarrow.string()))


def _report(chunk: pyarrow.Table, reconciled: Reconciled, flagged: list[Flagged], language: Language) -> pyarrow.Table:
    """The chunk's report, its added columns named in English (the writer names them in ``language``)
    and its statuses and confidences in ``language``."""
    computed = reconciled.status != ERROR
    confidence = pyarrow.array(reconciled.confidence, pyarrow.string())
    added = [
        tenge_array(reconciled.expected, reconciled.priced),
        tenge_array(reconciled.paid - reconciled.expected, computed),
        pc.take(pyarrow.array([language.t("status " + status) for status in STATUSES]), pyarrow.array(reconciled.status)),
        _sparse_texts(len(computed), numpy.flatnonzero(~computed), reconciled.error[~computed]),
        pyarrow.array(reconciled.legal_basis, pyarrow.string()),
        confidence if language.code == "en" else language.values(confidence),
        tenge_array(reconciled.goods, reconciled.priced),
        tenge_array(reconciled.packaging, reconciled.priced),
    ]
    names = chunk.column_names + list(REPORT_COLUMNS)
    operator = reconciled.operator
    if operator is not None:
        both = operator.priced & reconciled.priced
        added += [tenge_array(operator.tiyn, operator.priced), tenge_array(operator.tiyn - reconciled.expected, both),
                  pyarrow.array(operator.reason, pyarrow.string())]
        names += list(OPERATOR_COLUMNS)
    added += [_sparse_texts(len(computed), flag.rows, flag.words) for flag in flagged]
    names += list(FLAG_COLUMNS)
    carried = [neutralised(column) for column in chunk.columns]  # a declarant's "=HYPERLINK(...)" stays text
    return pyarrow.Table.from_arrays(carried + added, names=names)
