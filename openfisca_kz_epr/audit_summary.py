"""The audit's summary: rows per status, and the totals paid against expected per producer,
per product and per year, summed exactly in tiyn over the rows without error."""

from __future__ import annotations

import numpy
import pyarrow
import pyarrow.compute as pc

from openfisca_kz_epr.declarations import texts
from openfisca_kz_epr.money import tenge
from openfisca_kz_epr.products import Product
from openfisca_kz_epr.reconcile import ERROR, STATUSES, Reconciled

DIMENSIONS = ("producer", "product", "year")
_KEY_COLUMNS = {"producer": "producer_id", "product": "product"}
_PAID, _EXPECTED = len(STATUSES), len(STATUSES) + 1  # after the row count of each status
_PRODUCT_ORDER = {member.name: index for index, member in enumerate(Product)}


class Summary:
    """Totals gathered chunk by chunk: for each dimension, key → [rows per status…, paid, expected]."""

    def __init__(self) -> None:
        self.totals = {dimension: {} for dimension in DIMENSIONS}

    def add(self, columns: dict, reconciled: Reconciled) -> None:
        """Count the rows of one chunk (``columns``: its cells; ``reconciled``: their results).

        Amounts are summed exactly with ``numpy.bincount``: each is split into its high and
        low 32 bits, whose sums over fewer than 2^20 rows stay below 2^53, float64's exact range.
        """
        size = len(reconciled.status)
        if not size:
            return
        if size >= 2**20:
            raise ValueError("a chunk of the summary has at most 2^20 rows")
        status = reconciled.status.astype(numpy.int64)
        counted = status != ERROR
        parts = []
        for amount in (reconciled.paid, reconciled.expected):
            amount = numpy.where(counted, amount, 0)
            parts += [(amount >> 32).astype(numpy.float64), (amount & 0xFFFFFFFF).astype(numpy.float64)]
        for dimension, (keys, codes) in self._keys(columns, reconciled, size).items():
            counts = numpy.bincount(codes * len(STATUSES) + status, minlength=len(keys) * len(STATUSES))
            counts = counts.reshape(len(keys), len(STATUSES))
            sums = [numpy.bincount(codes, weights=part, minlength=len(keys)).astype(numpy.int64) for part in parts]
            found = self.totals[dimension]
            for index in numpy.flatnonzero(counts.sum(axis=1)):
                total = found.setdefault(keys[index], [0] * (len(STATUSES) + 2))
                for column, count in enumerate(counts[index]):
                    total[column] += int(count)
                total[_PAID] += (int(sums[0][index]) << 32) + int(sums[1][index])
                total[_EXPECTED] += (int(sums[2][index]) << 32) + int(sums[3][index])

    @staticmethod
    def _keys(columns: dict, reconciled: Reconciled, size: int) -> dict:
        """For each dimension: its keys in this chunk, and each row's index among them."""
        keys = {}
        for dimension, column in _KEY_COLUMNS.items():
            cells = texts(columns.get(column), size)
            encoded = pc.dictionary_encode(cells.combine_chunks() if isinstance(cells, pyarrow.ChunkedArray) else cells)
            keys[dimension] = (encoded.dictionary.to_pylist(), encoded.indices.to_numpy(zero_copy_only=False).astype(numpy.int64))
        first = int(reconciled.year.min())
        keys["year"] = (list(range(first, int(reconciled.year.max()) + 1)), reconciled.year - first)
        return keys

    def counts(self) -> dict[str, int]:
        """Rows per status."""
        return {status: sum(total[index] for total in self.totals["year"].values()) for index, status in enumerate(STATUSES)}

    def markdown(self, source: str, tolerance_tiyn: int) -> str:
        counts = self.counts()
        lines = [
            "# EPR audit summary",
            "",
            f"Declarations: `{source}`; {sum(counts.values())} rows; a row is `ok` when what was paid is within "
            f"{tenge(tolerance_tiyn)} KZT of what the law gives.",
            "",
            "| status | rows |",
            "| --- | ---: |",
            *(f"| {status} | {count} |" for status, count in counts.items()),
            "",
            "Amounts are in KZT, summed over the rows without error; the difference is paid − expected.",
        ]
        for dimension in DIMENSIONS:
            lines += ["", f"## Per {dimension}", "", _table_header(dimension)]
            for key, total in sorted(self.totals[dimension].items(), key=lambda item: _order(dimension, item[0])):
                lines.append(_table_row(_label(dimension, key), total))
            lines.append(_table_row("**total**", [sum(column) for column in zip(*self.totals[dimension].values())]
                                    or [0] * (len(STATUSES) + 2)))
        return "\n".join(lines) + "\n"


def _table_header(dimension: str) -> str:
    head = [dimension, "rows", *STATUSES, "paid", "expected", "difference"]
    return "| " + " | ".join(head) + " |\n|" + " --- |" + " ---: |" * (len(head) - 1)


def _table_row(label: str, total: list[int]) -> str:
    paid, expected = total[_PAID], total[_EXPECTED]
    cells = [label, sum(total[: len(STATUSES)]), *total[: len(STATUSES)], *(f"{tenge(t):,}" for t in (paid, expected, paid - expected))]
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _order(dimension: str, key):
    if dimension == "year":
        return (key < 0, key)
    if dimension == "product":
        return (_PRODUCT_ORDER.get(key, len(_PRODUCT_ORDER)), key)
    return (key == "", key)


def _label(dimension: str, key) -> str:
    if dimension == "year":
        return "(no date)" if key < 0 else str(key)
    return key.replace("|", "\\|") if key else "(none)"
