"""The ``buffered`` worker of ``kz-epr serve``: gunicorn's threaded worker (``gthread``), whose
threads are given only requests that have arrived whole.

gunicorn's gthread worker hands a connection to a thread as soon as it has a byte to read; the
thread then reads the request with blocking calls, so a client that trickles its request (a
slowloris) holds the thread, and with one thread per worker the whole worker. Here the worker's
main thread, the one that waits on every connection (gunicorn's selector), reads what each
connection sends without blocking and keeps it until the request is whole: its head (up to the
empty line) and its body (``Content-Length`` bytes, or chunks up to the last). Only then is the
request answered, its bytes put back in front of gunicorn's own parser (``Unreader.unread``),
which parses and answers them as gthread does: with one thread per worker (``kz-epr serve``'s
default) by the main thread itself, which saves handing each request to another thread and
back, and keeps a worker that computes from accepting new connections (an idle worker takes
them); with more threads, by the thread pool. Computing never waits for a client.

Limits kept, as the gevent worker keeps them:

- a head (of a new connection, or of the next request on a kept-alive one) must arrive within
  the ``keepalive`` seconds of gunicorn's configuration, else the connection is closed;
- a body must arrive whole within ``body_seconds`` of its head, else the main thread answers
  408 (``body.stalled``) and closes the connection;
- a body over ``max_body`` bytes is refused 413 without reading the rest, and the connection
  closed after the answer: announced by its ``Content-Length``, it is handed over at once and
  ``body.WholeBody`` answers (gunicorn would keep the connection, and read the rest first);
  chunked past the limit, the main thread answers (gunicorn would read past the limit);
- a head gunicorn cannot parse, or larger than gunicorn's limits allow, is handed over at once:
  gunicorn answers it 400 from the bytes it has;
- a request whose client ends its side of the connection before it is whole is handed over as
  it is: a body cut short is a 400 (``body.WholeBody``).

While a request is answered its socket has a timeout of ``body_seconds``: if gunicorn still
reads from it (a framing this module read otherwise) or a client does not read its answer, the
worker is freed after that time, not held forever.

This is the one module that relies on gunicorn's internals (``ThreadWorker``, ``TConn``, the
parser's ``Unreader``); ``tests/test_gunicorn_internals.py`` fails if a new gunicorn changes them.
"""

from __future__ import annotations

import contextlib
import email.utils
import errno
import heapq
import itertools
import selectors
import time
from functools import partial

from gunicorn.workers.gthread import TConn, ThreadWorker

from openfisca_kz_epr.web import body

_READ = 1 << 16  # bytes read from a connection at a time
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_HEX = frozenset(b"0123456789abcdefABCDEF")
_HAND_OVER = -1  # a request gunicorn must see now (malformed, or over a limit): it answers it
_TOO_LARGE = -2  # a chunked body past the limit: answered 413 here
_DIGITS = 18  # a longer Content-Length is over any limit (or more than int() reads): gunicorn answers it


WORKER_CLASS = f"{__name__}.BufferedWorker"  # gunicorn's ``worker_class`` setting


class Connection(TConn):
    """gunicorn's connection with the bytes received and not yet handed over (``pending``), the
    request being received (``request``: None until its head has arrived) and its deadline."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.pending = bytearray()
        self.request: Request | None = None
        self.deadline = 0.0
        self.whole = True  # whether the request handed over was whole (else the connection is closed after it)
        self.ended = False  # whether the client ended its side of the connection
        self.turn = 0  # which of its deadlines in the worker's heap is the current one


class Request:
    """Where a request ends in a connection's bytes, read as they arrive: the head's framing
    (``Content-Length``, ``Transfer-Encoding: chunked``) as gunicorn's parser reads it, then the body."""

    def __init__(self, head: bytes, start: int, max_body: int) -> None:
        self.length, self.chunked, self.expects_continue = _framing(head)
        self.start = self.position = start  # the body's first byte; how far the chunks have been read
        self.max_body = max_body
        self.received = 0  # bytes of chunked body data read so far
        self.continued = False

    def end(self, buffer: bytearray) -> int | None:
        """The offset just past the request in ``buffer``, None while it is not whole,
        ``_HAND_OVER`` or ``_TOO_LARGE``."""
        if self.length is None:
            return _HAND_OVER
        if not self.chunked:
            if self.length > self.max_body:
                return _HAND_OVER
            return self.start + self.length if len(buffer) >= self.start + self.length else None
        while True:  # chunk by chunk: "size[;ext]\r\n" data "\r\n", then "0\r\n" trailers "\r\n"
            line_end = buffer.find(b"\r\n", self.position)
            if line_end < 0:
                return _HAND_OVER if len(buffer) - self.position > _READ else None
            size = bytes(buffer[self.position:line_end]).split(b";", 1)
            digits = size[0].rstrip(b" \t") if len(size) > 1 else size[0]
            if not digits or not _HEX.issuperset(digits):
                return _HAND_OVER
            size = int(digits, 16)
            if size == 0:
                if buffer[line_end + 2:line_end + 4] == b"\r\n":
                    return line_end + 4
                trailers_end = buffer.find(b"\r\n\r\n", line_end + 2)
                return None if trailers_end < 0 else trailers_end + 4
            data_end = line_end + 2 + size
            if self.received + min(size, len(buffer) - line_end - 2) > self.max_body:
                return _TOO_LARGE
            if len(buffer) < data_end + 2:
                return None
            self.received += size
            self.position = data_end + 2


