"""The audit's summary: rows per status, and the totals paid against expected per producer,
per product and per year, summed exactly in tiyn over the rows without error."""

from __future__ import annotations

import numpy
import pyarrow

from openfisca_kz_epr.audit.reconcile import ERROR, STATUSES, Reconciled
from openfisca_kz_epr.engine.declarations import texts
from openfisca_kz_epr.language import Language
from openfisca_kz_epr.money import tenge
from openfisca_kz_epr.products import Product

DIMENSIONS = ("producer", "product", "year")
_KEY_COLUMNS = {"producer": "producer_id", "product": "product"}
_PAID, _EXPECTED = len(STATUSES), len(STATUSES) + 1  # after the row count of each status
_PRODUCT_ORDER = {member.name: index for index, member in enumerate(Product)}


class Summary:
    """Totals gathered chunk by chunk: for each dimension, key → [rows per status…, paid, expected]."""

    def __init__(self) -> None:
        self.totals = {dimension: {} for dimension in DIMENSIONS}
        self.flags: dict[str, int] = {}  # rows per flag (``audit.flags``), once the file is read
        self.layout = None  # the operator's report the file was read as (``operator_layouts.Layout``), if one

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
        amounts = {}
        for name, given in (("paid", reconciled.paid), ("expected", reconciled.expected)):
            amount = numpy.where(counted, given, 0)
            amounts[f"{name}_high"], amounts[f"{name}_low"] = amount >> 32, amount & 0xFFFFFFFF
        keys = {dimension: texts(columns.get(column), size) for dimension, column in _KEY_COLUMNS.items()}
        keys["year"] = reconciled.year
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

    def counts(self) -> dict[str, int]:
        """Rows per status."""
        return {status: sum(total[index] for total in self.totals["year"].values()) for index, status in enumerate(STATUSES)}

    def markdown(self, source: str, tolerance_tiyn: int, language: Language | None = None) -> str:
        """The summary as Markdown, in ``language`` (English by default)."""
        t = (language or Language()).t
        counts = self.counts()
        lines = [
            f"# {t('EPR audit summary')}",
            "",
            t("Declarations: {source}; {rows} rows; a row is ok when what was paid is within {tolerance} KZT of what the law "
              "gives.").format(source=f"`{source}`", rows=sum(counts.values()), tolerance=tenge(tolerance_tiyn)),
            "",
            *([t("Read as the operator portal's report «{title}» ({name}): its columns as operator_layouts.yaml reads them.")
               .format(title=self.layout.title, name=self.layout.name), ""] if self.layout else []),
            f"| {t('status')} | {t('rows')} |",
            "| --- | ---: |",
            *(f"| {t('status ' + status)} | {count} |" for status, count in counts.items()),
            "",
            t("Amounts are in KZT, summed over the rows without error; the difference is paid − expected."),
        ]
        if self.flags:
            lines += ["", f"## {t('Flags (what looks like a mistake; no figure changed)')}", "",
                      f"| {t('flag')} | {t('rows')} |", "| --- | ---: |",
                      *(f"| {t(flag)} | {count} |" for flag, count in self.flags.items())]
        language = language or Language()
        for dimension in DIMENSIONS:
            lines += ["", f"## {t('Per ' + dimension)}", "", _table_header(dimension, t)]
            for key, total in sorted(self.totals[dimension].items(), key=lambda item: order(dimension, item[0])):
                lines.append(_table_row(label(dimension, key), total, language))
            lines.append(_table_row(f"**{t('total')}**", [sum(column) for column in zip(*self.totals[dimension].values())]
                                    or [0] * (len(STATUSES) + 2), language))
        return "\n".join(lines) + "\n"


def _table_header(dimension: str, t) -> str:
    head = [t(dimension), t("rows"), *(t("status " + status) for status in STATUSES), t("paid"), t("expected"), t("difference")]
    return "| " + " | ".join(head) + " |\n|" + " --- |" + " ---: |" * (len(head) - 1)


def _table_row(label: str, total: list[int], language: Language) -> str:
    paid, expected = total[_PAID], total[_EXPECTED]
    cells = [label, sum(total[: len(STATUSES)]), *total[: len(STATUSES)], *(language.amount(t) for t in (paid, expected, paid - expected))]
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def order(dimension: str, key):
    if dimension == "year":
        return (key < 0, key)
    if dimension == "product":
        return (_PRODUCT_ORDER.get(key, len(_PRODUCT_ORDER)), key)
    return (key == "", key)


def label(dimension: str, key) -> str:
    if dimension == "year":
        return "(no date)" if key < 0 else str(key)
    return key.replace("|", "\\|") if key else "(none)"
