"""The audit's summary: rows per status, and the totals paid against expected per producer,
per product and per year, summed exactly in tiyn over the rows without error."""

from __future__ import annotations

from dataclasses import dataclass

import numpy
import pyarrow
import pyarrow.compute as pc

from openfisca_kz_epr.audit.reconcile import ERROR, STATUSES, Reconciled
from openfisca_kz_epr.engine.declarations import texts
from openfisca_kz_epr.language import Language, Message
from openfisca_kz_epr.products import Product

DIMENSIONS = ("producer", "product", "year")
_PRODUCT_KEYS = pyarrow.array([member.name for member in Product], pyarrow.string())
_UNSPECIFIED = Product.unspecified.index
_PAID, _EXPECTED = len(STATUSES), len(STATUSES) + 1  # after the row count of each status
_PRODUCT_ORDER = {member.name: index for index, member in enumerate(Product)}


class Summary:
    """Totals gathered chunk by chunk: for each dimension, key → [rows per status…, paid, expected]."""

    def __init__(self) -> None:
        self.totals = {dimension: {} for dimension in DIMENSIONS}
        self.flags: dict[str, int] = {}  # rows per flag (``audit.flags``), once the file is read
        self.layout = None  # the operator's report the file was read as (``operator_layouts.Layout``), if one
        self.assumed: list[str] = []  # the values assumed for the run (``reforms.assumptions``), said first
        self.relieved: dict[str, list[int]] = {}  # why nothing is owed on a part (art. 386) → [rows, tiyn, rows not known]
        self.title_lines = 0  # lines above the header found by the audit (a title), skipped

    def add(self, columns: dict, reconciled: Reconciled) -> None:
        """Count the rows of one chunk (``columns``: its cells; ``reconciled``: their results).

        Amounts are summed exactly by pyarrow in int64: each is split into its high and low 32
        bits, whose sums over fewer than 2^20 rows cannot overflow.
        """
        size = len(reconciled.status)
        if not size:
            return
        if size >= 2**20:
            raise ValueError("a chunk of the summary has at most 2^20 rows")
        counted = reconciled.status != ERROR
        if reconciled.relief is not None:
            self._add_relieved(reconciled.relief, reconciled.relieved, counted)
        amounts = {}
        for name, given in (("paid", reconciled.paid), ("expected", reconciled.expected)):
            amount = numpy.where(counted, given, 0)
            amounts[f"{name}_high"], amounts[f"{name}_low"] = amount >> 32, amount & 0xFFFFFFFF
        keys = {"producer": texts(columns.get("producer_id"), size), "product": _products(columns, reconciled, size),
                "year": reconciled.year}
        for dimension, key in keys.items():
            table = pyarrow.table({"key": key, "status": reconciled.status, **amounts})
            grouped = table.group_by(["key", "status"]).aggregate([(name, "sum") for name in amounts] + [("status", "count")])
            found = self.totals[dimension]
            names = ["key", "status", "status_count", *(f"{name}_sum" for name in amounts)]
            for key_, status, rows, paid_high, paid_low, expected_high, expected_low in zip(
                *(grouped.column(name).to_pylist() for name in names)
            ):
                total = found.setdefault(key_, [0] * (len(STATUSES) + 2))
                total[status] += rows
                total[_PAID] += (paid_high << 32) + paid_low
                total[_EXPECTED] += (expected_high << 32) + expected_low

    def _add_relieved(self, relief: numpy.ndarray, relieved: numpy.ndarray, counted: numpy.ndarray) -> None:
        """Count the rows a claim under art. 386 relieves, by reason, with what the Method would
        charge on them (where its rate is known)."""
        rows = numpy.flatnonzero(counted & (relief != ""))
        for reason in numpy.unique(relief[rows]).tolist():
            of_reason = relieved[rows[relief[rows] == reason]]
            total = self.relieved.setdefault(reason, [0, 0, 0])
            total[0] += len(of_reason)
            total[1] += int(of_reason[of_reason >= 0].sum())
            total[2] += int((of_reason < 0).sum())

    def preamble(self, source: str, tolerance_tiyn: int, language: Language) -> list[str]:
        """The sentences before the tables: the values assumed for the run, if any; the file, its
        rows and the tolerance; the operator's report it was read as, if one."""
        sentences = [Message("Priced with values assumed for this run, not law: {values}.",
                             values=", ".join(self.assumed)).said(language)] if self.assumed else []
        sentences += [Message("Declarations: {source}; {rows} rows; a row is ok when what was paid is within {tolerance} KZT of "
                             "what the law gives.", source=source, rows=sum(self.counts().values()),
                             tolerance=language.amount(tolerance_tiyn)).said(language)]
        if self.layout:
            sentences.append(Message("Read as the operator portal's report «{title}» ({name}): its columns as "
                                     "operator_layouts.yaml reads them.", title=self.layout.title,
                                     name=self.layout.name).said(language))
        return sentences

    def counts(self) -> dict[str, int]:
        """Rows per status."""
        return {status: sum(total[index] for total in self.totals["year"].values()) for index, status in enumerate(STATUSES)}

    def blocks(self, source: str, tolerance_tiyn: int, language: Language) -> list[tuple]:
        """The summary as blocks, in ``language``, for any form (``markdown``, the workbook's
        sheet): ``("title", text)``, ``("heading", text)``, ``("text", text)`` and ``("table",
        Table)``."""
        t = language.t
        blocks = [("title", t("EPR audit summary")), *(("text", text) for text in self.preamble(source, tolerance_tiyn, language)),
                  ("table", Table([t("status"), t("rows")], [[t("status " + status), count]
                                                            for status, count in self.counts().items()])),
                  ("text", t("Amounts are in KZT, summed over the rows without error; the difference is paid − expected."))]
        if self.relieved:
            blocks += [("heading", t("Nothing owed under art. 386 of the Environmental Code, by reason")),
                       ("table", Table([t("reason"), t("rows"), t("not owed"), t("rows whose rate is not known")],
                                       [[reason, rows, Tiyn(tiyn), unknown] for reason, (rows, tiyn, unknown)
                                        in sorted(self.relieved.items())]))]
        if self.flags:
            blocks += [("heading", t("Flags (what looks like a mistake; no figure changed)")),
                       ("table", Table([t("flag"), t("rows")], [[t(flag), count] for flag, count in self.flags.items()]))]
        for dimension in DIMENSIONS:
            found = self.totals[dimension]
            rows = [_cells(label(dimension, key, t), total) for key, total in sorted(found.items(), key=lambda item: order(dimension, item[0]))]
            sums = [sum(column) for column in zip(*found.values())] or [0] * (len(STATUSES) + 2)
            header = [t(dimension), t("rows"), *(t("status " + status) for status in STATUSES), t("paid"), t("expected"),
                      t("difference")]
            blocks += [("heading", t("Per " + dimension)), ("table", Table(header, rows, _cells(t("total"), sums)))]
        return blocks

    def markdown(self, source: str, tolerance_tiyn: int, language: Language | None = None) -> str:
        """The summary as Markdown, in ``language`` (English by default)."""
        language = language or Language()
        lines = []
        for kind, content in self.blocks(f"`{source}`", tolerance_tiyn, language):
            if kind == "table":
                lines += [_markdown_row(content.header), "|" + " --- |" + " ---: |" * (len(content.header) - 1),
                          *(_markdown_row(row, language) for row in content.rows)]
                if content.total is not None:
                    lines.append(_markdown_row([f"**{content.total[0]}**", *content.total[1:]], language))
                lines.append("")
            else:
                lines += [{"title": "# ", "heading": "## ", "text": ""}[kind] + content, ""]
        return "\n".join(lines)


