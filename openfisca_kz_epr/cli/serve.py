"""``kz-epr serve``: the OpenFisca web API of this package (``openfisca_kz_epr.web``) on
gunicorn, the server ``openfisca serve`` uses. The app is loaded once, then the workers are
forked. The default worker, ``buffered`` (``web.worker``), is gunicorn's threaded worker whose
main thread receives each request whole, without blocking, before it is computed: a slow or
idle client (a slowloris trickling a byte every few seconds) holds a connection, not a worker,
and the other clients are answered at full rate (benchmarks/slow_clients.py: with 16 slow
connections 0.96x the throughput and p99 of none; gunicorn's plain gthread stalled). A request
computes without yielding, so a worker answers one at a time (with one thread, in its main
thread): two workers per core by default, and a long /bulk on one leaves the others free.
``--threads`` gives a worker more threads. ``--worker-class gevent`` (each connection a
greenlet) and ``gthread`` (gunicorn's own, which a slow client stalls) remain. A request body
over ``--max-body`` MiB is answered 413 (``web.body``), one not arrived within
``--body-timeout`` seconds 408."""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys

from openfisca_kz_epr.cli import epilog

DEFAULT_PORT = 5000
DEFAULT_WORKERS = 2 * (os.cpu_count() or 1)  # a kept-alive client stays on its worker: see the docstring
DEFAULT_THREADS = 1  # per worker (buffered, gthread)
WORKER_CLASSES = ("buffered", "gevent", "gthread")
MAX_BODY_MIB = 64
SHARED_MEMORY = "/dev/shm"  # gunicorn's advice for worker_tmp_dir on Linux


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the OpenFisca web API of this package (every mistake a 400, values as of a day, /bulk)",
        description="Serve the OpenFisca web API of this package: OpenFisca's endpoints and JSON, every user mistake "
        "answered 400 naming it, GET /parameter/<id>?date=, GET /version, POST /bulk, the explanations (/explain, "
        "/customs_code, /changes, /timeline), the OpenAPI description at /spec.",
        epilog=epilog(["kz-epr serve", "kz-epr serve --host 0.0.0.0 --port 8000 --workers 4",
                       "curl -s 'http://127.0.0.1:5000/explain?date=2021-03-01&product=tyres&mass_tonnes=2.5'"], "docs/web-api.md"),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to listen on (default: {DEFAULT_PORT})")
    parser.add_argument("--workers", type=_positive, default=DEFAULT_WORKERS, help=f"worker processes (default: {DEFAULT_WORKERS}, two per core)")
    parser.add_argument("--threads", type=_positive, default=DEFAULT_THREADS,
                        help=f"threads per worker with --worker-class buffered or gthread (default: {DEFAULT_THREADS}; more let a worker "
                        "answer while one of its threads runs a long /bulk, at some cost in requests per second)")
    parser.add_argument("--worker-class", choices=WORKER_CLASSES, default=WORKER_CLASSES[0],
                        help=f"gunicorn's worker (default: {WORKER_CLASSES[0]}: a request is computed once it has arrived "
                        "whole, so a slow or idle client holds a connection, not a worker; gevent: a greenlet per connection; "
                        "gthread: gunicorn's threads, which a slow client holds)")
    parser.add_argument("--max-body", type=_positive, default=MAX_BODY_MIB, metavar="MIB",
                        help=f"largest request body read, in MiB; a larger one is answered 413 (default: {MAX_BODY_MIB})")
    parser.add_argument("--body-timeout", type=_positive, metavar="SECONDS",
                        help="a request body must arrive whole within this many seconds, else it is answered 408 and the "
                        "connection closed (default: openfisca_kz_epr.web.body.BODY_SECONDS, 60; buffered and gevent workers)")
    parser.set_defaults(run=run)


def run(args) -> int:
    try:
        _check_free(args.host, args.port)
    except OSError as error:
        print(f"kz-epr serve: cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    if args.worker_class == "gevent":
        # Patched before the app is loaded and the workers forked (the app is preloaded): patched
        # later, in each worker, a forked worker sometimes missed the SIGTERM that stops it.
        from gevent import monkey

        monkey.patch_all()
    from gunicorn.app.base import BaseApplication

    from openfisca_kz_epr.web import body, create_app, worker

    worker_class = worker.WORKER_CLASS if args.worker_class == "buffered" else args.worker_class

    class Server(BaseApplication):
        max_body = args.max_body * 2**20  # bytes, the limits of body.WholeBody and of worker.BufferedWorker
        body_seconds = body.BODY_SECONDS if args.body_timeout is None else args.body_timeout

        def load_config(self) -> None:
            self.cfg.set("bind", [f"[{args.host}]:{args.port}" if ":" in args.host else f"{args.host}:{args.port}"])
            self.cfg.set("workers", args.workers)
            self.cfg.set("preload_app", True)  # read the law once, then fork
            self.cfg.set("worker_class", worker_class)
            self.cfg.set("threads", args.threads)
            self.cfg.set("keepalive", 5)
            if os.path.isdir(SHARED_MEMORY):  # the workers' heartbeat file, touched at every event: not on a disk
                self.cfg.set("worker_tmp_dir", SHARED_MEMORY)
            self.cfg.set("timeout", 300)  # a bulk request of several 100 000 lines takes seconds

        def load(self):
            return create_app(max_body=self.max_body, body_seconds=self.body_seconds)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s")
    Server().run()
    return 0


def _check_free(host: str, port: int) -> None:
    """Fail at once, with the reason, when the address cannot be listened on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def _port(text: str) -> int:
    value = _positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port (1-65535)")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value
