"""What looks like a mistake in a declarations file, flagged without changing any figure.

Each flag is a column of the report ('' or the words of the flag) and a count in the summary:

- ``flag_kilograms``: what was paid is 1/1 000 of the law's figure (a mass in kilograms declared
  in tonnes?) or 1 000 times it (tonnes declared in kilograms?), within the tolerance;
- ``flag_repeated_id``: a ``declaration_id`` seen on an earlier row (its line named);
- ``flag_repeated_vin``: a vehicle identification number (``vin``) seen on an earlier row: the
  payment for a vehicle is once per vehicle (the Method, chapter 2);
- ``flag_code_product``: the customs code names another row of Appendix 1 than the product.

Repeats are found across the whole file, chunk after chunk: the ids seen so far are kept as a
pyarrow array (with the line each was first seen on), looked up with a hash set per chunk.
"""

from __future__ import annotations

import numpy
import pyarrow
import pyarrow.compute as pc

from openfisca_kz_epr.audit.reconcile import ERROR, Reconciled
from openfisca_kz_epr.engine.declarations import texts

FLAG_COLUMNS = ("flag_kilograms", "flag_repeated_id", "flag_repeated_vin", "flag_code_product")
_DISAGREE = "disagree: the code is of"


class Flags:
    """The flags of a file, chunk after chunk, and their counts."""

    def __init__(self, tolerance_tiyn: int) -> None:
        self.tolerance_tiyn = tolerance_tiyn
        self.seen = {"declaration_id": _Seen(), "vin": _Seen()}
        self.counts = dict.fromkeys(FLAG_COLUMNS, 0)

    def of(self, columns: dict, reconciled: Reconciled, lines: numpy.ndarray) -> list[numpy.ndarray]:
        """The flags of one chunk (``columns``: the model's columns; ``lines``: each row's line),
        one object array per ``FLAG_COLUMNS``."""
        size = len(reconciled.status)
        found = [self._kilograms(reconciled),
                 self.seen["declaration_id"].repeats(columns.get("declaration_id"), size, lines, "declaration_id"),
                 self.seen["vin"].repeats(columns.get("vin"), size, lines, "vin"),
                 _code_product(reconciled)]
        for name, flag in zip(FLAG_COLUMNS, found):
            self.counts[name] += int((flag != "").sum())
        return found

    def _kilograms(self, reconciled: Reconciled) -> numpy.ndarray:
        flag = numpy.full(len(reconciled.status), "", dtype=object)
        known = reconciled.priced & reconciled.paid_known & (reconciled.expected > 0) & (reconciled.paid > 0)
        expected, paid, tolerance = reconciled.expected, reconciled.paid, self.tolerance_tiyn
        thousandth = known & (numpy.abs(paid * 1000 - expected) <= 1000 * max(tolerance, 1))
        thousand = known & (numpy.abs(paid - expected * 1000) <= 1000 * max(tolerance, 1)) & (expected < 2**50)
        flag[thousandth] = "what was paid is 1/1 000 of the law's figure: a mass in kilograms declared in tonnes?"
        flag[thousand] = "what was paid is 1 000 times the law's figure: a mass in tonnes declared in kilograms?"
        return flag


class _Seen:
    """The values of one column seen so far, with the line each was first seen on."""

    def __init__(self) -> None:
        self.values = pyarrow.array([], pyarrow.string())
        self.lines = numpy.zeros(0, dtype=numpy.int64)

    def repeats(self, cells, size: int, lines: numpy.ndarray, name: str) -> numpy.ndarray:
        flag = numpy.full(size, "", dtype=object)
        if cells is None:
            return flag
        values = texts(cells, size)
        if isinstance(values, pyarrow.ChunkedArray):
            values = values.combine_chunks()
        given = pc.not_equal(values, "")
        written = values.filter(given)
        # the usual case, no repeat, checked with hash sets of this chunk only (the ids seen grow)
        seen_before = len(self.values) and pc.any(pc.is_in(self.values, value_set=written)).as_py()
        if not seen_before and len(pc.unique(written)) == len(written):
            self._add(written, lines[given.to_numpy(zero_copy_only=False)])
            return flag
        given = given.to_numpy(zero_copy_only=False)
        codes = values.dictionary_encode().indices.to_numpy(zero_copy_only=False)
        _, first, inverse = numpy.unique(codes, return_index=True, return_inverse=True)
        later = numpy.ones(size, dtype=bool)
        later[first] = False  # a value's first row in the chunk
        first_line = lines[first[inverse.reshape(-1)]]
        position = pc.index_in(values, value_set=self.values).to_numpy(zero_copy_only=False) if len(self.values) else None
        before = numpy.zeros(size, dtype=bool) if position is None else ~numpy.isnan(position.astype(float))
        if before.any():
            first_line = numpy.where(before, self.lines[numpy.nan_to_num(position.astype(float)).astype(numpy.int64)], first_line)
        for i in numpy.flatnonzero(given & (later | before)).tolist():
            flag[i] = f"{name} {values[i].as_py()!r} is also on line {first_line[i]}"
        new = given & ~later & ~before
        self._add(values.filter(pyarrow.array(new)), lines[new])
        return flag

    def _add(self, values, lines) -> None:
        self.values = pyarrow.concat_arrays([self.values, values])
        self.lines = numpy.concatenate([self.lines, lines])


def _code_product(reconciled: Reconciled) -> numpy.ndarray:
    flag = numpy.full(len(reconciled.status), "", dtype=object)
    errors = numpy.flatnonzero(reconciled.status == ERROR)
    for i in errors.tolist():
        if _DISAGREE in reconciled.error[i] and "customs_code" in reconciled.error[i]:
            flag[i] = "the customs code names another row of Appendix 1 than the product"
    return flag
