"""A real ``kz-epr serve`` on a free port of 127.0.0.1 for the web tests, and a small HTTP
client (the standard library's) to talk to it."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(name: str) -> str:
    return shutil.which(name, path=str(BIN)) or name


@contextmanager
def running(arguments: list[str], url: str):
    """``url`` once the server started with ``arguments`` answers ``/spec``; stopped on exit."""
    process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/spec", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:  # TimeoutError: busy starting
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise RuntimeError(f"{arguments[0]} did not start: {process.stderr.read().decode()[-2000:]}") from error
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def kz_epr_server(workers: int = 1, threads: int = 1, *options: str):
    """The base URL of a running ``kz-epr serve`` (``options``: more of its options)."""
    port = free_port()
    return running([command("kz-epr"), "serve", "--port", str(port), "--workers", str(workers), "--threads", str(threads),
                    *options], f"http://127.0.0.1:{port}")


def openfisca_server(*options: str):
    """The base URL of a running plain ``openfisca serve`` of this package (``options``: e.g. ``--reforms X``)."""
    port = free_port()
    return running([command("openfisca"), "serve", "--country-package", "openfisca_kz_epr", *options,
                    "--bind", f"127.0.0.1:{port}", "--workers", "1"], f"http://127.0.0.1:{port}")


def call(method: str, url: str, body=None, content_type: str = "application/json", headers: dict | None = None):
    """(status, headers, body parsed as JSON when it is JSON, else text)."""
    data = body if isinstance(body, bytes) or body is None else (body.encode() if isinstance(body, str) else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": content_type, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, answer_headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, raw = error.code, error.headers, error.read()
    text = raw.decode()
    parsed = json.loads(text) if answer_headers.get_content_type() == "application/json" else text
    return status, answer_headers, parsed
