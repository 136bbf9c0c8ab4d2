"""POST /bulk through ``kz-epr serve``, this checkout against others, in paired interleaved runs.

    .venv/bin/python benchmarks/bulk_endpoint.py [--lines 10000] [--rounds 5] [--workers 4] [--in-process]
        [--baseline CHECKOUT]...

The body: ``--lines`` declaration lines on random days of 2016-2026 (``web_load.declarations``:
goods, cable, vehicles, some the law cannot price), as JSON lines and as CSV. Every server
(this checkout's ``kz-epr serve`` and each ``--baseline`` checkout's, with this environment's
packages, on loopback) is started once; then, round after round, each body is posted to every
server in turn, the order of the servers alternating (ABBA), and the seconds from the request
to the last byte of the answer are taken; every answer is checked (200, one result per line).
Prints the median and range of each server's seconds, and of this one's seconds as a ratio of
each baseline's in the same round; and how many lines each server priced (a baseline may refuse
lines this one prices).

``--in-process``: instead of servers, each checkout's app answers through Flask's test client in
a process of its own (one per round and checkout, the checkouts in ABBA order), and the processor
time of each request is taken (the median of 3 after a warm-up): the work of ``/bulk`` itself,
without the worker and the network, and less moved by other processes on the machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import statistics
import sys
from contextlib import ExitStack
from pathlib import Path

from checkouts import run_in
from web_load import BIN, HOST, declarations, free_port, post, server

KINDS = {"json_lines": "application/x-ndjson", "csv": "text/csv"}
CSV_COLUMNS = ["date", "product", "mass_tonnes", "invoice_value", "vehicle_category", "engine_displacement_cm3"]


def bodies(count: int) -> dict[str, bytes]:
    """The same ``count`` lines as JSON lines and as CSV."""
    lines = declarations(count)
    return {
        "json_lines": "".join(json.dumps(line) + "\n" for line in lines).encode(),
        "csv": (",".join(CSV_COLUMNS) + "\n" + "".join(",".join(str(line.get(c, "")) for c in CSV_COLUMNS) + "\n"
                                                        for line in lines)).encode(),
    }


def timed(port: int, kind: str, body: bytes, count: int) -> tuple[float, int]:
    """(seconds of one POST /bulk, lines priced), the answer checked."""
    seconds, status, answer = post(port, "/bulk", body, KINDS[kind])
    assert status == 200, (status, answer[:300])
    text = answer.decode()
    results = [json.loads(line) for line in text.splitlines()] if kind == "json_lines" else list(csv.DictReader(io.StringIO(text)))
    assert len(results) == count, len(results)
    return seconds, sum(1 for result in results if not result["problem"])


def in_process(count: int) -> dict[str, tuple[float, int]]:
    """In the checkout on ``sys.path``: {kind: (median processor seconds of a POST /bulk, lines priced)}."""
    import time

    from openfisca_kz_epr.web.app import create_app

    client = create_app().test_client()
    found = {}
    for kind, body in bodies(count).items():
        client.post("/bulk", data=body, content_type=KINDS[kind])  # warm: the law of the days
        runs = []
        for _ in range(3):
            began = time.process_time()
            answer = client.post("/bulk", data=body, content_type=KINDS[kind])
            runs.append(time.process_time() - began)
            assert answer.status_code == 200, answer.get_data()[:300]
        text = answer.get_data(as_text=True)
        results = [json.loads(line) for line in text.splitlines()] if kind == "json_lines" else list(csv.DictReader(io.StringIO(text)))
        assert len(results) == count, len(results)
        found[kind] = (statistics.median(runs), sum(1 for result in results if not result["problem"]))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4, help="worker processes of each server (default 4)")
    parser.add_argument("--baseline", type=Path, action="append", default=[], metavar="CHECKOUT",
                        help="also serve kz-epr serve of this checkout (a worktree of another commit; may be given several times)")
    parser.add_argument("--in-process", action="store_true",
                        help="each checkout's app through Flask's test client, processor time per request (no server)")
    args = parser.parse_args()
    if args.in_process:
        return main_in_process(args)
    kz_epr = shutil.which("kz-epr", path=str(BIN)) or "kz-epr"
    commands = {"this": ([kz_epr, "serve", "--host", HOST, "--port", "{port}", "--workers", str(args.workers)])}
    for checkout in args.baseline:
        run_checkout = (f"import sys; sys.path.insert(0, {str(checkout.resolve())!r}); "
                        "from openfisca_kz_epr.cli import main; sys.exit(main())")
        commands[checkout.name] = [sys.executable, "-c", run_checkout, "serve", "--host", HOST, "--port", "{port}",
                                   "--workers", str(args.workers)]
    payloads = bodies(args.lines)
    print(f"POST /bulk of {args.lines} lines on random days of 2016-2026, {args.workers} workers per server, "
          f"{args.rounds} rounds; load average {os.getloadavg()[0]:.2f}")
    seconds: dict[tuple[str, str], list[float]] = {}
    priced: dict[tuple[str, str], int] = {}
    with ExitStack() as stack:
        ports = {}
        for name, command in commands.items():
            port = free_port()
            ports[name] = stack.enter_context(server([part.replace("{port}", str(port)) for part in command], port))
        for _ in range(2 * args.workers):  # warm every worker: imports, the law of the days
            for port in ports.values():
                for kind, body in payloads.items():
                    timed(port, kind, body, args.lines)
        for round_ in range(args.rounds):
            order = list(ports) if round_ % 2 == 0 else list(ports)[::-1]
            for kind, body in payloads.items():
                for name in order:
                    took, priced[name, kind] = timed(ports[name], kind, body, args.lines)
                    seconds.setdefault((name, kind), []).append(took)
    print(f"load average at the end {os.getloadavg()[0]:.2f}\n")
    for (name, kind), runs in seconds.items():
        low, high = min(runs), max(runs)
        print(f"{name:10} {kind:10} median {statistics.median(runs):.3f} s (rounds {low:.3f}-{high:.3f}), "
              f"{priced[name, kind]} of {args.lines} lines priced")
    for name in list(ports)[1:]:
        for kind in payloads:
            ratios = sorted(a / b for a, b in zip(seconds["this", kind], seconds[name, kind]))
            print(f"this / {name}, {kind}: {statistics.median(ratios):.2f}x the time (rounds {ratios[0]:.2f}-{ratios[-1]:.2f})")
    return 0


def main_in_process(args) -> int:
    checkouts = {"this": Path(__file__).resolve().parent.parent, **{checkout.name: checkout.resolve() for checkout in args.baseline}}
    print(f"POST /bulk of {args.lines} lines on random days of 2016-2026, in process (processor time), {args.rounds} rounds; "
          f"load average {os.getloadavg()[0]:.2f}")
    found: dict[str, list[dict]] = {name: [] for name in checkouts}
    for round_ in range(args.rounds):
        for name in (list(checkouts) if round_ % 2 == 0 else list(checkouts)[::-1]):
            found[name].append(run_in(checkouts[name], "bulk_endpoint", f"in_process({args.lines})"))
    print(f"load average at the end {os.getloadavg()[0]:.2f}\n")
    for name, rounds in found.items():
        for kind in KINDS:
            runs = [one[kind][0] for one in rounds]
            print(f"{name:10} {kind:10} median {statistics.median(runs):.3f} s (rounds {min(runs):.3f}-{max(runs):.3f}), "
                  f"{rounds[-1][kind][1]} of {args.lines} lines priced")
    for name in list(checkouts)[1:]:
        for kind in KINDS:
            ratios = sorted(a[kind][0] / b[kind][0] for a, b in zip(found["this"], found[name]))
            print(f"this / {name}, {kind}: {statistics.median(ratios):.2f}x the processor time (rounds {ratios[0]:.2f}-{ratios[-1]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
