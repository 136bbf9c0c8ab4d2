"""Lines per second of the Python table API (``openfisca_kz_epr.engine.table_api.price``) and of
the bulk path it is built on, in this checkout and in others, measured in the same run.

    .venv/bin/python benchmarks/table_api.py [--lines 1000000] [--rounds 3] [--days YYYY-MM-DD|2016-2026]
        [--baseline CHECKOUT]...

The lines: one day (2024-03-01 unless told) or each on a random day of 2016-2026; goods of rows 1-18 and
19-22 (packaged goods) by product key, masses to the gram; a pyarrow table of a date column, a
text column and a float column, the same for every checkout. Three measures, each in a process
of its own checkout (this environment's packages):

- ``price``: ``engine.table_api.price(table)``, the table in, the priced table out;
- ``read+compute``: the table's columns read (``read_declarations``) and priced (``compute``): what
  ``price`` does but for the columns it adds to the table;
- ``compute``: ``compute`` on the arrays already read.

Rates are lines per second of processor time (``time.process_time``: on a machine shared with
other work, the time spent waiting for a core is not counted).

``--baseline CHECKOUT`` (may be given several times: a worktree of a fixed reference commit, of
the commit before) measures that checkout too, in rounds that alternate the order of the
checkouts (ABBA), and prints this checkout's rate as a ratio of each baseline's: the median of
the rounds' ratios and their range. A checkout without ``engine/table_api`` (68b8962: the bulk
path was ``openfisca_kz_epr.bulk`` and ``openfisca_kz_epr.declarations``, no table API) has no
``price``: this checkout's ``price`` is then compared with its ``read+compute``, the nearest it has
(it builds no output table, so the ratio favours the baseline).
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from checkouts import run_in

HERE = Path(__file__).resolve().parent.parent
KEYS = ("tyres", "electric_accumulators", "oils", "special_fluids", "paper_packaging", "glass_packaging", "polymer_packaging",
        "metal_packaging", "plastic_products", "printed_matter", "paper_and_cardboard", "primary_batteries", "lamps",
        "thermometers", "eee_large", "eee_medium", "eee_small", "packaged_goods_paper", "packaged_goods_glass",
        "packaged_goods_polymer", "packaged_goods_metal")
MEASURES = ("price", "read+compute", "compute")


def measure(lines: int, days: str, repeat: int) -> dict:
    """In the checkout on ``sys.path``: the rates (lines per second) of each measure, ``repeat``
    times alternated, and the lines priced; ``days``: 'YYYY-MM-DD' (all lines on that day) or
    '2016-2026'."""
    import datetime
    import time

    import numpy
    import pyarrow

    from openfisca_kz_epr import CountryTaxBenefitSystem
    try:
        from openfisca_kz_epr.engine.bulk import compute
        from openfisca_kz_epr.engine.declarations import read_declarations
        from openfisca_kz_epr.engine.table_api import price
    except ImportError:  # 68b8962: no engine package, no table API
        from openfisca_kz_epr.bulk import compute
        from openfisca_kz_epr.declarations import read_declarations
        price = None

    system = CountryTaxBenefitSystem()
    rng = numpy.random.default_rng(2024)
    table = pyarrow.table({
        "date": pyarrow.array([datetime.date.fromisoformat(days)] * lines) if days != "2016-2026" else
                pyarrow.array(numpy.datetime64("2016-01-01") + rng.integers(0, 11 * 365, lines)).cast(pyarrow.date32()),
        "product": pyarrow.array(numpy.array(KEYS, dtype=object)[rng.integers(0, len(KEYS), lines)], pyarrow.string()),
        "mass_tonnes": pyarrow.array(rng.integers(1, 10**8, lines) / 1e6),
    })
    if price is None:  # its reader takes dates as text only
        table = table.set_column(0, "date", table.column("date").cast(pyarrow.string()))

    def read_and_compute(part):
        return compute(system, *read_declarations({name: part.column(name) for name in part.column_names}, part.num_rows))

    read_and_compute(table.slice(0, 1000))  # warm: the law of the days, imports
    if price is not None:
        price(table.slice(0, 1000), system)
    days_, read, problem = read_declarations({name: table.column(name) for name in table.column_names}, lines)
    rates: dict[str, list[float]] = {name: [] for name in MEASURES}
    for _ in range(repeat):
        for name, run in (("price", None if price is None else lambda: price(table, system)),
                          ("read+compute", lambda: read_and_compute(table)),
                          ("compute", lambda: compute(system, days_, read, problem))):
            if run is None:
                continue
            began = time.process_time()  # processor time: on a shared machine, waiting for a core is not the work
            result = run()
            rates[name].append(lines / (time.process_time() - began))
            if name == "compute":
                priced = int(result.ok.sum())
    import openfisca_kz_epr

    return {"rates": {name: runs for name, runs in rates.items() if runs}, "priced": priced, "package": openfisca_kz_epr.__file__}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3, help="rounds, the checkouts in ABBA order (default 3)")
    parser.add_argument("--repeat", type=int, default=2, help="measures of each kind per round and checkout; the round keeps the best")
    parser.add_argument("--days", default="2024-03-01", metavar="YYYY-MM-DD|2016-2026",
                        help="the lines on one day (default 2024-03-01; 68b8962 prices no goods after 10.01.2022: "
                        "2021-03-01 to compare with it) or each on a random day of 2016-2026")
    parser.add_argument("--baseline", type=Path, action="append", default=[], metavar="CHECKOUT",
                        help="also measure this checkout (a worktree of another commit; may be given several times)")
    args = parser.parse_args()
    checkouts = {"this": HERE, **{checkout.name: checkout.resolve() for checkout in args.baseline}}
    print(f"{args.lines} lines, {'each on a random day of 2016-2026' if args.days == '2016-2026' else 'on ' + args.days}; "
          f"{args.rounds} rounds, best of {args.repeat} per round; load average {os.getloadavg()[0]:.2f}")
    found: dict[str, list[dict]] = {name: [] for name in checkouts}
    for round_ in range(args.rounds):
        order = list(checkouts) if round_ % 2 == 0 else list(checkouts)[::-1]
        for name in order:
            found[name].append(run_in(checkouts[name], "table_api", f"measure({args.lines}, {args.days!r}, {args.repeat})"))
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    best = {name: [{measure: max(runs) for measure, runs in one["rates"].items()} for one in rounds] for name, rounds in found.items()}
    for name, rounds in best.items():
        print(f"\n{name} ({found[name][-1]['package']}): {found[name][-1]['priced']} of {args.lines} lines priced")
        for measure_ in MEASURES:
            if measure_ in rounds[0]:
                rates = sorted(one[measure_] for one in rounds)
                print(f"  {measure_:13} median {statistics.median(rates):12,.0f} lines/s (rounds {rates[0]:,.0f}-{rates[-1]:,.0f})")
    ours = best["this"]
    print(f"\nthis: price / compute of the same lines, median of the rounds: "
          f"{statistics.median(one['price'] / one['compute'] for one in ours):.2f}x the rate")
    for name in list(checkouts)[1:]:
        theirs = best[name]
        print(f"\nthis / {name} (rate ratio, median of the rounds, range):")
        pairs = [(name_, name_) for name_ in MEASURES if name_ in theirs[0]]
        if "price" not in theirs[0]:  # no table API: its nearest, reading and pricing the columns
            pairs.append(("price", "read+compute"))
        for mine, other in pairs:
            ratios = sorted(a[mine] / b[other] for a, b in zip(ours, theirs))
            print(f"  {mine:13} / {other:13} {statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
