"""Cells a spreadsheet would run as a formula, neutralised as OWASP recommends.

A report cell that comes from a declarant (any input column carried through) and starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a leading ``'``, so that
Excel or LibreOffice shows it as text instead of running it (OWASP, "CSV Injection"). A cell
that is a plain number (``-5``, ``+3.25``, ``-1e3``) is left as it is: a spreadsheet reads it
as a number, not a formula.
"""

from __future__ import annotations

import pyarrow
import pyarrow.compute as pc

from openfisca_kz_epr.engine.arrow_bytes import starts_with_any

_RISKY_FIRST = pyarrow.array(["=", "+", "-", "@", "\t", "\r"])
_RISKY_BYTES = "".join(_RISKY_FIRST.to_pylist()).encode()
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def neutralised(cells: pyarrow.Array | pyarrow.ChunkedArray) -> pyarrow.Array | pyarrow.ChunkedArray:
    """``cells`` (strings) with every formula-like cell prefixed by ``'``; the same array when
    none is (the common case costs one look at each cell's first byte)."""
    if not starts_with_any(cells, _RISKY_BYTES):
        return cells
    risky = pc.is_in(pc.utf8_slice_codeunits(cells, 0, 1), value_set=_RISKY_FIRST)
    formula = pc.and_(risky, pc.invert(pc.match_substring_regex(cells, _NUMBER)))
    return pc.if_else(formula, pc.binary_join_element_wise("'", cells, ""), cells)


def neutralised_text(cell: str | None) -> str | None:
    """One cell, as ``neutralised`` treats each cell."""
    if cell is None:
        return None
    return neutralised(pyarrow.array([cell], pyarrow.string()))[0].as_py()
