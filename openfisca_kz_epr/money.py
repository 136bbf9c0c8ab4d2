"""Exact money.

Amounts are integers of tiyn (0.01 KZT). Each factor of a formula is a decimal held as an
integer at a fixed scale: masses to the gram (1e-6 t), invoice values to the tiyn, rates to
1e-6 of their unit. The product is computed in integers and rounded **half up to the tiyn,
once per line** (the sources of order_762_2015: the operator computes round(m × MRP × k, 2) per line). A
producer's total is the sum of its rounded lines.
"""

from decimal import ROUND_HALF_UP, Decimal

import numpy
import pyarrow

RATE_DECIMALS = 6
MASS_DECIMALS = 6  # grams
INVOICE_DECIMALS = 2  # tiyn
RATE_PER_TONNE_DECIMALS = 8  # KZT per tonne (MRP × k)
SHARE_DECIMALS = 6  # share of the invoice value (item 5-1)
RATE_PER_VEHICLE_DECIMALS = 8  # KZT per vehicle (base rate × MRP × coefficient)
_FLOAT_EXACT_LIMIT = 2**53
_ULPS = 16 * 2.0**-52  # 16 units in the last place, relative
_FEW_LINES = 32  # below this, times_rate multiplies Python integers rather than numpy's split ones


def decimal_of(value, places: int = RATE_DECIMALS) -> Decimal:
    """The decimal a parameter value stands for, to ``places`` decimals.

    A YAML float such as 14.15 is read back through its shortest representation; float noise
    left by arithmetic in a reform (1.6099999999999999) is absorbed, a value that really has
    more decimals is refused.
    """
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    quantum = Decimal(1).scaleb(-places)
    rounded = exact.quantize(quantum)
    if abs(exact - rounded) > Decimal("1e-9") * quantum:
        raise ValueError(f"{value} has more than {places} decimals")
    return rounded


def scaled_int(value: Decimal, places: int) -> int:
    """``value × 10**places`` as an exact integer."""
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {places} decimals")
    return int(scaled)


