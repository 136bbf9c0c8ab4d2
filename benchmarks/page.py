"""Benchmark of the page of ``kz-epr serve`` (``openfisca_kz_epr.web.page``), on loopback only:

- the page's weight: bytes of the calculator's HTML (empty and with a result), of its CSS and its
  script, as served (no compression);
- the time to the first result: from starting ``kz-epr serve`` to the first calculator answer
  holding an amount (what a user waits for after starting it), and the first answer's own time;
- the calculator's round trip: GET of the page with one line's inputs (a customs code and a mass
  in kg), one client over a keep-alive connection, every answer checked for its amount: p50,
  p99 and max latency over ``--requests`` requests, alternating the lines of ``LINES``; each
  interleaved with ``GET /explain`` of the same line (the door the page asks), so that the page's
  own cost is the difference of the two, measured under the same load.

    .venv/bin/python benchmarks/page.py [--requests 500] [--rounds 3]

The server it starts is stopped at the end, whatever happens. Target: p99 under 100 ms.
"""

from __future__ import annotations

import argparse
import http.client
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent
# (query, the amount the page must show): tyres (4011 20 100 0) on days of 2021-2025, computed from the
# law: mass × MRP of the day × k 14.15, rounded half up to the tiyn
LINES = [
    ("date=2021-03-01&customs_code=4011201000&mass_kg=2345&lang=ru", "96\u00a0791,16\u00a0₸"),  # 2.345 × 2 917 × 14.15
    ("date=2023-03-01&customs_code=4011201000&mass_kg=2345&lang=ru", "114\u00a0477,04\u00a0₸"),  # 2.345 × 3 450 × 14.15
    ("date=2025-03-01&customs_code=4011201000&mass_kg=1000&lang=en", "55,637.80\u00a0₸"),  # 1 × 3 932 × 14.15
]


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


def measure(requests: int) -> dict:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([str(BIN / "kz-epr"), "serve", "--port", str(port), "--workers", "1"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        query, amount = LINES[0]
        while True:
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                before = time.perf_counter()
                status, body = get(connection, f"/?{query}")
                first_answer = time.perf_counter() - before
                break
            except OSError:
                if process.poll() is not None or time.perf_counter() - started > 120:
                    raise RuntimeError("kz-epr serve did not start") from None
                time.sleep(0.05)
        first_result = time.perf_counter() - started
        assert status == 200 and amount.encode() in body, (status, body[:300])
        weights = {"html_empty": len(get(connection, "/?lang=ru")[1]), "html_result": len(body),
                   "css": len(get(connection, "/page/static/page.css")[1]), "js": len(get(connection, "/page/static/page.js")[1])}
        times, explain_times = [], []
        for index in range(requests):
            query, amount = LINES[index % len(LINES)]
            before = time.perf_counter()
            status, body = get(connection, f"/?{query}")
            times.append(time.perf_counter() - before)
            if status != 200 or amount.encode() not in body:
                raise RuntimeError(f"a wrong answer for {query}: {status}")
            before = time.perf_counter()
            status, body = get(connection, "/explain?" + query.rsplit("&lang=", 1)[0])
            explain_times.append(time.perf_counter() - before)
            if status != 200:
                raise RuntimeError(f"/explain failed for {query}: {status}")
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"first_result_s": first_result, "first_answer_ms": 1000 * first_answer, **weights,
            "p50_ms": 1000 * statistics.median(times), "p99_ms": 1000 * percentile(times, 0.99), "max_ms": 1000 * max(times),
            "explain_p50_ms": 1000 * statistics.median(explain_times), "explain_p99_ms": 1000 * percentile(explain_times, 0.99)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for round_ in range(1, args.rounds + 1):
        found = measure(args.requests)
        print(f"round {round_}: " + ", ".join(f"{name} {value:.1f}" if isinstance(value, float) else f"{name} {value}"
                                               for name, value in found.items()))


if __name__ == "__main__":
    main()
