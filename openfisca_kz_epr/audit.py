"""The auditor's bulk recomputation (``kz-epr audit``): a CSV file of declarations in, a CSV
report out.

The file is streamed in chunks, so memory stays bounded whatever its length; each chunk is
reconciled (``reconcile``: one OpenFisca simulation per legal period) and written at once.
Every input row comes out exactly once, in input order, its columns unchanged, followed by
``REPORT_COLUMNS``; a row that cannot be priced keeps its place with ``status=error`` and the
reason.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy
import pyarrow
import pyarrow.compute as pc
import pyarrow.csv

from openfisca_kz_epr.audit_summary import Summary
from openfisca_kz_epr.reconcile import (
    ERROR,
    INPUT_COLUMNS,
    STATUSES,
    Reconciled,
    reconcile,
)

REQUIRED_COLUMNS = ("date", "paid_amount")
KEY_COLUMNS = ("product", "customs_code")  # what names the goods: one of them at least
REPORT_COLUMNS = ("expected_payment", "difference", "status", "error", "legal_basis", "confidence",
                  "goods_payment", "packaging_payment")
_AMOUNTS = ("expected_payment", "difference", "goods_payment", "packaging_payment")
CHUNK_ROWS = 1 << 18  # rows reconciled at once: what bounds the memory, whatever the file's length
_READ_BLOCK = 1 << 20  # bytes parsed at a time by the CSV reader (it reads some 40 blocks ahead)
_TENGE = pyarrow.decimal128(38, 2)


class AuditError(Exception):
    """The run itself cannot go on (unreadable file, missing column); the message is one line."""


def audit(tax_benefit_system, source, destination, tolerance_tiyn: int = 100, progress=None,
          chunk_rows: int = CHUNK_ROWS) -> Summary:
    """Reconcile the CSV file ``source`` into the CSV file ``destination``; return the summary.

    ``tax_benefit_system`` may be given as a function that builds it: it is then built while
    the first rows are read. ``progress(rows)`` is called after each chunk. Raises ``AuditError`` when the file cannot
    be read or the report written; ``destination`` is then left untouched.
    """
    names = _header(source)
    summary = Summary()
    partial = Path(f"{destination}.partial")
    try:
        reader = pyarrow.csv.open_csv(
            source,
            read_options=pyarrow.csv.ReadOptions(block_size=_READ_BLOCK),
            parse_options=pyarrow.csv.ParseOptions(newlines_in_values=True),  # a quoted note may span lines
            convert_options=pyarrow.csv.ConvertOptions(column_types={name: pyarrow.string() for name in names}),
        )
    except (pyarrow.ArrowInvalid, OSError) as error:
        raise AuditError(f"{source}: {_one_line(error)}") from error
    try:
        writer = pyarrow.csv.CSVWriter(partial, _report_schema(names))
    except OSError as error:
        raise AuditError(f"{destination}: {_one_line(error)}") from error
    try:
        with writer, ThreadPoolExecutor(max_workers=2, thread_name_prefix="kz-epr-audit-io") as io:
            # pyarrow parses the next chunk, and the previous one is written and counted, while
            # this one is reconciled: most of that work runs outside Python's global lock.
            chunks = _chunks(reader, chunk_rows)
            reading, writing = io.submit(next, chunks, None), None
            if callable(tax_benefit_system):  # built while the first chunk is read
                tax_benefit_system = tax_benefit_system()
            while (chunk := reading.result()) is not None:
                reading = io.submit(next, chunks, None)
                columns = {name: chunk.column(name) for name in INPUT_COLUMNS if name in names}
                reconciled = reconcile(tax_benefit_system, columns, chunk.num_rows, tolerance_tiyn)
                if writing:
                    writing.result()
                writing = io.submit(_write, writer, chunk, reconciled, summary, columns)
                if progress:
                    progress(chunk.num_rows)
                del chunk, columns, reconciled  # before the next chunk is reconciled
            if writing:
                writing.result()
        os.replace(partial, destination)
    except pyarrow.ArrowInvalid as error:  # the file is not the CSV it should be
        raise AuditError(f"{source}: {_one_line(error)}") from error
    except OSError as error:  # e.g. the disk is full
        raise AuditError(f"{error.filename or destination}: {_one_line(error)}") from error
    finally:
        partial.unlink(missing_ok=True)  # a run that did not complete leaves no half report
    return summary


def _write(writer, chunk: pyarrow.Table, reconciled: Reconciled, summary: Summary, columns: dict) -> None:
    writer.write_table(_report(chunk, reconciled))
    summary.add(columns, reconciled)


def _header(source) -> list[str]:
    """The file's column names, checked: the required ones present, none repeated or clashing
    with a report column."""
    try:
        names = pyarrow.csv.open_csv(source, read_options=pyarrow.csv.ReadOptions(block_size=1 << 16)).schema.names
    except (pyarrow.ArrowInvalid, OSError) as error:
        raise AuditError(f"{source}: {_one_line(error)}") from error
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if not any(name in names for name in KEY_COLUMNS):
        missing.append(" or ".join(KEY_COLUMNS))
    if missing:
        raise AuditError(f"{source}: no column {', '.join(missing)} (the header has: {', '.join(names)})")
    for name in names:
        if names.count(name) > 1:
            raise AuditError(f"{source}: the column {name!r} appears more than once")
        if name in REPORT_COLUMNS:
            raise AuditError(f"{source}: the column {name!r} is one the report adds; rename it")
    return names


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _chunks(reader, rows: int):
    """The file's rows in tables of ``rows`` rows (the last one shorter), in order."""
    pending, count = [], 0
    for batch in reader:
        pending.append(batch)
        count += batch.num_rows
        while count >= rows:
            table = pyarrow.Table.from_batches(pending)
            yield table.slice(0, rows)
            pending, count = table.slice(rows).to_batches(), count - rows
    if count:
        yield pyarrow.Table.from_batches(pending)


