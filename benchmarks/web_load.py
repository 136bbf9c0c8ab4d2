"""Load benchmark of ``kz-epr serve`` against plain ``openfisca serve`` of the same package, in
the same run, on loopback only. Bounded (a time and a request budget per measure) and
self-stopping (the servers it starts are stopped at the end, whatever happens).

Measures, for each server: a one-line POST /calculate with 1 and 4 concurrent clients (each
client a process sending requests one after the other over one keep-alive connection, checking
every answer): requests per second, p50 and p99 latency, errors; the ratio of the throughputs.
Then POST /bulk with 10 000 lines (JSON lines and CSV), and one /calculate of 10 000 lines
on both servers.

    .venv/bin/python benchmarks/web_load.py [--seconds 10] [--workers N] [--rounds 2] [--baseline CHECKOUT]...

Each load is measured on one day (2021-03-01) and on random days of 2016-2026 (each client its
own sequence of 2 000 days: the law of a day not asked recently).

``--baseline CHECKOUT`` (may be given several times: a fixed reference commit and the commit
before, each in a worktree, ``git worktree add ../ref 68b8962``) also serves ``kz-epr serve`` of
that checkout with this environment's packages, measured in the same rounds, and prints this
one's throughput and p99 as ratios of each (the median of the rounds' ratios, and their range).
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import multiprocessing
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

HOST = "127.0.0.1"  # loopback only
DAY = "2021-03-01"
ONE_LINE = json.dumps({"product_lines": {"line": {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: 2.5}, "epr_payment": {DAY: None}}}}).encode()
ONE_LINE_PAYMENT = 103188.88  # 2.5 t of tyres on 2021-03-01: 2.5 × 2 917 × 14.15 = 103 188.875 -> half up
RANDOM_DAYS = 2000  # distinct days of 2016-2026 asked in turn by the "random days" measure


def random_day_bodies(seed: int) -> list[bytes]:
    """One-line /calculate bodies of 2.5 t of tyres on random days of 2016-2026 (a day the law
    cannot price is answered 400 naming why: counted as answered, not as an error)."""
    rng = random.Random(seed)
    days = [f"{rng.randint(2016, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(RANDOM_DAYS)]
    return [json.dumps({"product_lines": {"line": {"product": {day: "tyres"}, "mass_tonnes": {day: 2.5}, "epr_payment": {day: None}}}}).encode()
            for day in days]
MAX_REQUESTS = 200_000  # per client and measure, on top of the time budget
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextmanager
def server(command: list[str], port: int):
    """A server process, ready (answers /spec) or the benchmark stops; always stopped after."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=False)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=5)
                connection.request("GET", "/spec")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{command[0]} did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Connection:
    """A minimal HTTP/1.1 client on one keep-alive connection (reopened when the server closes
    it): the request's bytes are made once and only the status line and the two headers it
    needs are read, so that the load generator's own work, on the same cores, stays small
    beside the server's."""

    def __init__(self, port: int, path: str, bodies: list[bytes]) -> None:
        self.port = port
        self.requests = [(f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
                          f"Content-Length: {len(body)}\r\n\r\n").encode() + body for body in bodies]
        self.sent = 0
        self.socket = None
        self.buffer = b""

    def post(self) -> tuple[int, bytes]:
        """Send the next request (in turn) and read its answer."""
        if self.socket is None:
            self.socket = socket.create_connection((HOST, self.port), timeout=30)
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buffer = b""
        self.socket.sendall(self.requests[self.sent % len(self.requests)])
        self.sent += 1
        while b"\r\n\r\n" not in self.buffer:
            self._read()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        head = head.lower()
        length = int(head.split(b"\r\ncontent-length:", 1)[1].split(b"\r\n", 1)[0])
        while len(self.buffer) < length:
            self._read()
        answer, self.buffer = self.buffer[:length], self.buffer[length:]
        if b"\r\nconnection: close" in head:
            self.close()
        return int(head[9:12]), answer

    def _read(self) -> None:
        chunk = self.socket.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()
        self.socket = None


