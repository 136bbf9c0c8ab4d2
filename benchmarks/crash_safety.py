"""Crash safety of ``kz-epr audit``: SIGTERM, SIGHUP and SIGINT sent to an audit of a large file
at random moments; afterwards the old report must be intact and nothing else left in the folder.

    .venv/bin/python benchmarks/crash_safety.py [--rows 1000000] [--times 10] [--seed 13] [--workbook]

``--workbook`` writes the report as a workbook (``report.xlsx``, xlsxwriter) and also checks the
system temp folder: each audit runs with ``TMPDIR`` set to a folder of its own, which must be
empty afterwards (xlsxwriter's temporary files go beside the target, ``output_files.scratch``).

For each signal, ``--times`` runs: the audit starts on a copy of the same declarations in a
fresh folder holding an old report; the signal is sent after a random delay within the audit's
measured duration. Checks per run: the exit code (130 SIGINT, 143 SIGTERM, 129 SIGHUP; 0 when
the audit finished first, which is counted apart: the new report is then whole; killed by the
signal itself when it came while Python was still starting, before the command's handlers
were in place: nothing was written then either), the old report
byte for byte, and the folder's listing. Bounded: every child is waited for, and killed after
120 s. Prints one line per signal and exits 1 on any failed check.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ROW = "D{i},2021-03-01,P{p},tyres,1.25,51594.44\n"  # 1.25 × 2917 × 14.15 = 51 594.4375 → 51 594.44
EXPECTED_CODE = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}
OLD = b"the old report, which must survive\n"


def declarations(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as file:
        file.write("declaration_id,date,producer_id,product,mass_tonnes,paid_amount\n")
        for start in range(0, rows, 100_000):
            file.write("".join(ROW.format(i=i, p=i % 97) for i in range(start, min(rows, start + 100_000))))


def whole(report: Path, rows: int) -> bool:
    """A complete report: its header and one line per declaration, the last one ended (a
    workbook: its sheet of lines has the header and one row per declaration)."""
    if report.suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        try:
            return len(CalamineWorkbook.from_path(str(report)).get_sheet_by_name("lines").to_python()) == rows + 1
        except Exception:  # not a workbook calamine can read: not whole
            return False
    with report.open("rb") as file:
        count = sum(1 for _ in file)
    return count == rows + 1 and report.read_bytes().endswith(b"\n")


def run(source: Path, folder: Path, delay: float | None, signum, name: str, system_temp: Path) -> tuple[int, float]:
    report = folder / name
    began = time.monotonic()
    process = subprocess.Popen([str(BIN / "kz-epr"), "audit", str(source), "-o", str(report), "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "TMPDIR": str(system_temp)})
    if delay is not None:
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signum)
    try:
        code = process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        code = process.wait()
    err = process.stderr.read()
    if b"Traceback" in err:
        print(err.decode(errors="replace")[-3000:])
        code = -999
    return code, time.monotonic() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--workbook", action="store_true", help="write the report as a workbook (report.xlsx)")
    args = parser.parse_args()
    name = "report.xlsx" if args.workbook else "report.csv"
    rng = random.Random(args.seed)
    failures = 0
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        source = root / "declarations.csv"
        declarations(source, args.rows)
        system_temp = root / "system_temp"
        system_temp.mkdir()
        clean = root / "clean"
        clean.mkdir()
        (clean / name).write_bytes(OLD)
        code, duration = run(source, clean, None, None, name, system_temp)
        print(f"{args.rows} rows ({source.stat().st_size / 2**20:.0f} MiB): a whole audit takes {duration:.2f} s (exit {code})")
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            interrupted = finished = early = 0
            for attempt in range(args.times):
                folder = root / f"{signum.name}_{attempt}"
                folder.mkdir()
                (folder / name).write_bytes(OLD)
                code, _ = run(source, folder, rng.uniform(0.05, duration), signum, name, system_temp)
                listing = sorted(p.name for p in folder.iterdir())
                left = sorted(p.name for p in system_temp.iterdir())
                if left:
                    print(f"  left in the system temp folder: {left}")
                if code == -signum:  # delivered before the command's handlers were in place, or after it ended
                    early += 1
                    ok = listing == [name] and not left and ((folder / name).read_bytes() == OLD or whole(folder / name, args.rows))
                elif code == EXPECTED_CODE[signum]:  # interrupted: the old report, or (signal once it was in place) the whole new one
                    interrupted += 1
                    ok = listing == [name] and not left and ((folder / name).read_bytes() == OLD or whole(folder / name, args.rows))
                elif code == 0:
                    finished += 1
                    ok = listing == [name] and not left and (folder / name).read_bytes() != OLD
                else:
                    ok = False
                if not ok:
                    failures += 1
                    print(f"  FAILED: {signum.name} run {attempt}: exit {code}, folder {listing}")
                shutil.rmtree(folder)
            print(f"{signum.name}: {interrupted} interrupted (old report intact, nothing else left), "
                  f"{early} stopped by the signal itself while Python started or ended (old or whole report), "
                  f"{finished} finished before the signal")
    print("all checks passed" if not failures else f"{failures} checks FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
