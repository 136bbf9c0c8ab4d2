"""Load benchmark of ``kz-epr serve`` against plain ``openfisca serve`` of the same package, in
the same run, on loopback only. Bounded (a time and a request budget per measure) and
self-stopping (the servers it starts are stopped at the end, whatever happens).

Measures, for each server: a one-line POST /calculate, POST /trace and POST /explain with 1 and
4 concurrent clients (each client a process sending requests one after the other over one
keep-alive connection, checking every answer): requests per second, p50 and p99 latency,
errors; the ratio of the throughputs. Then POST /bulk with 10 000 lines (JSON lines and CSV),
and one /calculate of 10 000 lines on both servers.

    .venv/bin/python benchmarks/web_load.py [--seconds 10] [--workers N] [--rounds 2] [--baseline CHECKOUT]...
        [--endpoints calculate trace explain] [--worker-class CLASS]... [--one-line-only]

Each load is measured on one day (2021-03-01) and on random days of 2016-2026 (each client its
own sequence of 2 000 days: the law of a day not asked recently).

``--baseline CHECKOUT`` (may be given several times: a fixed reference commit and the commit
before, each in a worktree, ``git worktree add ../ref 68b8962``) also serves ``kz-epr serve`` of
that checkout with this environment's packages, measured in the same rounds, and prints this
one's throughput and p99 as ratios of each (the median of the rounds' ratios, and their range).
A checkout without one of the endpoints is said so, and not measured on it.
``--worker-class`` (may be given several times) serves this checkout once per worker class.
``--one-line-only`` leaves out plain ``openfisca serve`` and the bulk measures. The load
average is printed after each round.
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
ONE_LINE_PAYMENT = 103188.88  # 2.5 t of tyres on 2021-03-01: 2.5 × 2 917 × 14.15 = 103 188.875 -> half up
RANDOM_DAYS = 2000  # distinct days of 2016-2026 asked in turn by the "random days" measure


def _situation(day: str) -> bytes:
    return json.dumps({"product_lines": {"line": {"product": {day: "tyres"}, "mass_tonnes": {day: 2.5}, "epr_payment": {day: None}}}}).encode()


def _line(day: str) -> bytes:
    return json.dumps({"date": day, "line": {"product": "tyres", "mass_tonnes": 2.5}}).encode()


def _paid(answer: dict) -> float:
    return answer["product_lines"]["line"]["epr_payment"][DAY]


class Endpoint:
    """A one-line request of an endpoint: its body on a day, and whether an answer is right (on
    2021-03-01: 103 188.88 KZT; on random days: a 200 with the line's figure, or a 400 naming why)."""

    def __init__(self, path: str, body, on_the_day, on_any_day) -> None:
        self.path, self.body, self.on_the_day, self.on_any_day = path, body, on_the_day, on_any_day

    def right(self, status: int, answer: bytes, one_day: bool) -> bool:
        parsed = json.loads(answer)
        if one_day:
            return status == 200 and self.on_the_day(parsed)
        return (status == 200 and self.on_any_day(parsed)) or (status == 400 and bool(parsed))


ENDPOINTS = {
    "calculate": Endpoint("/calculate", _situation, lambda a: _paid(a) == ONE_LINE_PAYMENT,
                          lambda a: "epr_payment" in a["product_lines"]["line"]),
    "trace": Endpoint("/trace", _situation, lambda a: a["trace"][f"epr_payment<{DAY}>"]["value"] == [ONE_LINE_PAYMENT],
                      lambda a: len(a["requestedCalculations"]) == 1),
    "explain": Endpoint("/explain", _line, lambda a: a["payment"]["tiyn"] == round(ONE_LINE_PAYMENT * 100),
                        lambda a: "payment" in a),
}


def random_days(seed: int) -> list[str]:
    """2 000 random days of 2016-2026 (a day the law cannot price is answered 400 naming why:
    counted as answered, not as an error)."""
    rng = random.Random(seed)
    return [f"{rng.randint(2016, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(RANDOM_DAYS)]


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


def _client(port: int, endpoint: str, seconds: float, start_at: float, results, seed: int | None) -> None:
    """Send one-line requests to ``endpoint`` until the time or request budget is spent,
    checking every answer: on 2021-03-01 (``seed`` None), or on random days."""
    kind = ENDPOINTS[endpoint]
    days = [DAY] if seed is None else random_days(seed)
    connection = Connection(port, kind.path, [kind.body(day) for day in days])
    latencies, errors = [], 0
    while time.monotonic() < start_at:
        time.sleep(0.001)
    stop = start_at + seconds
    while time.monotonic() < stop and len(latencies) < MAX_REQUESTS:
        began = time.perf_counter()
        try:
            status, body = connection.post()
            ok = kind.right(status, body, seed is None)
        except (OSError, ValueError, KeyError, TypeError):
            ok = False
            connection.close()
        latencies.append(time.perf_counter() - began)
        errors += not ok
    connection.close()
    results.put((latencies, errors))


def load(port: int, clients: int, seconds: float, random_days: bool = False, endpoint: str = "calculate") -> dict:
    """``clients`` processes for ``seconds`` on ``endpoint``: throughput, latency percentiles,
    errors; each client asks random days (its own sequence) if ``random_days``."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.monotonic() + 0.5
    processes = [context.Process(target=_client, args=(port, endpoint, seconds, start_at, results, client if random_days else None))
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


def serves(port: int, endpoint: str) -> bool:
    """Whether the server at ``port`` has ``endpoint`` (a checkout before it answers 404)."""
    kind = ENDPOINTS[endpoint]
    _, status, _ = post(port, kind.path, kind.body(DAY), "application/json")
    return status != 404


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
    parser.add_argument("--endpoints", nargs="+", choices=list(ENDPOINTS), default=list(ENDPOINTS),
                        help="one-line requests measured (default: all)")
    parser.add_argument("--worker-class", action="append", default=[], metavar="CLASS",
                        help="serve this checkout with this kz-epr serve --worker-class (may be given several times; default: its own)")
    parser.add_argument("--one-line-only", action="store_true", help="no plain openfisca serve, no bulk measures")
    args = parser.parse_args()
    openfisca = shutil.which("openfisca", path=str(BIN)) or "openfisca"
    kz_epr = shutil.which("kz-epr", path=str(BIN)) or "kz-epr"
    commands = {}
    if not args.one_line_only:
        port = free_port()
        commands["openfisca serve"] = ([openfisca, "serve", "--country-package", "openfisca_kz_epr", "--bind", f"{HOST}:{port}",
                                        "--workers", str(args.workers)], port)
    ours = []
    for worker_class in args.worker_class or [None]:
        port = free_port()
        name = f"kz-epr serve ({worker_class})" if worker_class else "kz-epr serve"
        ours.append(name)
        commands[name] = ([kz_epr, "serve", "--host", HOST, "--port", str(port), "--workers", str(args.workers),
                           *(["--worker-class", worker_class] if worker_class else [])], port)
    for checkout in args.baseline:
        port = free_port()
        run_checkout = (f"import sys; sys.path.insert(0, {str(checkout.resolve())!r}); "
                        "from openfisca_kz_epr.cli import main; sys.exit(main())")
        commands[f"{checkout.name} serve"] = ([sys.executable, "-c", run_checkout, "serve", "--host", HOST, "--port",
                                              str(port), "--workers", str(args.workers)], port)
    print(f"cores: {os.cpu_count()}, workers per server: {args.workers}, {args.seconds:g} s per measure, {args.rounds} rounds, "
          f"load average {_load_average()}")
    modes = {"one day": False, "random days": True}
    with ExitStack() as stack:
        ports = {name: stack.enter_context(server(command, port)) for name, (command, port) in commands.items()}
        served = {(name, endpoint): serves(port, endpoint) for name, port in ports.items() for endpoint in args.endpoints}
        for (name, endpoint), present in served.items():
            if not present:
                print(f"{name} has no POST {ENDPOINTS[endpoint].path}: not measured on it")
        for port in ports.values():
            load(port, 2, 1.0)  # warm up every worker
        measures: dict[tuple[str, str, str, int], list[dict]] = {}
        for round_ in range(args.rounds):
            for endpoint in args.endpoints:
                for mode, random_days in modes.items():
                    for clients in (1, 4):
                        order = list(ports.items()) if round_ % 2 == 0 else list(ports.items())[::-1]  # ABBA: drift cancels
                        for name, port in order:
                            if served[(name, endpoint)]:
                                measures.setdefault((endpoint, name, mode, clients), []).append(
                                    load(port, clients, args.seconds, random_days, endpoint))
            print(f"round {round_ + 1} done, load average {_load_average()}", flush=True)
        for endpoint in args.endpoints:
            _report(endpoint, {key[1:]: runs for key, runs in measures.items() if key[0] == endpoint}, ours, list(ports), modes)
        if not args.one_line_only:
            print()
            for name, port in ports.items():
                if name != "openfisca serve":
                    print(f"POST /bulk, {args.bulk_lines} lines ({name}): {json.dumps(bulk(port, args.bulk_lines))}")
            for name, port in ports.items():
                print(f"POST /calculate of {args.bulk_lines} lines ({name}): {json.dumps(big_calculate(port, args.bulk_lines))}")
    return 0


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _report(endpoint: str, measures: dict, ours: list[str], servers: list[str], modes) -> None:
    """The table of one endpoint's measures, and each of ours as ratios of every other server."""
    print(f"\nOne-line POST {ENDPOINTS[endpoint].path} (median of the rounds' figures)")
    print(f"{'server':26} {'days':12} {'clients':>7} {'requests':>9} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for (name, mode, clients), runs in measures.items():
        row = {key: statistics.median(run[key] for run in runs) for key in ("rps", "p50_ms", "p99_ms")}
        print(f"{name:26} {mode:12} {clients:7} {sum(run['requests'] for run in runs):9} {row['rps']:8.0f} "
              f"{row['p50_ms']:7.2f} {row['p99_ms']:7.2f} {sum(run['errors'] for run in runs):6}")
    for mine in ours:
        for other in [name for name in servers if name != mine]:
            for mode in modes:
                for clients in (1, 4):
                    if (other, mode, clients) not in measures or (mine, mode, clients) not in measures:
                        continue
                    pairs = list(zip(measures[(mine, mode, clients)], measures[(other, mode, clients)]))
                    rps = sorted(a["rps"] / b["rps"] for a, b in pairs)
                    p99 = sorted(a["p99_ms"] / b["p99_ms"] for a, b in pairs)
                    print(f"{mine} / {other}, {mode}, {clients} client(s): throughput {statistics.median(rps):.2f}x "
                          f"(rounds {rps[0]:.2f}-{rps[-1]:.2f}), p99 {statistics.median(p99):.2f}x ({p99[0]:.2f}-{p99[-1]:.2f})")


if __name__ == "__main__":
    sys.exit(main())
