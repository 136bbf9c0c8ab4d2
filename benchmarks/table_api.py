"""Lines per second of the Python table API (``openfisca_kz_epr.engine.table_api.price``) against the
bulk path it is built on (``engine.bulk.compute`` on arrays already read), in the same run.

    .venv/bin/python benchmarks/table_api.py [--lines 1000000] [--repeat 5] [--days one|2016-2026]

One day (2024-03-01) or random days of 2016-2026, goods of every row by product key, masses to the gram, as a pyarrow
table of a date column, a text column and a float column. Prints the median and best rate of
each and the ratio of their medians.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time

import numpy
import pyarrow


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--days", choices=("one", "2016-2026"), default="one",
                        help="the lines on one day (2024-03-01) or each on a random day of 2016-2026")
    args = parser.parse_args()
    from openfisca_kz_epr import CountryTaxBenefitSystem
    from openfisca_kz_epr.engine.bulk import compute
    from openfisca_kz_epr.engine.declarations import read_declarations
    from openfisca_kz_epr.engine.table_api import price
    from openfisca_kz_epr.products import GOODS, Product

    system = CountryTaxBenefitSystem()
    rng = numpy.random.default_rng(2024)
    keys = [p.name for p in GOODS if p not in (Product.packaged_goods, Product.combined_packaging, Product.packaged_goods_combined)]
    n = args.lines
    table = pyarrow.table({
        "date": pyarrow.array([datetime.date(2024, 3, 1)] * n) if args.days == "one" else
                pyarrow.array(numpy.datetime64("2016-01-01") + rng.integers(0, 11 * 365, n)).cast(pyarrow.date32()),
        "product": pyarrow.array(numpy.array(keys, dtype=object)[rng.integers(0, len(keys), n)], pyarrow.string()),
        "mass_tonnes": pyarrow.array(rng.integers(1, 10**8, n) / 1e6),
    })
    days, lines, problem = read_declarations({name: table.column(name) for name in table.column_names}, n)
    price(table.slice(0, 1000), system)  # warm: the day's tariffs, imports
    api, core = [], []
    for _ in range(args.repeat):  # alternated
        began = time.perf_counter()
        priced = price(table, system)
        api.append(n / (time.perf_counter() - began))
        began = time.perf_counter()
        compute(system, days, lines, problem)
        core.append(n / (time.perf_counter() - began))
    if args.days == "one":
        assert priced.column("problem").to_pylist().count("") == n
    print(f"{n} lines, {'on one day' if args.days == 'one' else 'each on a random day of 2016-2026'}")
    print(f"  table API (price):   median {statistics.median(api):12,.0f} lines/s, best {max(api):12,.0f}")
    print(f"  bulk path (compute): median {statistics.median(core):12,.0f} lines/s, best {max(core):12,.0f}")
    print(f"  table API / bulk path: {statistics.median(api) / statistics.median(core):.2f}x the rate")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
