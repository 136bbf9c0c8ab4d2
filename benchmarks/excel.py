"""Benchmark of workbooks in ``kz-epr audit``: reading an .xlsx (python-calamine) and writing the
report as .xlsx (xlsxwriter), each beside the CSV audit of the same rows in the same run.

    python benchmarks/excel.py [--rows 200000] [--repeat 3]

The rows are ``benchmarks/audit.py``'s declarations (every product, vehicles, bad rows); the
workbook is written from them with days as Excel dates and numbers as numbers. Each command runs
as its own process, the fastest of ``--repeat`` runs kept; rows/s and the ratio to CSV → CSV.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
from pathlib import Path

import pyarrow.csv
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit import generate, measure, same_results, tariff_tables

NUMBERS = {"mass_tonnes", "invoice_value", "engine_displacement_cm3", "gross_vehicle_mass_tonnes", "engine_power_hp", "paid_amount"}


def workbook(source: Path, target: Path) -> None:
    """The CSV ``source`` as a workbook: days as dates, numbers as numbers, the rest as text."""
    table = pyarrow.csv.read_csv(source, convert_options=pyarrow.csv.ConvertOptions(
        column_types={name: pyarrow.string() for name in pyarrow.csv.read_csv(source).column_names}))
    book = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = book.add_worksheet("declarations")
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(0, 0, table.column_names)
    columns = [table.column(name).to_pylist() for name in table.column_names]
    for row, cells in enumerate(zip(*columns), start=1):
        for column, (name, cell) in enumerate(zip(table.column_names, cells)):
            if not cell:
                continue
            if name == "date":
                sheet.write_datetime(row, column, datetime.datetime.fromisoformat(cell), day)
            elif name in NUMBERS:
                sheet.write_number(row, column, float(cell))
            else:
                sheet.write_string(row, column, cell)
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    kz_epr = str(Path(sys.executable).with_name("kz-epr"))
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        data, book = folder / "declarations.csv", folder / "declarations.xlsx"
        generate(data, args.rows, tariff_tables())
        workbook(data, book)
        runs = {"CSV -> CSV": [], "xlsx -> CSV": [], "CSV -> xlsx": []}
        commands = {"CSV -> CSV": [kz_epr, "audit", str(data), "-o", str(folder / "a.csv"), "--quiet"],
                    "xlsx -> CSV": [kz_epr, "audit", str(book), "-o", str(folder / "b.csv"), "--quiet"],
                    "CSV -> xlsx": [kz_epr, "audit", str(data), "-o", str(folder / "c.xlsx"), "--quiet"]}
        for _ in range(args.repeat):
            for name, command in commands.items():
                runs[name].append(measure(command))
        rows = same_results(folder / "a.csv", folder / "b.csv")
        print(f"{args.rows} rows ({data.stat().st_size / 2**20:.0f} MiB of CSV, {book.stat().st_size / 2**20:.0f} MiB of xlsx); "
              f"the CSV and the workbook give the same {rows} results")
        base = min(runs["CSV -> CSV"])[0]
        for name, measured in runs.items():
            elapsed, peak, _ = min(measured)
            print(f"  {name}: {elapsed:6.2f} s  {args.rows / elapsed:9,.0f} rows/s  peak {peak:5.0f} MiB  {elapsed / base:.2f}x CSV -> CSV")


if __name__ == "__main__":
    main()
