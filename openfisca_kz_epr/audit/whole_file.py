"""A file of rows like declarations read whole, as ``kz-epr audit`` reads a declarations file
(``file_format``: CSV in UTF-8, Windows-1251 or UTF-16, ``,`` ``;`` or tab between cells, decimal
commas, days written ``01.03.2021``, Russian or Kazakh column names, masses in kg, product names
as declarants write them; or a workbook ``.xlsx``): a placed-on-market scenario, for
``kz-epr simulate --data`` and the page's what-if (``reforms.revenue.scenario_columns`` checks
it, ``reforms.revenue.read_scenario`` reads it).

``read(source)`` gives a ``WholeFile``; raises ``file_format.FormatError`` naming ``source``
where the file cannot be read at all (its encoding, a number written both ways). A row that
cannot be read (more cells than the header, bytes not of its encoding) is that row's problem,
named by its line: rows in = rows out (a line of no value at all is none, as in the audit).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
import pyarrow

from openfisca_kz_epr.audit import file_format, product_names

CHUNK_ROWS = 1 << 16


@dataclass
class WholeFile:
    """``columns``: the model's column (``file_format.column_names.yaml``) → its cells as text (days
    ``YYYY-MM-DD``, numbers with a decimal point), and every other column by its written name
    (``count``); ``size`` rows; ``kilograms``: the model's columns given in kg; ``problems``: ''
    or each row's problem; ``lines``: the line of the file each row starts on."""

    columns: dict[str, list]
    size: int
    kilograms: tuple[str, ...]
    problems: numpy.ndarray
    lines: numpy.ndarray


def read(source) -> WholeFile:
    """The rows of the file ``source`` (a path: a workbook by its suffix, else CSV)."""
    found = file_format.detect(str(source))
    columns: dict[str, list] = {}
    problems, lines = [], []
    for chunk, read_problems, chunk_lines in found.chunks(str(source), CHUNK_ROWS):
        read_columns = found.columns(chunk, chunk_lines)
        row_problems = product_names.read(read_columns, chunk.num_rows, read_problems)
        read_columns.update({name: chunk.column(name) for name in chunk.column_names if name not in found.canonical})
        for name, cells in read_columns.items():
            texts = cells.to_pylist() if isinstance(cells, (pyarrow.Array, pyarrow.ChunkedArray)) else list(cells)
            columns.setdefault(name, [""] * len(problems)).extend(texts)
        problems.extend([""] * chunk.num_rows if row_problems is None else list(row_problems))
        lines.extend(chunk_lines.tolist())
    if not problems:  # no row: the header's names, no cells
        columns = {name: [] for name in (*found.canonical.values(), *(n for n in found.names if n not in found.canonical))}
    return WholeFile(columns, len(problems), found.kilograms, numpy.array(problems, dtype=object), numpy.array(lines, dtype=numpy.int64))
