"""What ``web.worker`` (the ``buffered`` worker of ``kz-epr serve``) relies on in gunicorn: these
fail if a new gunicorn changes it (then read the new code and adapt ``web/worker.py``, the only
module that uses gunicorn's internals).

- the code it builds on (the threaded worker's loop and answer, its connection, the parser's
  ``Unreader``, the framing of a request) is the code it was written against;
- it finds where a request ends exactly where gunicorn's own parser does, on requests of every
  framing, and hands over (gunicorn answers) those gunicorn refuses.
"""

from __future__ import annotations

import hashlib
import inspect

import pytest
from gunicorn.config import Config
from gunicorn.http import body, message, parser, unreader
from gunicorn.workers import gthread

from openfisca_kz_epr.web import worker

RELIED_ON = {  # what worker.py subclasses, calls or mirrors: a hash of its source in gunicorn 22.0.0
    "gunicorn.workers.gthread.ThreadWorker.__init__": (gthread.ThreadWorker.__init__, "aa0ae2c5bb740b51"),
    "gunicorn.workers.gthread.ThreadWorker.init_process": (gthread.ThreadWorker.init_process, "9126b066e5cc544d"),
    "gunicorn.workers.gthread.ThreadWorker.run": (gthread.ThreadWorker.run, "f4a682c0c1872630"),
    "gunicorn.workers.gthread.ThreadWorker.handle": (gthread.ThreadWorker.handle, "da5227cb54a5e972"),
    "gunicorn.workers.gthread.ThreadWorker.handle_request": (gthread.ThreadWorker.handle_request, "536e9b8d68506acd"),
    "gunicorn.workers.gthread.ThreadWorker._wrap_future": (gthread.ThreadWorker._wrap_future, "2af173a034f04664"),
    "gunicorn.workers.gthread.TConn": (gthread.TConn, "f747bdb0a11415e9"),
    "gunicorn.http.unreader.Unreader": (unreader.Unreader, "3618bb7efafe0132"),
    "gunicorn.http.unreader.SocketUnreader": (unreader.SocketUnreader, "bfeea40780c71693"),
    "gunicorn.http.parser.Parser": (parser.Parser, "0a77aa00a81fac04"),
    "gunicorn.http.message.Message.parse_headers": (message.Message.parse_headers, "07a2c478e4e0d477"),
    "gunicorn.http.message.Message.set_body_reader": (message.Message.set_body_reader, "9d4bcdf4374bbaad"),
    "gunicorn.http.message.Request.set_body_reader": (message.Request.set_body_reader, "db5c46d4c717f58a"),
    "gunicorn.http.body.ChunkedReader": (body.ChunkedReader, "f1e3dab99ba0e7ef"),
}


@pytest.mark.parametrize("name", list(RELIED_ON))
def test_the_gunicorn_code_relied_on_is_unchanged(name):
    code, digest = RELIED_ON[name]
    assert hashlib.sha256(inspect.getsource(code).encode()).hexdigest()[:16] == digest, (
        f"{name} changed in this gunicorn: check web/worker.py against it, then update the hash")


def test_the_worker_is_gunicorns_threaded_worker():
    assert issubclass(worker.BufferedWorker, gthread.ThreadWorker) and issubclass(worker.Connection, gthread.TConn)
    # the methods its loop calls, overridden
    for name in ("accept", "on_client_socket_readable", "finish_request", "murder_keepalived"):
        assert name in vars(worker.BufferedWorker) and callable(getattr(gthread.ThreadWorker, name))


HEAD = b"POST /calculate HTTP/1.1\r\nHost: x\r\n"
REQUESTS = {
    "content-length": HEAD + b"Content-Length: 5\r\n\r\nhello",
    "no body": b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n",
    "lower case names": HEAD + b"content-length: 3\r\n\r\nabc",
    "a value folded": HEAD + b"X-A: 1\r\n 2\r\nContent-Length: 2\r\n\r\nab",
    "a length of 30 digits, zeros first": HEAD + b"Content-Length: " + b"0" * 29 + b"2\r\n\r\nab",
    "expect 100-continue": HEAD + b"Expect: 100-continue\r\nContent-Length: 2\r\n\r\nab",
    "chunked": HEAD + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\n\r\n",
    "chunked, trailers": HEAD + b"Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\nX-T: 1\r\n\r\n",
    "chunked, upper case size": HEAD + b"Transfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
}
REFUSED = {  # gunicorn answers these 400 from what it has
    "two lengths": HEAD + b"Content-Length: 2\r\nContent-Length: 2\r\n\r\nab",
    "a length not a number": HEAD + b"Content-Length: 2x\r\n\r\nab",
    "a length and chunks": HEAD + b"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "gzip": HEAD + b"Transfer-Encoding: gzip\r\n\r\n",
    "a length of 5 000 digits": HEAD + b"Content-Length: " + b"1" * 5000 + b"\r\n\r\n",  # more than int() reads
    "chunked twice": HEAD + b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "a chunk size not a number": HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n",
}
NEXT = b"GET /version HTTP/1.1\r\n\r\n"  # the next request on the connection


def _gunicorns_end(raw: bytes) -> int | None:
    """Where gunicorn's parser ends the first request of ``raw`` (None: it refuses it)."""
    requests = parser.RequestParser(Config(), iter([raw]), ("127.0.0.1", 1))
    try:
        request = next(requests)
        while request.body.read(1 << 16):
            pass
    except Exception:  # gunicorn's InvalidHeader, InvalidChunkSize, UnsupportedTransferCoding…
        return None
    return len(raw) - len(requests.unreader.read())


def _our_end(raw: bytes, max_body: int = 1 << 20) -> int:
    head_end = raw.find(b"\r\n\r\n")
    return worker.Request(raw[:head_end], head_end + 4, max_body).end(bytearray(raw))


@pytest.mark.parametrize("name", list(REQUESTS))
def test_a_request_ends_where_gunicorn_ends_it(name):
    raw = REQUESTS[name] + NEXT
    assert _gunicorns_end(raw) == _our_end(raw) == len(REQUESTS[name])
    for cut in range(raw.find(b"\r\n\r\n") + 4, len(REQUESTS[name])):  # not whole yet: wait for more
        head_end = raw.find(b"\r\n\r\n")
        assert worker.Request(raw[:head_end], head_end + 4, 1 << 20).end(bytearray(raw[:cut])) is None, cut


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_request_gunicorn_refuses_is_handed_over_at_once(name):
    raw = REFUSED[name] + NEXT
    assert _gunicorns_end(raw) is None
    assert _our_end(raw) == worker._HAND_OVER


def test_a_body_over_the_limit_is_handed_over_before_it_arrives():
    assert _our_end(HEAD + b"Content-Length: 11\r\n\r\n", max_body=10) == worker._HAND_OVER
    chunked = HEAD + b"Transfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n123"  # 11 bytes of data so far
    assert _our_end(chunked, max_body=10) == worker._TOO_LARGE
    assert _our_end(chunked, max_body=11) is None


def test_expect_100_continue_is_read():
    raw = REQUESTS["expect 100-continue"]
    head_end = raw.find(b"\r\n\r\n")
    assert worker.Request(raw[:head_end], head_end + 4, 10).expects_continue
    assert not worker.Request(REQUESTS["content-length"][:head_end], head_end + 4, 10).expects_continue
