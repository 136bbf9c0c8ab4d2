"""The product column as declarants write it: a key of the model (``tyres``), or the name of a
row of the List in Russian or Kazakh (``шины``, «Каучук, резина и изделия из них»), turned into
its key by the table ``product_names.yaml``.

A name is matched whole (``matched``), never guessed: a name the table does not hold is left as
it is, so the line is priced if it is a key and is otherwise its error, naming the keys. A name
that covers several rows («упаковка») decides nothing: the line's customs code decides, and a
line without one is an error naming the keys to choose from.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy
import pyarrow
import pyarrow.compute as pc

from openfisca_kz_epr.audit.words import plain_words
from openfisca_kz_epr.engine.declarations import texts
from openfisca_kz_epr.resources import read_yaml

NAMES_FILE = Path(__file__).resolve().parent / "product_names.yaml"


def matched(name: str) -> str:
    """A name as it is compared: ``words.plain_words``, no final period."""
    return plain_words(name).rstrip(".")


@functools.cache
def meanings() -> dict[str, str | tuple[str, ...]]:
    """Each name of ``product_names.yaml`` (``matched``) → its key, or the keys of the rows it
    covers. Raises ``ValueError`` for a name given two meanings."""
    with NAMES_FILE.open(encoding="utf-8") as file:
        table = read_yaml(file)
    found: dict[str, str | tuple[str, ...]] = {}
    for section in table.values():
        for name, given in section.items():
            meaning = given if isinstance(given, str) else tuple(given)
            if found.setdefault(matched(name), meaning) != meaning:
                raise ValueError(f"{NAMES_FILE.name}: {name!r} means both {found[matched(name)]} and {meaning}")
    return found


def read(columns: dict, size: int, row_problems: numpy.ndarray | None) -> numpy.ndarray | None:
    """Put each product name of ``columns["product"]`` (``size`` cells) as its key, in place; return
    ``row_problems`` ('' or the reason of each row, or None) with the problem of each row whose name
    covers several rows and that has no customs code."""
    cells = columns.get("product")
    if cells is None:
        return row_problems
    cells = texts(cells, size)
    if isinstance(cells, pyarrow.ChunkedArray):
        cells = cells.combine_chunks()
    encoded = cells.dictionary_encode()
    written = encoded.dictionary.to_pylist()
    found = [meanings().get(matched(word)) if word else None for word in written]
    if not any(found):
        return row_problems
    keys = [word if meaning is None else meaning if isinstance(meaning, str) else "" for word, meaning in zip(written, found)]
    columns["product"] = pc.take(pyarrow.array(keys, pyarrow.string()), encoded.indices)
    several = [index for index, meaning in enumerate(found) if isinstance(meaning, tuple)]
    if not several:
        return row_problems
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    rows = numpy.isin(indices, several)
    codes = columns.get("customs_code")
    if codes is not None:
        rows &= pc.equal(pc.utf8_trim_whitespace(texts(codes, size)), "").to_numpy(zero_copy_only=False)
    if not rows.any():
        return row_problems
    columns["product"] = pc.if_else(pyarrow.array(rows), cells, columns["product"])  # the name as written: the row's error
    problems = numpy.full(size, "", dtype=object) if row_problems is None else row_problems.copy()
    for row in numpy.flatnonzero(rows & (problems == "")).tolist():
        word = written[indices[row]]
        problems[row] = (f"product {word!r} names several rows of the List ({', '.join(found[indices[row]])}): give one of "
                         "these keys, or the customs code")
    return problems
