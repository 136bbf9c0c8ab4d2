"""The first problem of each line: what keeps it from being read or priced ('' while none).

Checks run over whole arrays; only the lines they flag are visited one by one, to word the
reason with the line's own value."""

from __future__ import annotations

import numpy


class Problems:
    """``text``: the first problem found on each line ('' while none); ``found``: whether one was."""

    def __init__(self, size: int) -> None:
        self.text = numpy.full(size, "", dtype=object)
        self.found = numpy.zeros(size, dtype=bool)

    def flag(self, mask: numpy.ndarray, reason) -> None:
        """Give the lines of ``mask`` still without a problem the problem ``reason(i)``."""
        self.flag_rows(numpy.flatnonzero(mask), reason)

    def flag_rows(self, rows: numpy.ndarray, reason) -> None:
        """As ``flag``, for the lines numbered ``rows``."""
        rows = rows[~self.found[rows]]
        for i in rows:
            self.text[i] = reason(i)
        self.found[rows] = True
