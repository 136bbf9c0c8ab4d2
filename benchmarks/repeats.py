"""Benchmark of the repeated-id check of ``kz-epr audit`` (``audit/flags.py``, ``_Seen``) on files
of many ids, beside the same check of another checkout in the same run.

    python benchmarks/repeats.py --baseline CHECKOUT [--ids 1000000 8000000] [--repeats 0.01] [--repeat 3]

For each size it builds N ids (``D0`` … as ``benchmarks/audit.py`` writes them; a share
``--repeats`` of them again an earlier id), runs both checks over them in the audit's chunks
(2^18 rows), in turn, ``--repeat`` times, and prints the fastest time of each, their ratio, and
the count of rows flagged, which must be the same.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from pathlib import Path

import numpy
import pyarrow
import pyarrow.compute as pc

CHUNK_ROWS = 1 << 18  # as openfisca_kz_epr.audit.report


def seen_class(checkout: Path | None):
    """``_Seen`` of ``checkout``'s ``audit/flags.py`` (this checkout's when None)."""
    path = (checkout or Path(__file__).resolve().parents[1]) / "openfisca_kz_epr" / "audit" / "flags.py"
    spec = importlib.util.spec_from_file_location(f"flags_{abs(hash(str(path)))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._Seen


def ids(size: int, repeats: float) -> pyarrow.Array:
    numbers = numpy.arange(size)
    again = numpy.random.default_rng(2016).random(size) < repeats
    numbers[again] = (numbers[again] * 0.5).astype(numpy.int64)  # an earlier id
    return pc.binary_join_element_wise("D", pc.cast(pyarrow.array(numbers), pyarrow.string()), "")


def run(seen_type, cells: pyarrow.Array) -> tuple[float, int]:
    lines = numpy.arange(len(cells), dtype=numpy.int64) + 2
    seen, flagged = seen_type(), 0
    start = time.perf_counter()
    for first in range(0, len(cells), CHUNK_ROWS):
        size = min(CHUNK_ROWS, len(cells) - first)
        flagged += len(seen.repeats(cells.slice(first, size), size, lines[first:first + size], "declaration_id").rows)
    return time.perf_counter() - start, flagged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, metavar="CHECKOUT")
    parser.add_argument("--ids", type=int, nargs="+", default=[1_000_000, 8_000_000])
    parser.add_argument("--repeats", type=float, default=0.01, help="share of ids that repeat an earlier one (default 0.01)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    this, baseline = seen_class(None), seen_class(args.baseline)
    for size in args.ids:
        cells = ids(size, args.repeats)
        times = {"this": [], "baseline": []}
        counts = {}
        for _ in range(args.repeat):
            for label, seen_type in (("this", this), ("baseline", baseline)):
                elapsed, counts[label] = run(seen_type, cells)
                times[label].append(elapsed)
        assert counts["this"] == counts["baseline"], counts
        best = {label: min(values) for label, values in times.items()}
        print(f"{size:>10,} ids ({counts['this']:,} flagged): this {best['this']:.2f} s, baseline {best['baseline']:.2f} s, "
              f"this / baseline {best['this'] / best['baseline']:.2f}x")


if __name__ == "__main__":
    main()
