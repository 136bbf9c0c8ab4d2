"""What looks like a mistake in a declarations file, flagged without changing any figure.

Each flag is a column of the report ('' or the words of the flag) and a count in the summary:

- ``flag_kilograms``: what was paid is, to the tiyn, 1/1 000 of the law's figure (a mass in
  kilograms declared in tonnes?) or 1 000 times it (tonnes declared in kilograms?);
- ``flag_repeated_id``: a ``declaration_id`` seen on an earlier row (its line named);
- ``flag_repeated_vin``: a vehicle identification number (``vin``) seen on an earlier row: the
  payment for a vehicle is once per vehicle (the Method, chapter 2);
- ``flag_code_product``: the customs code names another row of Appendix 1 than the product.

A chunk's flags are sparse (``Flagged``: the rows flagged and their words), as most rows have none.
Repeats are found across the whole file, chunk after chunk: a 64-bit fingerprint of each id seen
so far is kept sorted, with the id and the line it was first seen on, in a file per chunk on disk
(in the run's scratch folder beside the report: memory stays bounded whatever the file's length);
a chunk's ids are looked up by binary search (after a bit filter in memory that leaves out most
new ids), and only equal fingerprints (a repeat, or rarely two ids with the same print) are
compared as text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy
import pyarrow
import pyarrow.compute as pc
import pyarrow.ipc

from openfisca_kz_epr.audit.reconcile import ERROR, Reconciled
from openfisca_kz_epr.engine.arrow_bytes import fingerprints
from openfisca_kz_epr.engine.declarations import texts
from openfisca_kz_epr.language import Language

FLAG_COLUMNS = ("flag_kilograms", "flag_repeated_id", "flag_repeated_vin", "flag_code_product")
_DISAGREE = "disagree: the code is of"
_LARGE = 100_000  # tiyn: 1 000 KZT
_FILTER_BITS = 27  # the repeat filter: one bit per value of a fingerprint's top 27 bits (16 MiB)
_THOUSANDTH = "what was paid is 1/1 000 of the law's figure: a mass in kilograms declared in tonnes?"
_THOUSAND = "what was paid is 1 000 times the law's figure: a mass in tonnes declared in kilograms?"
_REPEATED = "{column} {value} is also on line {line}"
_CODE_PRODUCT = "the customs code names another row of Appendix 1 than the product"


@dataclass(frozen=True)
class Flagged:
    """The rows of a chunk one flag is raised on (increasing) and its words on each."""

    rows: numpy.ndarray
    words: numpy.ndarray

    @classmethod
    def none(cls) -> Flagged:
        return cls(numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=object))


class Flags:
    """The flags of a file, chunk after chunk, and their counts; their words in ``language``."""

    def __init__(self, folder: str, language: Language | None = None) -> None:
        """``folder``: where the ids seen so far are kept (a scratch folder the caller removes)."""
        self.t = (language or Language()).t
        self.seen = {name: _Seen(folder, name, self.t(_REPEATED)) for name in ("declaration_id", "vin")}
        self.counts = dict.fromkeys(FLAG_COLUMNS, 0)

    def of(self, columns: dict, reconciled: Reconciled, lines: numpy.ndarray) -> list[Flagged]:
        """The flags of one chunk (``columns``: the model's columns; ``lines``: each row's line),
        one per ``FLAG_COLUMNS``."""
        size = len(reconciled.status)
        found = [self._kilograms(reconciled),
                 self.seen["declaration_id"].repeats(columns.get("declaration_id"), size, lines, "declaration_id"),
                 self.seen["vin"].repeats(columns.get("vin"), size, lines, "vin"),
                 _code_product(reconciled, self.t(_CODE_PRODUCT))]
        for name, flag in zip(FLAG_COLUMNS, found):
            self.counts[name] += len(flag.rows)
        return found

    def _kilograms(self, reconciled: Reconciled) -> Flagged:
        """Paid to the tiyn 1/1 000 of the law's figure, or 1 000 times it (amounts of at least
        1 000 KZT on the larger side: a small payment is no evidence)."""
        known = reconciled.priced & reconciled.paid_known & (reconciled.expected > 0) & (reconciled.paid > 0)
        expected, paid = reconciled.expected, reconciled.paid
        thousandth = known & (expected >= _LARGE) & (numpy.abs(paid * 1000 - expected) <= 1000)
        thousand = known & (paid >= _LARGE) & (expected < 2**50) & (numpy.abs(paid - expected * 1000) <= 1000)
        rows = numpy.flatnonzero(thousandth | thousand)
        words = numpy.where(thousand[rows], self.t(_THOUSAND), self.t(_THOUSANDTH))
        return Flagged(rows, words.astype(object))


class _Seen:
    """The values of one column seen so far, on disk in ``folder``: per chunk, one Arrow file
    (``{column}.{n}.arrow``) of the fingerprints (``arrow_bytes.fingerprints``) of its values not
    seen before, sorted, with each value and its line. Equal fingerprints are told apart by their
    values. In memory only a filter of one bit per value of a print's top 27 bits (16 MiB): a
    print whose bit no earlier print set is new (most new ids), and is not searched for.
    ``words``: the flag's words, with the fields ``column``, ``value`` and ``line``."""

    def __init__(self, folder: str, column: str, words: str = _REPEATED) -> None:
        self.folder, self.column, self.words = folder, column, words
        self.filter = numpy.zeros(1 << (_FILTER_BITS - 3), dtype=numpy.uint8)
        self.segments: list[str] = []  # the files, chunk after chunk

    def repeats(self, cells, size: int, lines: numpy.ndarray, name: str) -> Flagged:
        """The rows of a chunk (``cells``: its values, None when the file has no such column;
        ``lines``: each row's line) whose value was on an earlier row, and the words naming that
        row's line; the chunk's new values are then added to those seen."""
        if cells is None:
            return Flagged.none()
        values = texts(cells, size)
        if isinstance(values, pyarrow.ChunkedArray):
            values = values.combine_chunks()
        prints = fingerprints(values)
        order = numpy.argsort(prints)
        if pc.any(pc.equal(values, "")).as_py():  # an empty cell repeats nothing
            order = order[pc.not_equal(values, "").to_numpy(zero_copy_only=False)[order]]
        ordered = prints[order]
        suspect = numpy.zeros(len(order), dtype=bool)
        suspect[1:] = ordered[1:] == ordered[:-1]
        suspect[:-1] |= suspect[1:]  # every row of a group of equal prints
        maybe = numpy.flatnonzero(self._filtered(ordered) & ~suspect)  # only these may have been seen
        if len(maybe):
            keys = ordered[maybe]
            for seen in self._segments():
                at = numpy.minimum(numpy.searchsorted(seen["print"], keys), len(seen["print"]) - 1)
                suspect[maybe[seen["print"][at] == keys]] = True
        flagged, words = [], []
        if suspect.any():  # rare: compare the values themselves
            rows = numpy.sort(order[suspect])
            suspects = values.take(rows).to_pylist()
            firsts: dict[str, int] = {}
            for row, value, before in zip(rows.tolist(), suspects, self._lines_of(suspects, prints[rows])):
                earlier = firsts.get(value) if before is None else before
                firsts.setdefault(value, int(lines[row]))
                if earlier is not None:
                    flagged.append(row)
                    words.append(self.words.format(column=name, value=repr(value), line=earlier))
            kept = ~numpy.isin(order, flagged)
            order, ordered = order[kept], ordered[kept]
        if len(ordered):
            self._set_filter(ordered)
            self._spill(ordered, values.take(order), numpy.asarray(lines)[order])
        return Flagged(numpy.array(flagged, dtype=numpy.int64), numpy.array(words, dtype=object))

    def _spill(self, ordered: numpy.ndarray, values: pyarrow.Array, lines: numpy.ndarray) -> None:
        """Write a chunk's new values (their prints ``ordered``, increasing) to a file of their own."""
        path = os.path.join(self.folder, f"{self.column}.{len(self.segments)}.arrow")
        table = pyarrow.table({"print": ordered, "value": values, "line": lines.astype(numpy.int64)})
        with pyarrow.OSFile(path, "wb") as sink, pyarrow.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        self.segments.append(path)

    def _segments(self):
        """Each chunk's file in turn, memory-mapped (one at a time): ``print`` (numpy), ``value``, ``line``."""
        for path in self.segments:
            table = pyarrow.ipc.open_file(pyarrow.memory_map(path)).read_all()
            yield {"print": table.column("print").chunk(0).to_numpy(), "value": table.column("value"),
                   "line": table.column("line").chunk(0).to_numpy()}

    def _filtered(self, ordered: numpy.ndarray) -> numpy.ndarray:
        """Whether the filter's bit of each print is set (a print seen before has it set)."""
        bit = ordered >> numpy.uint64(64 - _FILTER_BITS)
        return ((self.filter[bit >> numpy.uint64(3)] >> (bit & numpy.uint64(7)).astype(numpy.uint8)) & 1).astype(bool)

    def _set_filter(self, ordered: numpy.ndarray) -> None:
        """Set the filter's bits of the prints ``ordered`` (increasing: the bits of one byte are
        together, OR-ed at once)."""
        bit = ordered >> numpy.uint64(64 - _FILTER_BITS)
        byte = bit >> numpy.uint64(3)
        starts = numpy.flatnonzero(numpy.concatenate([[True], byte[1:] != byte[:-1]]))
        masks = numpy.left_shift(numpy.uint8(1), (bit & numpy.uint64(7)).astype(numpy.uint8))
        self.filter[byte[starts]] |= numpy.bitwise_or.reduceat(masks, starts)

    def _lines_of(self, values: list[str], prints: numpy.ndarray) -> list[int | None]:
        """The line each of ``values`` (with their ``prints``) was first seen on, None for a value
        not seen before (an equal fingerprint may be another value)."""
        found: list[int | None] = [None] * len(values)
        for seen in self._segments():
            left = numpy.searchsorted(seen["print"], prints, side="left")
            right = numpy.searchsorted(seen["print"], prints, side="right")
            for index in numpy.flatnonzero(right > left).tolist():
                if found[index] is None:
                    for at in range(left[index], right[index]):
                        if seen["value"][at].as_py() == values[index]:
                            found[index] = int(seen["line"][at])
                            break
        return found


def _code_product(reconciled: Reconciled, words: str) -> Flagged:
    """The error rows whose reason says the customs code and the product disagree."""
    errors = numpy.flatnonzero(reconciled.status == ERROR)
    reasons = pyarrow.array(reconciled.error[errors], pyarrow.string())
    disagree = pc.and_(pc.match_substring(reasons, _DISAGREE), pc.match_substring(reasons, "customs_code"))
    rows = errors[disagree.to_numpy(zero_copy_only=False)]
    return Flagged(rows.astype(numpy.int64), numpy.full(len(rows), words, dtype=object))