def _client(port: int, seconds: float, start_at: float, results, seed: int | None) -> None:
    """Send one-line /calculate requests until the time or request budget is spent, checking
    every answer: on 2021-03-01 (``seed`` None), or on random days (a 200 or a 400 naming the line)."""
    connection = Connection(port, "/calculate", [ONE_LINE] if seed is None else random_day_bodies(seed))
    latencies, errors = [], 0
    while time.monotonic() < start_at:
        time.sleep(0.001)
    stop = start_at + seconds
    while time.monotonic() < stop and len(latencies) < MAX_REQUESTS:
        began = time.perf_counter()
        try:
            status, body = connection.post()
            if seed is None:
                ok = status == 200 and json.loads(body)["product_lines"]["line"]["epr_payment"][DAY] == ONE_LINE_PAYMENT
            else:
                ok = status in (200, 400) and "epr_payment" in json.loads(body)["product_lines"]["line"]
        except (OSError, ValueError, KeyError):
            ok = False
            connection.close()
        latencies.append(time.perf_counter() - began)
        errors += not ok
    connection.close()
    results.put((latencies, errors))


def load(port: int, clients: int, seconds: float, random_days: bool = False) -> dict:
    """``clients`` processes for ``seconds``: throughput, latency percentiles, errors; each client
    asks random days (its own sequence) if ``random_days``."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.monotonic() + 0.5
    processes = [context.Process(target=_client, args=(port, seconds, start_at, results, client if random_days else None))
                 for client in range(clients)]
    for process in processes:
        process.start()
    gathered = [results.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    latencies = sorted(latency for part, _ in gathered for latency in part)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "errors": sum(errors for _, errors in gathered),
    }


def declarations(count: int, seed: int = 3):
    """``count`` declaration lines over 2016-2026, every kind of line, some the law cannot price."""
    rng = random.Random(seed)
    goods = ["tyres", "electric_accumulators", "oils", "glass_packaging", "polymer_packaging", "paper_packaging", "printed_matter"]
    lines = []
    for _ in range(count):
        day = f"{rng.randint(2016, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        kind = rng.random()
        if kind < 0.7:
            lines.append({"date": day, "product": rng.choice(goods), "mass_tonnes": rng.randint(1, 10**7) / 1000})
        elif kind < 0.85:
            lines.append({"date": day, "product": "cable_products", "invoice_value": rng.randint(1, 10**9) / 100})
        else:
            lines.append({"date": day, "product": "vehicle", "vehicle_category": "m1", "engine_displacement_cm3": rng.randint(800, 5000)})
    return lines


def post(port: int, path: str, body: bytes, kind: str, timeout: float = 120):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    began = time.perf_counter()
    connection.request("POST", path, body=body, headers={"Content-Type": kind})
    response = connection.getresponse()
    answer = response.read()
    return time.perf_counter() - began, response.status, answer


def bulk(port: int, count: int, repeats: int = 5) -> dict:
    lines = declarations(count)
    as_json_lines = "".join(json.dumps(line) + "\n" for line in lines).encode()
    columns = ["date", "product", "mass_tonnes", "invoice_value", "vehicle_category", "engine_displacement_cm3"]
    as_csv = (",".join(columns) + "\n" + "".join(",".join(str(line.get(c, "")) for c in columns) + "\n" for line in lines)).encode()
    timings = {}
    for name, body, kind in (("json_lines", as_json_lines, "application/x-ndjson"), ("csv", as_csv, "text/csv")):
        runs = []
        for _ in range(repeats):
            seconds, status, answer = post(port, "/bulk", body, kind)
            assert status == 200, (status, answer[:300])
            text = answer.decode()
            results = [json.loads(line) for line in text.splitlines()] if name == "json_lines" else list(csv.DictReader(io.StringIO(text)))
            assert len(results) == count, len(results)
            runs.append(seconds)
        priced = sum(1 for result in results if not result["problem"])
        timings[name] = {"median_s": statistics.median(runs), "best_s": min(runs), "lines": count, "priced": priced}
    return timings


def big_calculate(port: int, count: int) -> dict:
    lines = {f"l{i}": {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: 1 + i / 1000}, "epr_payment": {DAY: None}} for i in range(count)}
    body = json.dumps({"product_lines": lines}).encode()
    try:
        seconds, status, _ = post(port, "/calculate", body, "application/json", timeout=120)
    except OSError as error:
        return {"error": str(error)}
    return {"seconds": seconds, "status": status}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="duration of each load measure (default 10)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1),
                        help="worker processes of each server, the same for both (default: two per core, kz-epr serve's default)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of measures, servers in ABBA order (default 2)")
    parser.add_argument("--bulk-lines", type=int, default=10_000)
    parser.add_argument("--baseline", type=Path, action="append", default=[], metavar="CHECKOUT",
                        help="also serve kz-epr serve of this checkout (a worktree of a fixed reference commit, of the "
                        "commit before; may be given several times)")
    args = parser.parse_args()
    openfisca = shutil.which("openfisca", path=str(BIN)) or "openfisca"
    kz_epr = shutil.which("kz-epr", path=str(BIN)) or "kz-epr"
    plain_port, ours_port = free_port(), free_port()
    commands = {
        "openfisca serve": ([openfisca, "serve", "--country-package", "openfisca_kz_epr", "--bind", f"{HOST}:{plain_port}", "--workers", str(args.workers)], plain_port),
        "kz-epr serve": ([kz_epr, "serve", "--host", HOST, "--port", str(ours_port), "--workers", str(args.workers)], ours_port),
    }
    for checkout in args.baseline:
        baseline_port = free_port()
        run_checkout = (f"import sys; sys.path.insert(0, {str(checkout.resolve())!r}); "
                        "from openfisca_kz_epr.cli import main; sys.exit(main())")
        commands[f"{checkout.name} serve"] = ([sys.executable, "-c", run_checkout, "serve", "--host", HOST, "--port",
                                              str(baseline_port), "--workers", str(args.workers)], baseline_port)
    print(f"cores: {os.cpu_count()}, workers per server: {args.workers}, {args.seconds:g} s per measure, {args.rounds} rounds")
    modes = {"one day": False, "random days": True}
    with ExitStack() as stack:
        ports = {name: stack.enter_context(server(command, port)) for name, (command, port) in commands.items()}
        for port in ports.values():
            load(port, 2, 1.0)  # warm up every worker
        measures: dict[tuple[str, str, int], list[dict]] = {}
        for round_ in range(args.rounds):
            for mode, random_days in modes.items():
                for clients in (1, 4):
                    order = list(ports.items()) if round_ % 2 == 0 else list(ports.items())[::-1]  # ABBA: drift cancels
                    for name, port in order:
                        measures.setdefault((name, mode, clients), []).append(load(port, clients, args.seconds, random_days))
        print("\nOne-line POST /calculate (median of the rounds' figures)")
        print(f"{'server':22} {'days':12} {'clients':>7} {'requests':>9} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
        summary = {}
        for (name, mode, clients), runs in measures.items():
            row = {key: statistics.median(run[key] for run in runs) for key in ("rps", "p50_ms", "p99_ms")}
            row["requests"] = sum(run["requests"] for run in runs)
            row["errors"] = sum(run["errors"] for run in runs)
            summary[(name, mode, clients)] = row
            print(f"{name:22} {mode:12} {clients:7} {row['requests']:9} {row['rps']:8.0f} {row['p50_ms']:7.2f} {row['p99_ms']:7.2f} {row['errors']:6}")
        for other in [name for name in ports if name != "kz-epr serve"]:
            for mode in modes:
                for clients in (1, 4):
                    ours, theirs = measures[("kz-epr serve", mode, clients)], measures[(other, mode, clients)]
                    paired = sorted(a["rps"] / b["rps"] for a, b in zip(ours, theirs))
                    p99 = sorted(a["p99_ms"] / b["p99_ms"] for a, b in zip(ours, theirs))
                    print(f"kz-epr / {other}, {mode}, {clients} client(s): throughput {statistics.median(paired):.2f}x "
                          f"(rounds {paired[0]:.2f}-{paired[-1]:.2f}), p99 {statistics.median(p99):.2f}x ({p99[0]:.2f}-{p99[-1]:.2f})")
        print()
        for name, port in ports.items():
            if name != "openfisca serve":
                print(f"POST /bulk, {args.bulk_lines} lines ({name}): {json.dumps(bulk(port, args.bulk_lines))}")
        for name, port in ports.items():
            print(f"POST /calculate of {args.bulk_lines} lines ({name}): {json.dumps(big_calculate(port, args.bulk_lines))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
