"""engine.arrow_texts.strings: the texts of an object array as Arrow strings, the same array
``pyarrow.array`` makes, however the texts repeat."""

import numpy
import pyarrow
import pytest

from openfisca_kz_epr.engine.arrow_texts import MOST_DISTINCT, strings

SHARED = numpy.array(["", "order_762_2015;order_448_2021", "confirmed", "Ж€😀", None], dtype=object)
PICKS = numpy.random.default_rng(23).integers(0, len(SHARED), 3 * MOST_DISTINCT)


@pytest.mark.parametrize("values", [
    SHARED[PICKS],  # few objects shared by many cells: read once each
    SHARED[PICKS][::3],  # a strided view
    numpy.array([f"line {i}" for i in range(2 * MOST_DISTINCT)], dtype=object),  # a text per cell
    numpy.array([f"line {i % 7}" for i in range(2 * MOST_DISTINCT)], dtype=object),  # equal texts, distinct objects
    numpy.full(MOST_DISTINCT + 1, None, dtype=object),
    SHARED[:3],
    numpy.array([], dtype=object),
], ids=["shared", "strided", "distinct", "equal-not-shared", "all-none", "few-cells", "empty"])
def test_strings_are_pyarrow_s(values):
    got, want = strings(values), pyarrow.array(values, pyarrow.string())
    assert got.type == pyarrow.string()
    assert got.to_pylist() == want.to_pylist() == list(values)
    assert got.null_count == sum(value is None for value in values)


def test_a_cell_not_text_is_refused_as_pyarrow_refuses_it():
    values = SHARED[PICKS].copy()
    values[5] = 3.5
    with pytest.raises(pyarrow.ArrowException):
        pyarrow.array(values, pyarrow.string())
    with pytest.raises(pyarrow.ArrowException):
        strings(values)