def _report_schema(names: list[str]) -> pyarrow.Schema:
    added = [pyarrow.field(name, _TENGE if name in _AMOUNTS else pyarrow.string()) for name in REPORT_COLUMNS]
    return pyarrow.schema([pyarrow.field(name, pyarrow.string()) for name in names] + added)


def _tenge_column(tiyn: numpy.ndarray, valid: numpy.ndarray) -> pyarrow.Array:
    """Amounts in tiyn as exact decimals of tenge (``123.45``), empty where not ``valid``: the
    tiyn are the decimal's unscaled integer, sign-extended to 128 bits."""
    words = numpy.empty((len(tiyn), 2), dtype=numpy.int64)
    words[:, 0] = tiyn
    words[:, 1] = tiyn >> 63
    validity = pyarrow.array(valid).buffers()[1] if not valid.all() else None
    return pyarrow.Array.from_buffers(_TENGE, len(tiyn), [validity, pyarrow.py_buffer(words)], offset=0)


def _sparse_texts(texts: numpy.ndarray, empty: numpy.ndarray) -> pyarrow.Array:
    """Texts that are mostly '' (those of ``empty``), converting only the others."""
    blank = pc.fill_null(pyarrow.nulls(len(texts), pyarrow.string()), "")
    return pc.replace_with_mask(blank, pyarrow.array(~empty), pyarrow.array(texts[~empty], pyarrow.string()))


def _report(chunk: pyarrow.Table, reconciled: Reconciled) -> pyarrow.Table:
    computed = reconciled.status != ERROR
    added = [
        _tenge_column(reconciled.expected, reconciled.priced),
        _tenge_column(reconciled.paid - reconciled.expected, computed),
        pc.take(pyarrow.array(STATUSES), pyarrow.array(reconciled.status)),
        _sparse_texts(reconciled.error, computed),
        pyarrow.array(reconciled.legal_basis, pyarrow.string()),
        pyarrow.array(reconciled.confidence, pyarrow.string()),
        _tenge_column(reconciled.goods, reconciled.priced),
        _tenge_column(reconciled.packaging, reconciled.priced),
    ]
    return pyarrow.Table.from_arrays(chunk.columns + added, names=chunk.column_names + list(REPORT_COLUMNS))