def _framing(head: bytes) -> tuple[int | None, bool, bool]:
    """(``Content-Length`` or 0, chunked, ``Expect: 100-continue``) of a request's head; a
    length of None when gunicorn refuses its framing (it answers 400 from the head alone)."""
    length, chunked, expects = None, False, False
    fields: list[list[bytes]] = []
    for line in head.split(b"\r\n")[1:]:
        if line[:1] in (b" ", b"\t") and fields:  # a value continued on the next line
            fields[-1][1] += b" " + line.strip(b" \t")
        else:
            name, _, value = line.partition(b":")
            fields.append([name.upper(), value.lstrip(b" \t")])
    for name, value in fields:
        if name == b"CONTENT-LENGTH":
            digits = value.lstrip(b"0") or b"0"
            if length is not None or not value.isdigit() or len(digits) > _DIGITS:
                return None, False, False
            length = int(digits)
        elif name == b"TRANSFER-ENCODING":
            if value.lower() != b"chunked" or chunked:
                return None, False, False
            chunked = True
        elif name == b"EXPECT":
            expects = value.lower() == b"100-continue"
    if chunked and length is not None:
        return None, False, False
    return (0 if length is None else length), chunked, expects


class BufferedWorker(ThreadWorker):
    """gunicorn's ThreadWorker whose main thread receives each request whole (see the module).
    Its limits are the gunicorn application's attributes ``max_body`` (bytes) and
    ``body_seconds``, those of its ``body.WholeBody``. The connections waiting for a request are
    in the selector with their deadlines (``deadlines``); gunicorn's own list of kept-alive
    connections (``_keep``) stays empty."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.max_body, self.body_seconds = self.app.max_body, self.app.body_seconds
        cfg = self.cfg
        # the largest head gunicorn parses: a longer one without its empty line is refused by gunicorn
        self.head_limit = (cfg.limit_request_line or 8190) + 2 + (cfg.limit_request_fields or 32768) * (
            (cfg.limit_request_field_size or 8190) + 2) + 2
        self.deadlines: list[tuple[float, int, int, Connection]] = []  # (deadline, turn, order, connection): a heap
        self.order = itertools.count()

    def accept(self, server, listener) -> None:
        try:
            sock, client = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = Connection(self.cfg, sock, client, server)
        with self._lock:
            self._wait(conn)
        # its request read at once if it came with the connection: answered (inline) before this
        # worker accepts another connection, which an idle worker takes meanwhile
        self.on_client_socket_readable(conn, sock)

    def _wait(self, conn: Connection) -> None:
        """Watch ``conn`` for its next request, for at most ``keepalive`` seconds."""
        conn.request = None
        self._set_deadline(conn, self.cfg.keepalive)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_client_socket_readable, conn))

    def _set_deadline(self, conn: Connection, seconds: float) -> None:
        conn.turn += 1
        conn.deadline = time.monotonic() + seconds
        heapq.heappush(self.deadlines, (conn.deadline, conn.turn, next(self.order), conn))

    def on_client_socket_readable(self, conn: Connection, client) -> None:
        try:
            data = conn.sock.recv(_READ)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        with self._lock:
            if data:
                conn.pending += data
            elif conn.pending:  # the client ended its side within a request: answered as it is (a body cut short, a 400)
                conn.ended = True
            else:  # the client closed the connection
                self._close(conn)
                return
            self._serve(conn)

    def _serve(self, conn: Connection) -> None:
        """Answer the requests whole in ``conn``'s pending bytes, one after the other: with one
        thread per worker, in this (the main) thread, so that a worker busy computing accepts no
        new connection and an idle one takes it; else in the thread pool (``finish_request``)."""
        while (request := self._whole_request(conn)) is not None:
            if request == _TOO_LARGE:
                _send(conn, _answer(body.refusal(413, body.too_large(self.max_body))))
                self._close(conn)
                return
            self.poller.unregister(conn.sock)
            conn.init()  # blocking socket, gunicorn's parser
            conn.sock.settimeout(self.body_seconds)
            conn.parser.unreader.unread(request)
            if self.cfg.threads > 1:
                self._wrap_future(self.tpool.submit(self.handle, conn), conn)
                return
            keepalive, _ = self.handle(conn)
            if not self._kept(conn, keepalive):
                return

    def _whole_request(self, conn: Connection) -> bytes | int | None:
        """The bytes of ``conn``'s next request once whole (or once gunicorn must answer it
        now), taken from its pending bytes; None while it is not; ``_TOO_LARGE``."""
        if conn.request is None:
            head_end = conn.pending.find(b"\r\n\r\n")
            if head_end < 0:
                if len(conn.pending) <= self.head_limit and not conn.ended:
                    return None
                end = _HAND_OVER
            else:
                conn.request = Request(bytes(conn.pending[:head_end]), head_end + 4, self.max_body)
                end = conn.request.end(conn.pending)
                if end is None:
                    self._set_deadline(conn, self.body_seconds)
        else:
            end = conn.request.end(conn.pending)
        if end is None and conn.ended:
            end = _HAND_OVER
        if end is None:
            if conn.request.expects_continue and not conn.request.continued:
                conn.request.continued = True  # gunicorn sends its own 100 later too: a client reads any number
                _send(conn, _CONTINUE)
            return None
        if end == _TOO_LARGE:
            return end
        conn.whole = end != _HAND_OVER
        if not conn.whole:
            end = len(conn.pending)
        request, conn.pending = bytes(conn.pending[:end]), conn.pending[end:]
        conn.turn += 1  # its deadline no longer holds
        return request

    def _kept(self, conn: Connection, keepalive: bool) -> bool:
        """After an answer: ``conn`` watched for its next request if it is kept alive (True), else closed."""
        if keepalive and self.alive and conn.whole:
            conn.sock.setblocking(False)
            self._wait(conn)
            return True
        self.nr_conns -= 1
        conn.close()
        return False

    def finish_request(self, fs) -> None:
        try:
            keepalive = not fs.cancelled() and fs.result()[0]
        except Exception:  # the thread's error: the connection is closed, as gthread does
            keepalive = False
        with self._lock:
            if self._kept(fs.conn, keepalive):
                self._serve(fs.conn)

    def murder_keepalived(self) -> None:
        """Close the connections whose deadline passed: silently while waiting for a head, with
        a 408 once a head has arrived and its body has not."""
        now = time.monotonic()
        with self._lock:
            while self.deadlines and self.deadlines[0][0] <= now:
                _, turn, _, conn = heapq.heappop(self.deadlines)
                if turn != conn.turn:  # handed over, or given a later deadline since
                    continue
                if conn.request is not None:
                    _send(conn, _answer(body.stalled(self.body_seconds)))
                self._close(conn)

    def _close(self, conn: Connection) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self.poller.unregister(conn.sock)
        conn.turn += 1
        self.nr_conns -= 1
        conn.close()


def _send(conn: Connection, data: bytes) -> None:
    """Send a few bytes without blocking (they fit a socket's buffer); a client gone is let be."""
    with contextlib.suppress(OSError):
        conn.sock.send(data)


def _answer(refusal: tuple[str, list[tuple[str, str]], bytes]) -> bytes:
    """The HTTP answer of a refusal of ``body`` (status, headers, JSON body)."""
    status, headers, content = refusal
    head = [f"HTTP/1.1 {status}", f"Date: {email.utils.formatdate(usegmt=True)}", *(f"{name}: {value}" for name, value in headers)]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + content
