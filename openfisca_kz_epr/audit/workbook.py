"""The audit's report as a workbook people open (``-o report.xlsx``), written by xlsxwriter.

Sheet «lines»: every row of the declarations, in order, its columns as the file named them,
then the report's columns; days as Excel dates, numbers and amounts as numbers (amounts with
two decimals and a thousands separator), texts as texts; the header frozen and filtered.
Sheet «summary»: the rows per status and the totals per producer, product and year, as the
Markdown summary has them. Written in xlsxwriter's constant-memory mode, row after row, so
the memory stays bounded, its rows kept in a temporary file of the scratch folder the audit
gives (beside the target, removed whatever happens: ``output_files.scratch``); a workbook holds
at most 1 048 575 rows of data, and a longer file is refused (write CSV for it) before anything
replaces the target: at once where the file's lines say so (``engine.csv_rows.rows_at_least``),
else when the rows pass the limit.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pyarrow
import xlsxwriter
import xlsxwriter.exceptions

from openfisca_kz_epr.audit.file_format import AMOUNTS
from openfisca_kz_epr.audit.summary import Tiyn
from openfisca_kz_epr.language import Message, MessageError
from openfisca_kz_epr.money import tenge

MAX_ROWS = 1_048_575  # Excel's rows, less the header
WORKBOOK_SUFFIX = ".xlsx"
_REPORT_AMOUNTS = ("expected_payment", "difference", "goods_payment", "packaging_payment", "operator_payment",
                   "operator_difference")


class WorkbookTooLong(MessageError):
    """More rows than a workbook holds."""


def refuse_too_long(rows: int) -> None:
    """Raise ``WorkbookTooLong`` if ``rows`` rows of data are more than a workbook holds."""
    if rows > MAX_ROWS:
        raise WorkbookTooLong(Message("a workbook holds at most {rows} rows and the file has more: write the report as CSV",
                                      rows=f"{MAX_ROWS:,}"))


class WorkbookReport:
    """Rows appended to the sheet «lines» chunk by chunk; ``close`` adds «summary» and saves."""

    def __init__(self, path: str, names: list[str], canonical: dict[str, str], added: tuple[str, ...], language,
                 scratch: str) -> None:
        """``scratch``: the folder for xlsxwriter's temporary files (``output_files.scratch``)."""
        self.book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False,
                                              "strings_to_formulas": False, "strings_to_urls": False, "tmpdir": scratch})
        self.sheet = self.book.add_worksheet("lines")
        self.day = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.amount = self.book.add_format({"num_format": "#,##0.00"})
        bold = self.book.add_format({"bold": True})
        self.kinds = [("day" if canonical.get(name) == "date" else "number" if canonical.get(name) in AMOUNTS else "text")
                      for name in names]
        self.kinds += ["amount" if name in _REPORT_AMOUNTS else "text" for name in added]
        self.language = language
        header = list(names) + [language.t(name) for name in added]
        self.sheet.write_row(0, 0, header, bold)
        self.sheet.freeze_panes(1, 0)
        self.sheet.autofilter(0, 0, 0, len(header) - 1)
        self.row = 0

    def write(self, report: pyarrow.Table, columns: dict, canonical: dict[str, str]) -> None:
        """Append the rows of ``report`` (the file's cells, then the report's columns); a day or a
        number of the file is typed from ``columns`` (the model's columns, read: ISO days, points)."""
        refuse_too_long(self.row + report.num_rows)
        values = []
        for index, name in enumerate(report.column_names):
            kind = self.kinds[index]
            written = report.column(name).to_pylist()
            if kind in ("day", "number"):  # typed where the cell reads as one, else kept as written
                read = (_typed(cell, kind) for cell in columns[canonical[name]].to_pylist())
                values.append([typed if isinstance(typed, (datetime.date, float)) else cell for typed, cell in zip(read, written)])
            else:
                values.append([_typed(cell, kind) for cell in written])
        for cells in zip(*values):
            self.row += 1
            for column, cell in enumerate(cells):
                if cell is None or cell == "":
                    continue
                kind = self.kinds[column]
                if isinstance(cell, datetime.date):
                    self.sheet.write_datetime(self.row, column, datetime.datetime.combine(cell, datetime.time()), self.day)
                elif isinstance(cell, float):
                    self.sheet.write_number(self.row, column, cell, self.amount if kind == "amount" else None)
                else:
                    self.sheet.write_string(self.row, column, str(cell))

    def close(self, summary, source: str, tolerance_tiyn: int) -> None:
        """Write the sheet ``summary`` (the blocks of ``Summary.blocks``: the Markdown summary's
        title, sentences, headings and tables, amounts as numbers) and close the workbook."""
        sheet = self.book.add_worksheet("summary")
        bold = self.book.add_format({"bold": True})
        row = 0
        for kind, content in summary.blocks(source, tolerance_tiyn, self.language):
            if kind != "table":
                sheet.write_string(row, 0, content, bold if kind in ("title", "heading") else None)
                row += 2 if kind == "text" else 1
                continue
            sheet.write_row(row, 0, content.header, bold)
            for cells in [*content.rows, *([content.total] if content.total is not None else [])]:
                row += 1
                for column, cell in enumerate(cells):
                    if isinstance(cell, Tiyn):
                        sheet.write_number(row, column, float(tenge(cell)), self.amount)
                    else:
                        sheet.write(row, column, cell, bold if cells is content.total and column == 0 else None)
            row += 2
        try:
            self.book.close()
        except xlsxwriter.exceptions.FileCreateError as error:  # xlsxwriter's wrapping of an OSError (a full disk)
            raise error.args[0] if error.args and isinstance(error.args[0], OSError) else OSError(str(error)) from None


def _typed(cell, kind: str):
    """A cell of kind ``day`` (ISO text), ``number`` (text with a decimal point), ``amount`` (a
    Decimal) as a date or a float where it reads as one; else as it is."""
    if cell is None:
        return None
    if kind == "amount":
        return float(cell) if isinstance(cell, Decimal) else cell
    if kind == "day":
        try:
            return datetime.date.fromisoformat(cell.strip())
        except ValueError:
            return cell
    if kind == "number":
        try:
            value = float(cell)
        except ValueError:
            return cell
        return value if value == value and abs(value) != float("inf") else cell
    return cell