@dataclass
class Table:
    """A table of the summary: its header, its rows and its total row (None: none). A cell is a
    text, a count (int) or an amount (``Tiyn``)."""

    header: list[str]
    rows: list[list]
    total: list | None = None


class Tiyn(int):
    """An amount in tiyn, written as tenge."""


def _cells(label_: str, total: list[int]) -> list:
    """A table row: the label, the rows, the rows per status, paid, expected and the difference."""
    paid, expected = total[_PAID], total[_EXPECTED]
    return [label_, sum(total[: len(STATUSES)]), *total[: len(STATUSES)], Tiyn(paid), Tiyn(expected), Tiyn(paid - expected)]


def _markdown_row(cells: list, language: Language | None = None) -> str:
    shown = [language.amount(cell) if isinstance(cell, Tiyn) else str(cell).replace("|", "\\|") for cell in cells]
    return "| " + " | ".join(shown) + " |"


def _products(columns: dict, reconciled: Reconciled, size: int) -> pyarrow.Array:
    """Each row's product: the key of what it is priced as (declared, or named by its customs
    code), else the product as written ('' if none)."""
    written = texts(columns.get("product"), size)
    found = reconciled.product != _UNSPECIFIED
    if not found.any():
        return written
    return pc.if_else(pyarrow.array(found), pc.take(_PRODUCT_KEYS, pyarrow.array(reconciled.product)), written)


def order(dimension: str, key):
    if dimension == "year":
        return (key < 0, key)
    if dimension == "product":
        return (_PRODUCT_ORDER.get(key, len(_PRODUCT_ORDER)), key)
    return (key == "", key)


def label(dimension: str, key, t=str) -> str:
    """A key of ``dimension`` as a table shows it (``t``: the words in the reader's language)."""
    if dimension == "year":
        return t("(no date)") if key < 0 else str(key)
    return key if key else t("(none)")
