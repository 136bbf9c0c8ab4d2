"""The table API past one machine: the tax-benefit system pickles (its variables import as
``openfisca_kz_epr.variables.<file>``; a reform file's system rebuilds from its file), ``price_batches`` prices a stream of Arrow record
batches as ``price`` prices the table, a pandas result holds Arrow types, and a Dask cluster
of two processes prices 100 000 lines over 2016-2026 as one process does."""

import datetime
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy
import pyarrow
import pyarrow.compute
import pyarrow.feather
import pytest

from openfisca_kz_epr.engine.table_api import ADDED, price, price_batches
from openfisca_kz_epr.reforms import apply_reform

REFORMS = Path(__file__).resolve().parent.parent / "openfisca_kz_epr" / "reforms"

GOODS_KEYS = ["tyres", "oils", "lamps", "eee_large", "paper_packaging", "printed_matter", "packaged_goods"]


def declarations(rows: int, seed: int) -> pyarrow.Table:
    """``rows`` lines on days drawn from 2016-2026: goods (some with polymer packaging), cable
    by invoice value and passenger cars by displacement; masses to the gram."""
    rng = numpy.random.default_rng(seed)
    first, last = datetime.date(2016, 1, 1).toordinal(), datetime.date(2026, 12, 31).toordinal()
    days = [datetime.date.fromordinal(int(d)) for d in rng.integers(first, last + 1, rows)]
    kind = rng.integers(0, len(GOODS_KEYS) + 2, rows)
    product = numpy.array([*GOODS_KEYS, "cable_products", "vehicle"], dtype=object)[kind]
    goods = kind < len(GOODS_KEYS)
    packed = goods & (rng.random(rows) < 0.3)
    return pyarrow.table({
        "id": pyarrow.array(numpy.arange(rows)),
        "date": pyarrow.array(days, pyarrow.date32()),
        "product": pyarrow.array(product, pyarrow.string()),
        "mass_tonnes": pyarrow.array(rng.integers(1, 10**7, rows) / 1e6, mask=~goods),
        "invoice_value": pyarrow.array(rng.integers(1, 10**9, rows) / 100, mask=product != "cable_products"),
        "vehicle_category": pyarrow.array(numpy.where(product == "vehicle", "m1", None), pyarrow.string()),
        "engine_displacement_cm3": pyarrow.array(rng.integers(800, 4000, rows).astype(float), mask=product != "vehicle"),
        "packaging_material": pyarrow.array(numpy.where(packed, "polymer", None), pyarrow.string()),
        "packaging_mass_tonnes": pyarrow.array(rng.integers(1, 10**5, rows) / 1e6, mask=~packed),
    })


@pytest.mark.parametrize("reform", [None, str(REFORMS / "eee_coefficient.yaml"),
                                    "openfisca_kz_epr.reforms.small_consignments.small_consignments"])
def test_the_system_pickled_prices_the_same_lines_in_a_fresh_process(tax_benefit_system, tmp_path, reform):
    system = tax_benefit_system if reform is None else apply_reform(tax_benefit_system, reform)
    table = declarations(2000, seed=1)
    here = price(table, system)
    (tmp_path / "system.pickle").write_bytes(pickle.dumps(system))
    pyarrow.feather.write_feather(table, tmp_path / "lines.arrow")
    worker = ("import pickle, sys, pyarrow.feather\n"
              "from openfisca_kz_epr.engine.table_api import price\n"
              "system = pickle.loads(open(sys.argv[1], 'rb').read())\n"  # no import of the system's module first
              "pyarrow.feather.write_feather(price(pyarrow.feather.read_table(sys.argv[2]), system), sys.argv[3])\n")
    done = subprocess.run([sys.executable, "-c", worker, str(tmp_path / "system.pickle"), str(tmp_path / "lines.arrow"),
                           str(tmp_path / "priced.arrow")], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    there = pyarrow.feather.read_table(tmp_path / "priced.arrow")
    assert there.equals(here)
    assert here.column("problem").to_pylist().count("") > 1000  # most lines are priced: the comparison means something


def test_price_batches_equals_price_on_the_same_lines(tax_benefit_system):
    table = declarations(3000, seed=2)
    whole = price(table, tax_benefit_system)
    for rows_per_chunk in (1, 700, 100_000):  # each batch alone, a few together, all together
        batches = list(price_batches(table.to_batches(max_chunksize=500), tax_benefit_system, rows_per_chunk=rows_per_chunk))
        assert all(isinstance(batch, pyarrow.RecordBatch) for batch in batches)
        assert pyarrow.Table.from_batches(batches).equals(whole)


def test_price_batches_gives_arrow_types_and_the_law_s_figures(tax_benefit_system):
    batch = pyarrow.record_batch({"date": pyarrow.array([datetime.date(2021, 3, 1), datetime.date(2021, 3, 1)]),
                                  "product": ["tyres", "tyres"], "mass_tonnes": [2.5, None]})
    [priced] = list(price_batches(iter([batch]), tax_benefit_system))
    assert priced.schema.field("payment").type == pyarrow.decimal128(38, 2)
    assert priced.schema.field("payment_tiyn").type == pyarrow.int64()
    assert priced.column(priced.schema.get_field_index("payment")).to_pylist()[0] == Decimal("103188.88")  # 2.5 × 2917 × 14.15
    assert priced.to_pylist()[1]["payment"] is None and priced.to_pylist()[1]["problem"]


def test_a_pandas_result_holds_arrow_types_not_python_objects(tax_benefit_system):
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"date": ["2021-03-01", "2021-03-01"], "product": ["tyres", "oils"], "mass_tonnes": [2.5, 1.0]})
    priced = price(frame, tax_benefit_system)
    assert list(priced.columns) == [*frame.columns, *ADDED]
    assert all(isinstance(priced[name].dtype, pandas.ArrowDtype) for name in ADDED)
    assert priced["payment"].dtype.pyarrow_dtype == pyarrow.decimal128(38, 2)
    assert str(priced["payment"][0]) == "103188.88"  # 2.5 × 2917 × 14.15 = 103 188.875, half up
    assert priced["payment_tiyn"][0] == 10318888
    assert (priced["mass_tonnes"].dtype, priced["product"].dtype) == (frame["mass_tonnes"].dtype, frame["product"].dtype)


def test_a_dask_cluster_of_two_processes_prices_as_one_process(tax_benefit_system, tmp_path):
    distributed = pytest.importorskip("distributed")
    dask = pytest.importorskip("dask")
    table = declarations(100_000, seed=2016)
    whole = price(table, tax_benefit_system)
    ordered = table.sort_by("date")  # by date: each partition holds few legal periods
    parts = [ordered.slice(start, 25_000) for start in range(0, ordered.num_rows, 25_000)]
    scratch = dask.config.set({"temporary-directory": str(tmp_path)})  # Dask's lock files and spills, not in /tmp
    with scratch, distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                           dashboard_address=None, worker_dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        system = client.scatter(tax_benefit_system, broadcast=True)
        futures = client.map(price, client.scatter(parts, hash=False), tax_benefit_system=system, pure=False)  # slices tokenize alike
        distributed.wait(futures, timeout=120)  # bounded: a failure to unpickle is an error, not a hang
        priced = pyarrow.concat_tables(client.gather(futures))
    priced = priced.take(pyarrow.compute.sort_indices(priced, [("id", "ascending")]))
    assert priced.column_names == whole.column_names
    for name in whole.column_names:
        assert priced.column(name).equals(whole.column(name)), name
