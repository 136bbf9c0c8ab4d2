"""The table API on a Dask cluster: declarations read in partitions, each priced by ``price``.

    pip install 'openfisca-kz-epr' 'dask[dataframe,distributed]'
    python examples/dask_price.py

A ``LocalCluster`` of two worker processes on this machine (loopback only); a real cluster is
``Client("tcp://scheduler:8786")``. The lines are sorted by date first: a partition costs one
OpenFisca simulation per legal period it holds (see docs/past-one-machine.md).
"""

from pathlib import Path

import dask.dataframe as dd
from distributed import Client, LocalCluster

from openfisca_kz_epr import CountryTaxBenefitSystem
from openfisca_kz_epr.engine.table_api import price

SAMPLE = Path(__file__).resolve().parent / "declarations_sample.csv"

if __name__ == "__main__":
    law = CountryTaxBenefitSystem()  # built once, pickled to the workers with the tasks
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster, Client(cluster):
        lines = dd.read_csv(SAMPLE, dtype=str, keep_default_na=False)  # cells as text: price reads them as the audit does
        lines = lines.sort_values("date")  # by date: each partition holds few legal periods
        empty = price(lines.head(1), law).iloc[:0]  # the result's columns and types, for Dask
        priced = lines.map_partitions(price, tax_benefit_system=law, meta=empty).compute()
    print(priced[["declaration_id", "date", "product", "payment"]].to_string(index=False))
