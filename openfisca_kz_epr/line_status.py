"""How the selection variables say why a line has no row, scale, band or packaging row.

A selection variable (``customs_code_status``, ``vehicle_scale``, ``vehicle_band``,
``packaging_row``) holds, per line, the index it selects (a ``Product`` index, a scale's
index in ``SCALE_KEYS``, a band) or a negative status code naming why there is none; the
variable ``epr_problem`` words the codes. Shared here by the variables and the problem texts.
"""

from __future__ import annotations

from enum import IntEnum

import numpy
import pyarrow
import pyarrow.compute as pc

from openfisca_kz_epr.products import GOODS, Product


class CodeStatus(IntEnum):
    """``customs_code_status`` below 0."""

    NO_CODE = -1
    MALFORMED = -2
    NOT_LISTED = -3
    BEFORE_THE_LIST = -4
    DISAGREES = -5


class ScaleStatus(IntEnum):
    """``vehicle_scale`` below 0 (a fact not declared is ``FACT_MISSING`` - 2 × variant - scale × 10)."""

    NOT_A_VEHICLE = -1
    CATEGORY_MISSING = -2
    FACT_MISSING = -10


class BandStatus(IntEnum):
    """``vehicle_band`` below 0."""

    NONE = -1
    ELECTRIC = -2
    MISSING = -3
    NOT_FINITE = -4
    NOT_POSITIVE = -5
    BELOW_EVERY_BAND = -6
    NOT_COVERED = -7


class PackagingStatus(IntEnum):
    """``packaging_row`` below 0."""

    NONE = -1
    REQUIRED = -2
    ON_VEHICLE = -3
    ON_CABLE = -4
    TWICE = -5
    CODE_MALFORMED = -6
    BEFORE_THE_LIST = -7
    CODE_NOT_LISTED = -8
    NOT_PACKAGING_CODE = -9
    DISAGREES = -10
    MATERIAL_MISSING = -11


class ClaimStatus(IntEnum):
    """``exemption_status`` and ``own_system_status``: which parts of the line's payment nothing is
    owed on (``GOODS_PART`` | ``PACKAGING_PART``), or why the claim fails (below 0)."""

    NONE = 0
    GOODS_PART = 1
    PACKAGING_PART = 2
    BEFORE_THE_CODE = -1
    DECLARANT_MISSING = -2
    NOT_PRODUCER = -3
    NOT_IMPORTER = -4
    NOT_THE_GOODS = -5
    SHARE_MISSING = -6
    SHARE_BELOW = -7
    VEHICLE = -8
    EXCLUDED = -9


_IS_GOODS = numpy.zeros(len(Product), dtype=bool)
_IS_GOODS[[member.index for member in GOODS]] = True


def of_goods(rows: numpy.ndarray) -> numpy.ndarray:
    """Each row (``Product`` indices) where it is goods priced per tonne (item 5), -1 for cable,
    a vehicle or no product."""
    return numpy.where(_IS_GOODS[rows], rows, -1)


def enum_indices(values) -> numpy.ndarray:
    """An OpenFisca ``EnumArray`` (or indices) as a plain int16 array of member indices."""
    return numpy.asarray(values).view(numpy.ndarray).astype(numpy.int16, copy=False)


def has_text(values) -> bool:
    """Whether any cell of ``values`` (numpy or pyarrow strings; None) holds text."""
    if values is None:
        return False
    if isinstance(values, (pyarrow.Array, pyarrow.ChunkedArray)):
        return bool(len(values)) and (pc.max(pc.utf8_length(pc.fill_null(values, ""))).as_py() or 0) > 0
    return bool(numpy.asarray(values, dtype=object).astype(bool).any())  # each cell's truth, in C


def given(population, name: str) -> bool:
    """Whether the input ``name`` was set for some period, or can be computed (a reform may give
    it a formula): else every line holds its default, and a check of it can be skipped."""
    return bool(population.get_holder(name).get_known_periods()
                or population.simulation.tax_benefit_system.variables[name].formulas)


PACKAGING_INPUTS = ("packaging_material", "packaging_customs_code", "packaging_mass_tonnes")


def packaging_possible(population, rows: numpy.ndarray, packaged_goods: int) -> bool:
    """Whether any line may have packaging to price or to check: a packaging input is given, or a
    line is goods of section 16 (``packaged_goods``, index in ``rows``), which must declare it."""
    return any(given(population, name) for name in PACKAGING_INPUTS) or bool((rows == packaged_goods).any())
