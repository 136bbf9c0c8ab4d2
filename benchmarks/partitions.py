"""The table API over partitions: what partitioning by date saves, and Dask's workers against one process.

    .venv/bin/python benchmarks/partitions.py [--lines 300000] [--partitions 8] [--repeat 3] [--no-dask]

Lines drawn over 2016-2026 (goods, some with packaging, cable, cars), priced
(``openfisca_kz_epr.engine.table_api``):

- one process, the whole table at once (``price``);
- the same lines in ``--partitions`` partitions, one ``price`` each, in one process: partitions
  cut from the table sorted by date, and partitions of lines in random order (each then holds
  every legal period: one OpenFisca simulation per legal period per partition);
- ``price_batches`` over record batches of 10 000 lines in random order (Spark's default
  ``spark.sql.execution.arrow.maxRecordsPerBatch``), each batch priced alone
  (``rows_per_chunk=1``) and gathered (the default);
- a Dask ``LocalCluster`` of 1 and 2 worker processes (loopback, one thread each), ``price``
  mapped over the sorted partitions, the system scattered to the workers once.

Every way is checked to give the same table as one process. The measures alternate (one of
each per round); printed: the median and range of the seconds of each, and its ratio to one
process. Timings on a shared machine are noisy: read the ratios of one run.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import tempfile
import time

import numpy
import pyarrow

GOODS = ["tyres", "oils", "lamps", "eee_large", "eee_small", "paper_packaging", "polymer_packaging", "printed_matter", "packaged_goods"]


def declarations(rows: int, seed: int = 2016) -> pyarrow.Table:
    """``rows`` lines on days drawn from 2016-2026, in random order: goods (packaged goods and
    30 % of the others with polymer packaging), cable by invoice value, cars by displacement."""
    rng = numpy.random.default_rng(seed)
    first, last = datetime.date(2016, 1, 1).toordinal(), datetime.date(2026, 12, 31).toordinal()
    kind = rng.integers(0, len(GOODS) + 2, rows)
    product = numpy.array([*GOODS, "cable_products", "vehicle"], dtype=object)[kind]
    goods = kind < len(GOODS)
    packed = goods & ((product == "packaged_goods") | (rng.random(rows) < 0.3))
    return pyarrow.table({
        "id": numpy.arange(rows),
        "date": pyarrow.array(rng.integers(first, last + 1, rows) - datetime.date(1970, 1, 1).toordinal(), pyarrow.int32()).cast(pyarrow.date32()),
        "product": pyarrow.array(product, pyarrow.string()),
        "mass_tonnes": pyarrow.array(rng.integers(1, 10**7, rows) / 1e6, mask=~goods),
        "invoice_value": pyarrow.array(rng.integers(1, 10**9, rows) / 100, mask=product != "cable_products"),
        "vehicle_category": pyarrow.array(numpy.where(product == "vehicle", "m1", None), pyarrow.string()),
        "engine_displacement_cm3": pyarrow.array(rng.integers(800, 4000, rows).astype(float), mask=product != "vehicle"),
        "packaging_material": pyarrow.array(numpy.where(packed, "polymer", None), pyarrow.string()),
        "packaging_mass_tonnes": pyarrow.array(rng.integers(1, 10**5, rows) / 1e6, mask=~packed),
    })


def partitions(table: pyarrow.Table, count: int) -> list[pyarrow.Table]:
    size = -(-table.num_rows // count)
    return [table.slice(start, size) for start in range(0, table.num_rows, size)]


def by_id(table: pyarrow.Table) -> pyarrow.Table:
    return table.sort_by("id")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-dask", action="store_true", help="leave out the Dask clusters")
    args = parser.parse_args()
    from openfisca_kz_epr import CountryTaxBenefitSystem
    from openfisca_kz_epr.engine.bulk import legal_period_starts
    from openfisca_kz_epr.engine.table_api import price, price_batches

    system = CountryTaxBenefitSystem()
    table = declarations(args.lines)
    ordered = table.sort_by("date")
    starts = legal_period_starts(system)
    print(f"{args.lines} lines over 2016-2026 ({numpy.count_nonzero((starts >= numpy.datetime64('2016-01-01')) & (starts <= numpy.datetime64('2026-12-31')))} "
          f"legal periods start in those years), {args.partitions} partitions")
    whole = price(table, system)  # warm: imports, the law of each period
    ways = {
        "one process, whole table": lambda: price(table, system),
        "partitions sorted by date": lambda: pyarrow.concat_tables([price(part, system) for part in partitions(ordered, args.partitions)]),
        "partitions in random order": lambda: pyarrow.concat_tables([price(part, system) for part in partitions(table, args.partitions)]),
        "price_batches, 10 000-line batches alone": lambda: pyarrow.Table.from_batches(
            list(price_batches(table.to_batches(max_chunksize=10_000), system, rows_per_chunk=1))),
        "price_batches, batches gathered": lambda: pyarrow.Table.from_batches(
            list(price_batches(table.to_batches(max_chunksize=10_000), system))),
    }
    clusters = []
    scratch = tempfile.TemporaryDirectory(prefix="partitions-")  # Dask's scratch space, removed at the end
    if not args.no_dask:
        import dask
        from distributed import Client, LocalCluster

        dask.config.set({"temporary-directory": scratch.name})

        for workers in (1, 2):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None, worker_dashboard_address=None)
            client = Client(cluster)
            clusters.append((cluster, client))
            law = client.scatter(system, broadcast=True)
            parts = client.scatter(partitions(ordered, args.partitions), hash=False)
            client.gather(client.map(price, parts[:workers], tax_benefit_system=law, pure=False))  # warm the workers

            def on_dask(client=client, law=law, parts=parts):
                return pyarrow.concat_tables(client.gather(client.map(price, parts, tax_benefit_system=law, pure=False)))

            ways[f"Dask, {workers} worker process{'es' if workers > 1 else ''}, sorted partitions"] = on_dask
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    try:
        for _ in range(args.repeat):
            for name, way in ways.items():
                began = time.perf_counter()
                result = way()
                seconds[name].append(time.perf_counter() - began)
                assert by_id(result).equals(by_id(whole)), name
    finally:
        for cluster, client in clusters:
            client.close()
            cluster.close()
        scratch.cleanup()
    one = statistics.median(seconds["one process, whole table"])
    for name, times in seconds.items():
        print(f"  {name:58s} median {statistics.median(times):6.2f} s  (range {min(times):.2f}-{max(times):.2f})  "
              f"{statistics.median(times) / one:.2f}x one process")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
