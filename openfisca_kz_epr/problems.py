"""The first problem of each line: what keeps it from being read or priced ('' while none).

Checks run over whole arrays; a reason that names the line's own value is worded line by
line, and only for the lines a check flags."""

from __future__ import annotations

import numpy


class Problems:
    """``text``: the first problem found on each line ('' while none); ``found``: whether one was."""

    def __init__(self, size: int) -> None:
        self.text = numpy.full(size, "", dtype=object)
        self.found = numpy.zeros(size, dtype=bool)

    def flag(self, mask: numpy.ndarray, reason) -> None:
        """Give the lines of ``mask`` still without a problem the problem ``reason``: one text
        for all, an array of texts by line, or ``reason(i)`` for line ``i``."""
        rows = numpy.flatnonzero(mask)
        self.flag_rows(rows, reason if isinstance(reason, str) or callable(reason) else numpy.asarray(reason)[rows])

    def flag_rows(self, rows: numpy.ndarray, reason) -> None:
        """As ``flag``, for the lines numbered ``rows`` (an array reason has one text per row of ``rows``)."""
        if not len(rows):
            return
        new = ~self.found[rows]
        if isinstance(reason, str):
            self.text[rows[new]] = reason
        elif callable(reason):
            for i in rows[new]:
                self.text[i] = reason(i)
        else:
            self.text[rows[new]] = numpy.asarray(reason, dtype=object)[new]
        self.found[rows[new]] = True
