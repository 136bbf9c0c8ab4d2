"""A parameter per line: the child of a parameter node named by each line's row.

OpenFisca's vectorial indexing (``node[names]``) needs every name to have a value on the day;
a row whose value is not known (``null``) or not yet in force has none. ``per_row`` indexes
the node with the names of the rows that have one, once per row used, and gives ``money.NOT_KNOWN``
to the others.
"""

import numpy

from openfisca_kz_epr.money import NOT_KNOWN
from openfisca_kz_epr.products import Product

ROW_NAMES = numpy.array([member.name for member in Product])


def value_or_not_known(node, name: str) -> float:
    """The value of ``node``'s child ``name`` on the day, or ``NOT_KNOWN`` where it has none (not known, or
    not yet in force): ``epr_problem`` and the web API then say why from the parameter's note."""
    if name not in node:  # a parameter node at an instant (traced or not) has no get()
        return NOT_KNOWN
    return node[name]


def per_row(node, rows) -> numpy.ndarray:
    """float64 per line: the value of ``node``'s child named by the line's row (``rows``: Product
    indices; a negative index is no row), ``NOT_KNOWN`` where there is no row or no value on the day."""
    rows = numpy.asarray(rows).view(numpy.ndarray)
    lines = rows >= 0
    if not lines.any():
        return numpy.full(len(rows), NOT_KNOWN)
    table = numpy.full(len(ROW_NAMES) + 1, NOT_KNOWN)  # the last slot: no row
    used = numpy.flatnonzero(numpy.bincount(rows[lines], minlength=len(ROW_NAMES)))
    names = [name for name in ROW_NAMES[used] if name in node]
    if names:
        table[[Product[name].index for name in names]] = node[numpy.array(names)]
    return table[numpy.where(lines, rows, len(ROW_NAMES))]
