"""Customs codes (ТН ВЭД ЕАЭС) as a line's key: the code a declarant writes (``8471300000``)
mapped to the row of Appendix 1 that prices it (``eee_medium``).

The map is law as data: ``legislation_refs/customs_codes/list_2015.yaml``, built from the copy of
the EPR operator's table ref_tn_code (act ``evidence_operator_ref_tn_code_2022``) by
``tools/build_customs_codes.py``. A declared code takes the row of the longest code of the map
that begins it. The map is dated: the 2015 List (Order 695) until 15.01.2023, then the same
codes, ``inferred``, under the new List (Order 689), whose codes were not found.

Shapes: codes are pyarrow or numpy arrays of strings, one per line ('' where none is given);
rows are ``Product`` indices (``NO_CODE`` where no code is given, ``NOT_LISTED`` where the code is
malformed or not in the List as known).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache

import numpy
import pyarrow
import pyarrow.compute as pc

from openfisca_kz_epr.language import Said
from openfisca_kz_epr.law.values import NotCovered, as_date
from openfisca_kz_epr.products import Product
from openfisca_kz_epr.resources import LEGISLATION_REFS_DIR, read_yaml

MAP_FILE = LEGISLATION_REFS_DIR / "customs_codes" / "list_2015.yaml"
SHORTEST, LONGEST = 4, 10
NO_CODE = -1
NOT_LISTED = -2
_FORM = r"^\d{4,10}$"
_SEPARATORS = r"[\s.]"  # spaces (a non-breaking one too) and dots are tolerated: 8471 30 000 0, 8471.30.000.0


@dataclass(frozen=True)
class CodeList:
    """The customs codes of the List in force from ``since``: where they come from and how sure we are."""

    since: datetime.date
    list_act: str
    source: str
    confidence: str
    note: str

    @property
    def acts(self) -> tuple[str, ...]:
        """The List whose codes these are, and the source of the map."""
        return (self.list_act, self.source)


@cache
def _map() -> dict:
    with MAP_FILE.open(encoding="utf-8") as file:
        return read_yaml(file)


def code_list_on(day) -> CodeList:
    """The code list in force on ``day``; ``NotCovered`` before the first."""
    day = as_date(day)
    data = _map()
    starts = sorted(as_date(key) for key in data["periods"])
    in_force = [start for start in starts if start <= day]
    if not in_force:
        raise NotCovered(Said("the customs codes of the List start on {day}", day=starts[0]))
    period = data["periods"][in_force[-1].isoformat()]
    return CodeList(in_force[-1], period["list"], data["source"], period["confidence"], period["note"])


@cache
def _by_length() -> dict[int, tuple[pyarrow.Array, numpy.ndarray]]:
    """The map's codes by length: (codes, their rows as Product indices). Every period of the
    map has the same codes (the new List's were not found)."""
    index = {member.name: member.index for member in Product}
    grouped: dict[int, list[tuple[str, int]]] = {}
    for code, row in _map()["codes"].items():
        grouped.setdefault(len(code), []).append((code, index[row]))
    return {length: (pyarrow.array([c for c, _ in pairs]), numpy.array([r for _, r in pairs], dtype=numpy.int16))
            for length, pairs in grouped.items()}


def as_strings(cells) -> pyarrow.Array | pyarrow.ChunkedArray:
    """Cells (a sequence, a numpy array or a pyarrow array) as a pyarrow array of strings, as written."""
    if isinstance(cells, (pyarrow.Array, pyarrow.ChunkedArray)):
        return cells.cast(pyarrow.string())
    return pyarrow.array(cells, pyarrow.string())


def normalise(cells) -> tuple[pyarrow.Array, numpy.ndarray, numpy.ndarray]:
    """``cells`` (strings, '' or None for none) as (codes without spaces or dots, given, well_formed).

    ``given``: a code was written; ``well_formed``: it is 4 to 10 digits once spaces and dots are
    taken out."""
    cells = pc.fill_null(as_strings(cells), "")
    codes = pc.replace_substring_regex(cells, _SEPARATORS, "")
    given = pc.not_equal(codes, "").to_numpy(zero_copy_only=False)
    well_formed = pc.match_substring_regex(codes, _FORM).to_numpy(zero_copy_only=False)
    return codes, given, well_formed


def rows_of(codes: pyarrow.Array, day=None) -> numpy.ndarray:
    """The row (a ``Product`` index) of each normalised code on ``day`` by its longest listed
    prefix; ``NOT_LISTED`` where no code of the list begins it, ``NO_CODE`` for ''. Raises
    ``NotCovered`` for a day before the map starts; without a day, the map's codes (the same in
    every period) are read whatever the day."""
    if day is not None:
        code_list_on(day)
    result = numpy.where(pc.equal(codes, "").to_numpy(zero_copy_only=False), NO_CODE, NOT_LISTED).astype(numpy.int16)
    lengths = pc.utf8_length(codes).to_numpy(zero_copy_only=False)
    open_ = result == NOT_LISTED
    for length, (listed, rows) in sorted(_by_length().items(), reverse=True):
        candidates = open_ & (lengths >= length)
        if not candidates.any():
            continue
        found = pc.index_in(pc.utf8_slice_codeunits(codes, 0, length), value_set=listed)
        position = pc.fill_null(found, -1).to_numpy(zero_copy_only=False)
        hit = candidates & (position >= 0)
        result[hit] = rows[position[hit]]
        open_ &= ~hit
    return result


def listed_code(code: str) -> str | None:
    """The longest code of the map that begins the normalised ``code`` (None if none does)."""
    listed = _map()["codes"]
    return next((code[:length] for length in range(min(len(code), LONGEST), SHORTEST - 1, -1)
                 if code[:length] in listed), None)


def codes() -> dict[str, str]:
    """Every code of the map → the row of Appendix 1 it names (a ``Product`` name)."""
    return _map()["codes"]
