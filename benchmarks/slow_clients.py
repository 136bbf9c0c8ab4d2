"""Slow clients against ``kz-epr serve``, on loopback only: do normal clients still get answers
at full rate while 16 connections trickle a byte every few seconds (a slowloris)?

For each server configuration: normal clients (one-line POST /calculate over keep-alive
connections, every answer checked) for ``--seconds``, first alone, then while ``--slow``
connections each send one byte of a request every ``--every`` seconds. Prints requests per
second, p50 and p99 latency and errors with 0 and with the slow connections, and the ratios.
Bounded in time, self-stopping: every server and slow connection it opens is closed at the end.

    .venv/bin/python benchmarks/slow_clients.py [--seconds 8] [--clients 4] [--slow 16] [--every 2]
        [--worker-class gevent gthread]
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from contextlib import contextmanager

from web_load import BIN, HOST, free_port, load, server


@contextmanager
def trickling(port: int, count: int, every: float):
    """``count`` connections, each sending one byte of a request every ``every`` seconds until
    the block ends (never a whole request)."""
    stop = threading.Event()
    request = f"POST /calculate HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n".encode()
    sockets = []
    for _ in range(count):
        connection = socket.create_connection((HOST, port), timeout=5)
        sockets.append(connection)

    def trickle(connection, offset: int) -> None:
        position = 0
        if stop.wait(offset):
            return
        while not stop.is_set():
            try:
                connection.sendall(request[position % len(request):position % len(request) + 1])
            except OSError:  # the server closed it: open another, as a slowloris does
                try:
                    connection = socket.create_connection((HOST, port), timeout=5)
                    sockets.append(connection)
                except OSError:
                    pass
            position += 1
            stop.wait(every)

    threads = [threading.Thread(target=trickle, args=(s, every * i / count), daemon=True) for i, s in enumerate(sockets)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(every + 1)  # every slow connection has sent at least a byte
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=every + 5)
        for connection in sockets:
            connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=4, help="normal clients (processes)")
    parser.add_argument("--slow", type=int, default=16, help="slow connections")
    parser.add_argument("--every", type=float, default=2, help="seconds between two bytes of a slow connection")
    parser.add_argument("--workers", type=int, default=None, help="workers of kz-epr serve (default: its own)")
    parser.add_argument("--worker-class", nargs="+", default=[None], help="kz-epr serve --worker-class values to compare")
    args = parser.parse_args()
    for worker_class in args.worker_class:
        port = free_port()
        command = [str(BIN / "kz-epr"), "serve", "--port", str(port)]
        if args.workers:
            command += ["--workers", str(args.workers)]
        if worker_class:
            command += ["--worker-class", worker_class]
        with server(command, port):
            load(port, args.clients, 2)  # warm up
            alone = load(port, args.clients, args.seconds)
            with trickling(port, args.slow, args.every):
                slowed = load(port, args.clients, args.seconds)
        name = worker_class or "default"
        print(f"kz-epr serve ({name}), {args.clients} normal clients, {args.seconds:g} s each:")
        for label, result in (("alone", alone), (f"with {args.slow} slow", slowed)):
            print(f"  {label:>13}: {result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.2f} ms  p99 {result['p99_ms']:7.2f} ms  "
                  f"errors {result['errors']}  ({result['requests']} requests)")
        print(f"  with slow / alone: {slowed['rps'] / alone['rps']:.2f}x the throughput, "
              f"{slowed['p99_ms'] / alone['p99_ms']:.2f}x the p99")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