def fixed_point(values: numpy.ndarray, places: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Float inputs as integers of 10**-places, and a mask of those it holds exactly.

    An input with a finer digit than ``places`` (a mass below the gram), or too large to be
    held to that digit by a float, is not exact: the caller reports it instead of rounding it away.
    A value is exact when it is within 1e-3 of an integer of 10**-places, or within 16 units in
    the last place of its scaled float (a decimal such as 14.15 is not a binary fraction).
    """
    values = numpy.asarray(values, dtype=numpy.float64)
    with numpy.errstate(over="ignore", invalid="ignore"):  # a value too large to scale is not exact: reported
        scaled = values * float(10**places)
        ints = numpy.rint(scaled)
        off = numpy.abs(scaled - ints)  # NaN for NaN and infinities: never exact
        exact = off <= 1e-3
        if not exact.all():  # the second test only where the first fails somewhere
            exact |= off <= numpy.abs(scaled) * _ULPS
        if not (ints.max(initial=0) < _FLOAT_EXACT_LIMIT and ints.min(initial=0) > -_FLOAT_EXACT_LIMIT):  # NaN: looked at
            exact &= numpy.abs(ints) < _FLOAT_EXACT_LIMIT
        if not exact.all():
            ints[~exact] = 0
    return ints.astype(numpy.int64), exact


def times_rate(quantity: numpy.ndarray, rate: numpy.ndarray, divisor: int) -> numpy.ndarray:
    """round_half_up(quantity × rate / divisor) for integers in [0, 2^59), exactly, in int64.

    ``divisor`` is a power of ten, 10**d. The product may not fit in 64 bits (a million
    tonnes to the gram times a rate to 10^-8), so both factors are split in base M = 10**⌈d/2⌉
    (q = q1·M + q0, r = r1·M + r0) and the four partial products, each within int64, are
    recombined: q·r / M² = q1·r1 + (q1·r0 + q0·r1) / M + q0·r0 / M². Where the rates share
    a power of ten that brings every product within int64 (``_shortened``), one multiplication.
    """
    quantity = numpy.asarray(quantity, dtype=numpy.int64)
    rate = numpy.asarray(rate, dtype=numpy.int64)
    if rate.shape != quantity.shape:
        rate = numpy.broadcast_to(rate, quantity.shape)
    digits = len(str(divisor)) - 1
    if divisor != 10**digits:
        raise ValueError(f"divisor {divisor} is not a power of ten")
    largest = float(quantity.max(initial=0)), float(rate.max(initial=0))
    if max(largest) >= 2**59 or (
        largest[0] * largest[1] * 10.0**-digits >= 2**62  # checked line by line only if it may be so
        and numpy.any(quantity * numpy.float64(10.0**-digits) * rate >= 2.0**62)
    ):
        raise OverflowError("a factor exceeds 2^59 or an amount 2^62 tiyn")
    if quantity.size <= _FEW_LINES:  # Python's unbounded integers: the definition itself, faster for a few lines
        pairs = zip(quantity.tolist(), rate.tolist())
        return numpy.array([(q * r + divisor // 2) // divisor for q, r in pairs], dtype=numpy.int64).reshape(quantity.shape)
    shortened = _shortened(largest[0] * largest[1], rate, digits)
    if shortened is not None:  # q·r / 10^d = q·(r / 10^s) / 10^(d-s), within int64
        rate, digits = shortened
        return (quantity * rate + 10**digits // 2) // 10**digits
    if digits % 2:  # make the divisor a square: q·r / 10^d = q·(10·r) / 10^(d+1)
        rate, digits = rate * 10, digits + 1
    base = 10 ** (digits // 2)
    q1, q0 = numpy.divmod(quantity, base)
    r1, r0 = numpy.divmod(rate, base)
    middle_high, middle_low = numpy.divmod(q1 * r0 + q0 * r1, base)
    low = middle_low * base + q0 * r0 + base * base // 2  # < 2.5·M², the rounding half added
    return q1 * r1 + middle_high + low // (base * base)


def _shortened(largest_product: float, rate: numpy.ndarray, digits: int) -> tuple[numpy.ndarray, int] | None:
    """(``rate`` / 10^s, ``digits`` - s) for the least s ≤ ``digits`` that brings the largest
    product of a quantity and a rate (``largest_product``, estimated in float64) below 2^62, when
    every rate is a multiple of 10^s (a rate of the law has few decimals: 14.15 × 3 692 KZT per
    tonne is 5 224 180 000 000 at 8 decimals, a multiple of 10^7); None when none is."""
    shift = 0
    while largest_product >= 2.0**62 * 10.0**shift:
        shift += 1
        if shift > digits:
            return None
    if not shift:
        return rate, digits
    power = 10**shift
    short = rate // power
    return (short, digits - shift) if (short * power == rate).all() else None


NOT_HELD = -1
"""An exact quantity or amount that cannot be had: the input is missing, negative, finer than its
fixed point or too large, or a factor is not known (the caller says which)."""

NOT_KNOWN = -1e9
"""A float quantity not given (the default of every numeric input) or a value of the law not known
on the day (a rate, coefficient or MRP): a number JSON holds, where NaN is not (openfisca-core
writes defaults, traces and ``/variable`` answers as they are), and outside every quantity and
value of the law, which are never negative. Read it with ``not_known``."""


def not_known(values) -> numpy.ndarray:
    """A mask of ``values`` that are ``NOT_KNOWN`` or NaN (a cell left empty in a declaration)."""
    values = numpy.asarray(values)
    return numpy.isnan(values) | (values == NOT_KNOWN)


def held_exactly(values, places: int) -> numpy.ndarray:
    """Float inputs as int64 integers of 10**-places where they are held exactly and are not
    negative; ``NOT_HELD`` elsewhere (missing, infinite, negative, finer than 10**-places, too large)."""
    values = numpy.asarray(values, dtype=numpy.float64)
    missing = not_known(values)
    if missing.all():  # an input not given: nothing to scale
        return numpy.full(len(values), NOT_HELD, dtype=numpy.int64)
    scaled, exact = fixed_point(values, places)
    if not exact.all() or (scaled < 0).any():
        scaled[~exact | (scaled < 0)] = NOT_HELD
    return scaled


def amount_tiyn(quantity: numpy.ndarray, quantity_places: int, rate, rate_places: int, lines: numpy.ndarray) -> numpy.ndarray:
    """round_half_up(quantity × rate) in tiyn, exactly, for the lines ``lines`` (a mask): ``quantity``
    int64 of 10**-quantity_places (``held_exactly``), ``rate`` float64 held to 10**-rate_places.
    0 outside ``lines``; ``NOT_HELD`` on a line of ``lines`` whose quantity is not held or whose rate
    is not known (``NOT_KNOWN``), negative or not held exactly to 10**-rate_places (the caller says why)."""
    tiyn = numpy.zeros(len(lines), dtype=numpy.int64)
    rows = numpy.flatnonzero(lines)
    if not len(rows):
        return tiyn
    quantity = numpy.asarray(quantity)[rows]
    rate, rate_exact = fixed_point(numpy.asarray(rate)[rows], rate_places)
    priced = (quantity != NOT_HELD) & rate_exact & (rate >= 0)
    tiyn[rows] = NOT_HELD
    tiyn[rows[priced]] = times_rate(quantity[priced], rate[priced], 10 ** (quantity_places + rate_places - 2))
    return tiyn


def exact_amounts(quantity: numpy.ndarray, quantity_places: int, rate, rate_places: int) -> numpy.ndarray:
    """quantity × rate before rounding, per line, as exact decimal text (object array): what
    ``amount_tiyn`` rounds; '' where the quantity is not held or the rate is not known or not
    held exactly. ``quantity`` and ``rate`` as for ``amount_tiyn``. A Python loop: for the lines
    an explanation writes out, not for bulk."""
    rate, rate_exact = fixed_point(numpy.asarray(rate), rate_places)
    held = (numpy.asarray(quantity) != NOT_HELD) & rate_exact & (rate >= 0)
    return numpy.array([format((Decimal(int(q)) * Decimal(int(r))).scaleb(-(quantity_places + rate_places)).normalize(), "f")
                        if ok else "" for q, r, ok in zip(numpy.asarray(quantity).tolist(), rate.tolist(), held.tolist())],
                       dtype=object)


def half_up_tiyn(amount: Decimal) -> int:
    """An exact amount in tenge rounded half up to the tiyn, as an integer of tiyn."""
    return int(amount.scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def tenge(tiyn: int) -> Decimal:
    """An amount of tiyn as an exact decimal of tenge."""
    return Decimal(int(tiyn)).scaleb(-2)


EXACT_TIYN_IN_TENGE = 2**53 - 1
"""The largest amount in tiyn whose value in tenge a float64 holds exactly (and whose shortest
repr is that amount): 90 071 992 547 409.91 KZT."""
_INT64_MAX = 2**63 - 1


def sums_by_group(amounts: numpy.ndarray, groups: numpy.ndarray, count: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The exact sum of the int64 ``amounts`` of each of ``count`` groups (``groups``: each
    amount's group), and a mask of the groups whose sum does not fit in int64 (their total is
    then 0: the caller refuses them). Summed in int64 when no sum can overflow, else in Python
    integers."""
    amounts = numpy.asarray(amounts, dtype=numpy.int64)
    largest = int(numpy.abs(amounts).max(initial=0))
    if largest * len(amounts) <= _INT64_MAX:
        total = numpy.zeros(count, dtype=numpy.int64)
        numpy.add.at(total, groups, amounts)
        return total, numpy.zeros(count, dtype=bool)
    exact = [0] * count
    for group, amount in zip(groups.tolist(), amounts.tolist()):
        exact[group] += amount
    too_large = numpy.array([abs(value) > _INT64_MAX for value in exact])
    return numpy.array([0 if big else value for value, big in zip(exact, too_large)], dtype=numpy.int64), too_large


TENGE = pyarrow.decimal128(38, 2)


def tenge_array(tiyn: numpy.ndarray, valid: numpy.ndarray) -> pyarrow.Array:
    """Amounts in tiyn as an arrow array of exact decimals of tenge (``123.45``), null where not
    ``valid``: the tiyn are the decimal's unscaled integer, sign-extended to 128 bits."""
    words = numpy.empty((len(tiyn), 2), dtype=numpy.int64)
    words[:, 0] = tiyn
    words[:, 1] = tiyn >> 63
    validity = pyarrow.array(valid).buffers()[1] if not valid.all() else None
    return pyarrow.Array.from_buffers(TENGE, len(tiyn), [validity, pyarrow.py_buffer(words)], offset=0)
