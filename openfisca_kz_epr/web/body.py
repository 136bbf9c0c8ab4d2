"""Every request body read whole, or refused, before any handler sees it.

A WSGI middleware in front of the Flask app (OpenFisca's routes and ours alike): a body over
the limit is answered 413 whatever its transfer encoding (a ``Content-Length`` over it at
once, a chunked body as soon as it passes it), a body that ends before its ``Content-Length``
is answered 400, a body that has not arrived whole ``seconds`` after the request's head (a
client that stalls, or trickles it) is answered 408 and its connection closed (under gevent's
workers: ``gevent.Timeout``; ``kz-epr serve``'s default worker, ``worker.BufferedWorker``, gives
the app only bodies arrived whole and answers the 408 itself, ``stalled``); otherwise the app
reads the same bytes from memory. Without it, Werkzeug cut a chunked body at the limit and the app answered 200
on what was left, and a stalled body held its connection for as long as the client liked.
"""

from __future__ import annotations

import contextlib
import io
import json
import os

_READ = 1 << 16  # bytes read from the connection at a time
BODY_SECONDS = 60  # a body must arrive whole within this many seconds of the request's head


class _Stalled(Exception):
    """The body did not arrive in time."""


class WholeBody:
    """``app`` behind a limit of ``limit`` bytes per request body, which must arrive within
    ``seconds``."""

    def __init__(self, app, limit: int, seconds: float = BODY_SECONDS) -> None:
        self.app = app
        self.limit = limit
        self.seconds = seconds

    def __call__(self, environ, start_response):
        declared = environ.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not declared and not chunked:
            return self.app(environ, start_response)
        if declared:
            if not declared.isdigit():
                return _refuse(start_response, 400, f"Content-Length {declared!r} is not a number of bytes")
            if int(declared) > self.limit:
                return _refuse(start_response, 413, self._too_large())
        wanted = int(declared) if declared and not chunked else self.limit + 1
        try:
            with _deadline(self.seconds):
                body = _read(environ["wsgi.input"], wanted)
        except _Stalled:
            status, headers, content = stalled(self.seconds)
            start_response(status, headers)
            return [content]
        if body is None:
            return _refuse(start_response, 400, "the body could not be read: the connection failed before its end")
        if len(body) > self.limit:
            return _refuse(start_response, 413, self._too_large())
        if declared and not chunked and len(body) < int(declared):
            return _refuse(start_response, 400, f"the body ended after {len(body)} of the {declared} bytes its Content-Length announced")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ["wsgi.input_terminated"] = True
        return self.app(environ, start_response)

    def _too_large(self) -> str:
        return too_large(self.limit)


def _read(stream, wanted: int) -> bytes | None:
    """Up to ``wanted`` bytes of ``stream``; fewer if it ends first; None if reading fails."""
    parts, got = [], 0
    try:
        while got < wanted:
            part = stream.read(min(_READ, wanted - got))
            if not part:
                break
            parts.append(part)
            got += len(part)
    except (OSError, ValueError, EOFError):  # the connection broke, or the server's reader gave up
        return None
    return b"".join(parts)


def _deadline(seconds: float):
    """``_Stalled`` raised in the block after ``seconds`` when gevent runs the sockets (else no
    deadline here: a gthread worker has gunicorn's own timeout)."""
    try:
        from gevent import Timeout, monkey
    except ImportError:
        return contextlib.nullcontext()
    return Timeout(seconds, _Stalled) if monkey.is_module_patched("socket") else contextlib.nullcontext()


_REASONS = {408: "Request Timeout", 413: "Request Entity Too Large"}


def too_large(limit: int) -> str:
    """Why a body over ``limit`` bytes is refused (413)."""
    return (f"Request Entity Too Large: a body of at most {limit} bytes ({limit / 2**20:g} MiB) is read; "
            "send the lines in several requests")


def stalled(seconds: float) -> tuple[str, list[tuple[str, str]], bytes]:
    """The answer to a body not arrived whole within ``seconds``: (status, headers, JSON body);
    given by ``WholeBody`` under gevent's workers and by ``worker.BufferedWorker`` itself."""
    return refusal(408, f"the body did not arrive whole within {seconds:g} s: it is not read")


def refusal(status: int, reason: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """A refused request's answer (the connection closed after it): (status, headers, JSON body)."""
    content = json.dumps({"error": reason}, ensure_ascii=False).encode()
    return f"{status} {_REASONS.get(status, 'Bad Request')}", [
        ("Content-Type", "application/json"), ("Content-Length", str(len(content))),
        ("X-Request-Id", os.urandom(16).hex()), ("Connection", "close"),
    ], content


def _refuse(start_response, status: int, reason: str):
    status_line, headers, content = refusal(status, reason)
    start_response(status_line, headers)
    return [content]
