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
so far is kept sorted (numpy), with the id and the line it was first seen on; a chunk's ids are
looked up by binary search (after a bit filter that leaves out most new ids), and only equal fingerprints (a repeat, or rarely two ids with the
same print) are compared as text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
import pyarrow
import pyarrow.compute as pc

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

    def __init__(self, language: Language | None = None) -> None:
        self.t = (language or Language()).t
        self.seen = {"declaration_id": _Seen(self.t(_REPEATED)), "vin": _Seen(self.t(_REPEATED))}
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
    """The values of one column seen so far: per chunk, their fingerprints
    (``arrow_bytes.fingerprints``) sorted, with each one's row, the chunk's values and lines;
    equal fingerprints are told apart by their values. A filter of one bit per value of a
    print's top 27 bits (16 MiB) leaves out of the search the prints whose bit no earlier print
    set: most new ids. ``words``: the flag's words, with the fields ``column``, ``value`` and ``line``."""

    def __init__(self, words: str = _REPEATED) -> None:
        self.words = words
        self.filter = numpy.zeros(1 << (_FILTER_BITS - 3), dtype=numpy.uint8)
        self.segments: list[tuple[numpy.ndarray, numpy.ndarray, pyarrow.Array, numpy.ndarray]] = []

    def repeats(self, cells, size: int, lines: numpy.ndarray, name: str) -> Flagged:
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
        for seen, *_ in self.segments:
            keys = ordered[maybe]
            at = numpy.minimum(numpy.searchsorted(seen, keys), len(seen) - 1)
            suspect[maybe[seen[at] == keys]] = True
        flagged, words = [], []
        if suspect.any():  # rare: compare the values themselves
            firsts: dict[str, int] = {}
            for row in numpy.sort(order[suspect]).tolist():
                value = values[row].as_py()
                earlier = self._line_of(value, prints[row])
                if earlier is None and value in firsts:
                    earlier = firsts[value]
                firsts.setdefault(value, int(lines[row]))
                if earlier is not None:
                    flagged.append(row)
                    words.append(self.words.format(column=name, value=repr(value), line=earlier))
            kept = ~numpy.isin(order, flagged)
            order, ordered = order[kept], ordered[kept]
        if len(ordered):
            self._set_filter(ordered)
            self.segments.append((ordered, order, values, lines))
        return Flagged(numpy.array(flagged, dtype=numpy.int64), numpy.array(words, dtype=object))

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

    def _line_of(self, value: str, fingerprint) -> int | None:
        """The line ``value`` was first seen on, if it was (an equal fingerprint may be another value)."""
        for seen, rows, values, lines in self.segments:
            left, right = numpy.searchsorted(seen, fingerprint, side="left"), numpy.searchsorted(seen, fingerprint, side="right")
            for row in rows[left:right].tolist():
                if values[row].as_py() == value:
                    return int(lines[row])
        return None


def _code_product(reconciled: Reconciled, words: str) -> Flagged:
    """The error rows whose reason says the customs code and the product disagree."""
    errors = numpy.flatnonzero(reconciled.status == ERROR)
    reasons = pyarrow.array(reconciled.error[errors], pyarrow.string())
    disagree = pc.and_(pc.match_substring(reasons, _DISAGREE), pc.match_substring(reasons, "customs_code"))
    rows = errors[disagree.to_numpy(zero_copy_only=False)]
    return Flagged(rows.astype(numpy.int64), numpy.full(len(rows), words, dtype=object))
