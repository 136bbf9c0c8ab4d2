"""Benchmark of the page of ``kz-epr serve`` (``openfisca_kz_epr.web.page``), on loopback only,
paired with the code of other checkouts (``--baseline ROOT``: the same virtual environment, that
checkout's package first on ``PYTHONPATH``), their servers running at the same time and asked in
turn, so that the ratios hold on a shared machine:

- the page's weight: bytes of the calculator's HTML (empty and with a result), of the result part
  the script asks for as one types (``/?part=result&…``), of its CSS and its script, as served
  (no compression);
- the time to the first result: from starting ``kz-epr serve`` to the first calculator answer
  holding an amount (what a user waits for after starting it);
- the round trips of one line (a customs code and a mass in kg, alternating the lines of
  ``LINES``, every answer checked for its amount), one client per server over a keep-alive
  connection: the result part (what typing asks for), the whole page (a link opened, the form
  without script) and ``GET /explain`` of the same line (the door the page asks): p50, p99, max;
- the server's own CPU time per request of each kind (``/proc/PID/stat``: user + system, over
  ``--requests`` requests of one kind in a row): what a request costs whatever else the machine is
  doing, where the latencies above also hold the waits for a core on a shared machine;
- with ``--browser``, in Debian's Chromium (Playwright): from the last key typed to the amount on
  the page (the script waits ``DEBOUNCE_MS`` after a key before it asks), from Enter to the
  amount, and a link with the inputs opened to its amount.

    .venv/bin/python benchmarks/page.py [--requests 300] [--rounds 3] [--baseline ../ref_main] [--browser]

The load average of the machine is printed with each round. Servers started here are stopped at
the end, whatever happens. Target: the result part's p99 under 100 ms.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent
DEBOUNCE_MS = 200  # static/page.js: the pause after a key before the result is asked for
# (query, the amount the page must show): tyres (4011 20 100 0) on days of 2021-2025, computed from the
# law: mass × MRP of the day × k 14.15, rounded half up to the tiyn
LINES = [
    ("date=2021-03-01&customs_code=4011201000&mass_kg=2345&lang=ru", "96\u00a0791,16\u00a0₸"),  # 2.345 × 2 917 × 14.15
    ("date=2023-03-01&customs_code=4011201000&mass_kg=2345&lang=ru", "114\u00a0477,04\u00a0₸"),  # 2.345 × 3 450 × 14.15
    ("date=2025-03-01&customs_code=4011201000&mass_kg=1000&lang=en", "55,637.80\u00a0₸"),  # 1 × 3 932 × 14.15
]
PART = "&part=result"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path, headers={"Accept": "text/html"})
    answer = connection.getresponse()
    return answer.status, answer.read()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Server:
    """``kz-epr serve`` (one worker) of the checkout ``root`` (None: this one), its first answer timed."""

    def __init__(self, root: str | None) -> None:
        self.name = root or "this"
        self.port = free_port()
        env = {**os.environ, **({"PYTHONPATH": str(Path(root).resolve())} if root else {})}
        self.started = time.perf_counter()
        self.process = subprocess.Popen([str(BIN / "kz-epr"), "serve", "--port", str(self.port), "--workers", "1"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        self.times: dict[str, list[float]] = {"part": [], "page": [], "explain": []}

    def first_result(self) -> tuple[float, http.client.HTTPConnection, bytes]:
        query, amount = LINES[0]
        while True:
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
                status, body = get(connection, f"/?{query}")
                break
            except OSError:
                if self.process.poll() is not None or time.perf_counter() - self.started > 180:
                    raise RuntimeError(f"kz-epr serve ({self.name}) did not start") from None
                time.sleep(0.05)
        assert status == 200 and amount.encode() in body, (status, body[:300])
        return time.perf_counter() - self.started, connection, body

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@contextmanager
def servers(roots: list[str | None]):
    with ExitStack() as stack:
        started = []
        for root in roots:
            server = Server(root)
            stack.callback(server.stop)
            started.append(server)
        yield started


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) the process ``pid`` and the processes it started (the
    server's worker) used so far (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    children = [int(child) for task in Path(f"/proc/{pid}/task").iterdir() for child in (task / "children").read_text().split()]
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") + sum(cpu_seconds(child) for child in children)


def timed(connection, path: str, amount: str | None, times: list[float]) -> bytes:
    before = time.perf_counter()
    status, body = get(connection, path)
    times.append(time.perf_counter() - before)
    if status != 200 or (amount is not None and amount.encode() not in body):
        raise RuntimeError(f"a wrong answer for {path}: {status}")
    return body


def measure(roots: list[str | None], requests: int) -> list[dict]:
    with servers(roots) as started:
        firsts = [server.first_result() for server in started]
        found = []
        for server, (first, connection, body) in zip(started, firsts):
            part = get(connection, f"/?{LINES[0][0]}{PART}")[1]
            server.has_part = b"<form" not in part  # a checkout before the result part answers the whole page
            server.connection = connection
            found.append({"checkout": server.name, "first_result_s": first, "html_empty": len(get(connection, "/?lang=ru")[1]),
                          "html_result": len(body), "part": len(part) if server.has_part else None,
                          "css": len(get(connection, "/page/static/page.css")[1]), "js": len(get(connection, "/page/static/page.js")[1])})
        for index in range(requests):  # each server in turn, each kind of request in turn: the same load on each
            query, amount = LINES[index % len(LINES)]
            for server in started:
                if server.has_part:
                    timed(server.connection, f"/?{query}{PART}", amount, server.times["part"])
                timed(server.connection, f"/?{query}", amount, server.times["page"])
                timed(server.connection, "/explain?" + query.rsplit("&lang=", 1)[0], None, server.times["explain"])
        for server in started:
            server.connection.close()
        for server, row in zip(started, found):  # CPU per request, one kind at a time
            for kind in ("part", "page", "explain"):
                if kind == "part" and not server.has_part:
                    continue
                connection = http.client.HTTPConnection(HOST, server.port, timeout=60)  # the server closes one idle 5 s
                get(connection, "/page/static/page.css")
                before = cpu_seconds(server.process.pid)
                for index in range(requests):
                    query, _ = LINES[index % len(LINES)]
                    path = {"part": f"/?{query}{PART}", "page": f"/?{query}", "explain": "/explain?" + query.rsplit("&lang=", 1)[0]}[kind]
                    get(connection, path)
                row[f"{kind}_cpu_ms"] = 1000 * (cpu_seconds(server.process.pid) - before) / requests
                connection.close()
            for kind, times in server.times.items():
                if times:
                    row.update({f"{kind}_p50_ms": 1000 * statistics.median(times), f"{kind}_p99_ms": 1000 * percentile(times, 0.99),
                                f"{kind}_max_ms": 1000 * max(times)})
        return found


def browser_times(repeats: int) -> dict:
    """Milliseconds, in Chromium, from the last key typed (and from Enter) to the amount shown, and from
    opening a link with the inputs to its amount (medians and ranges over ``repeats``)."""
    from playwright.sync_api import sync_playwright

    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync"]
    typed, entered, opened = [], [], []
    with servers([None]) as (server,), sync_playwright() as driver:
        server.first_result()
        url = f"http://{HOST}:{server.port}"
        chromium = driver.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        tab = chromium.new_page()
        tab.goto(f"{url}/?lang=ru&date=2023-03-01&customs_code=4011201000")
        for index in range(repeats):
            kg = str(1000 + index)
            tab.fill("#mass_kg", kg[:-1])
            tab.wait_for_function("kg => location.search.endsWith('mass_kg=' + kg)", arg=kg[:-1])
            before = time.perf_counter()
            tab.type("#mass_kg", kg[-1])
            tab.wait_for_function("kg => location.search.endsWith('mass_kg=' + kg) && document.querySelector('#amount')", arg=kg)
            typed.append(time.perf_counter() - before)
            tab.fill("#mass_kg", kg + "0")
            before = time.perf_counter()
            tab.press("#mass_kg", "Enter")
            tab.wait_for_function("kg => location.search.endsWith('mass_kg=' + kg) && document.querySelector('#amount')", arg=kg + "0")
            entered.append(time.perf_counter() - before)
            before = time.perf_counter()
            tab.goto(f"{url}/?lang=ru&date=2023-03-01&customs_code=4011201000&mass_kg={kg}", wait_until="load")
            opened.append(time.perf_counter() - before)
        chromium.close()
    return {name: f"{1000 * statistics.median(times):.0f} ms ({1000 * min(times):.0f}-{1000 * max(times):.0f})"
            for name, times in (("last key to amount", typed), ("Enter to amount", entered), ("link opened to load", opened))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", action="append", default=[], help="another checkout's root, measured in the same rounds")
    parser.add_argument("--browser", action="store_true", help="also the times in Chromium (Playwright, /usr/bin/chromium)")
    args = parser.parse_args()
    for round_ in range(1, args.rounds + 1):
        before = os.getloadavg()
        found = measure([None, *args.baseline], args.requests)
        after = os.getloadavg()
        print(f"round {round_} (load average {before[0]:.2f} before, {after[0]:.2f} after):")
        for row in found:
            print("  " + ", ".join(f"{name} {value:.1f}" if isinstance(value, float) else f"{name} {value}" for name, value in row.items()))
        for row in found[1:]:
            print(f"  this / {row['checkout']}: page p50 {found[0]['page_p50_ms'] / row['page_p50_ms']:.2f}, "
                  f"p99 {found[0]['page_p99_ms'] / row['page_p99_ms']:.2f}; this part / {row['checkout']} page: "
                  f"p50 {found[0]['part_p50_ms'] / row['page_p50_ms']:.2f}, p99 {found[0]['part_p99_ms'] / row['page_p99_ms']:.2f}")
    if args.browser:
        print(f"in Chromium (load average {os.getloadavg()[0]:.2f}):", browser_times(15))


if __name__ == "__main__":
    main()
