"""Texts of a numpy object array as an Arrow string array, read once per distinct text object.

``pyarrow.array(values, pyarrow.string())`` reads the characters of every cell (about 100 ns a
cell: a third of a second for the three text columns of a million priced lines). The texts the
Method gives each line (its problem, acts, confidence) are a few objects shared by many cells,
and the cells of an object array are pointers to their objects: ``strings`` groups the cells by
pointer (``pyarrow.compute.dictionary_encode`` of the pointers, an integer hash), converts each
distinct object once and takes them by index. The pointers are read while the array holds its
objects (inside the call), so each one names a live object. Where most cells are distinct
objects (a text made per line) it is ``pyarrow.array`` itself.
"""

from __future__ import annotations

import ctypes

import numpy
import pyarrow
import pyarrow.compute as pc

MOST_DISTINCT = 4096  # distinct objects converted one by one at most; more: pyarrow.array reads every cell
_LARGEST = 2**31 - 1  # bytes a string array holds (int32 offsets)


def strings(values: numpy.ndarray) -> pyarrow.Array:
    """``values`` (a 1-D numpy array of str or None objects) as a ``pyarrow.string()`` array,
    None null: what ``pyarrow.array(values, pyarrow.string())`` gives (and raises)."""
    if values.dtype != object or values.ndim != 1 or len(values) <= MOST_DISTINCT:
        return pyarrow.array(values, pyarrow.string())
    values = numpy.ascontiguousarray(values)
    pointers = numpy.ctypeslib.as_array((ctypes.c_size_t * len(values)).from_address(values.ctypes.data))
    encoded = pc.dictionary_encode(pyarrow.array(pointers))
    if len(encoded.dictionary) > MOST_DISTINCT:
        return pyarrow.array(values, pyarrow.string())
    distinct = pyarrow.array([ctypes.cast(pointer, ctypes.py_object).value for pointer in encoded.dictionary.to_pylist()],
                             pyarrow.string())
    longest = pc.max(pc.binary_length(distinct)).as_py() or 0
    if longest * len(values) > _LARGEST:  # may not fit one array: as pyarrow.array splits it
        return pyarrow.array(values, pyarrow.string())
    return pc.take(distinct, encoded.indices)
