"""``kz-epr serve --worker-class buffered`` (``web.worker``) on a real server of 127.0.0.1: a
request is computed only once it has arrived whole, so a slow client holds no worker; its
limits (408, 413) hold; pipelined, split and chunked requests are answered as they are sent.

Each server has one worker of one thread: a slow client that held the thread would keep every
other client waiting (the socket timeouts below would fail the test, no clock is read)."""

from __future__ import annotations

import json
import socket
import urllib.parse

import pytest
from web_server import call, kz_epr_server

DAY = "2021-03-01"
# 2.5 t of tyres on 2021-03-01: 2.5 × MRP 2 917 × k 14.15 = 103 188.875 KZT, half up to the tiyn
PAYMENT = 103188.88
BODY = json.dumps({"product_lines": {"line": {"product": {DAY: "tyres"}, "mass_tonnes": {DAY: 2.5}, "epr_payment": {DAY: None}}}}).encode()
HEAD = b"POST /calculate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
REQUEST = HEAD + b"Content-Length: %d\r\n\r\n" % len(BODY) + BODY


@pytest.fixture(scope="module")
def server():
    with kz_epr_server(1, 1, "--worker-class", "buffered", "--max-body", "1", "--body-timeout", "3") as url:
        yield url


def _connect(url: str) -> socket.socket:
    address = urllib.parse.urlsplit(url)
    return socket.create_connection((address.hostname, address.port), timeout=30)


def _answers(connection: socket.socket, count: int) -> list[tuple[int, bytes]]:
    """The next ``count`` answers read from ``connection`` (each with a Content-Length)."""
    buffer, answers = b"", []
    while len(answers) < count:
        while b"\r\n\r\n" not in buffer:
            part = connection.recv(65536)
            assert part, f"the connection closed after {len(answers)} answers"
            buffer += part
        head, buffer = buffer.split(b"\r\n\r\n", 1)
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        while len(buffer) < length:
            part = connection.recv(65536)
            assert part, "the connection closed in an answer"
            buffer += part
        answers.append((int(head[9:12]), buffer[:length]))
        buffer = buffer[length:]
    return answers


def _paid(answer: bytes) -> float:
    return json.loads(answer)["product_lines"]["line"]["epr_payment"][DAY]


def test_a_fast_client_is_answered_while_slow_ones_hold_their_connections(server):
    slow_body, slow_head = _connect(server), _connect(server)
    try:
        slow_body.sendall(REQUEST[:-10])  # the head and all of the body but its last 10 bytes
        slow_head.sendall(HEAD[:20])  # a request line begun
        status, _, answer = call("POST", f"{server}/calculate", BODY)  # the only thread is free for it
        assert status == 200 and answer["product_lines"]["line"]["epr_payment"][DAY] == PAYMENT
        slow_body.sendall(REQUEST[-10:])  # the slow client was kept waiting, not dropped: now answered
        [(status, answer)] = _answers(slow_body, 1)
        assert status == 200 and _paid(answer) == PAYMENT
    finally:
        slow_body.close()
        slow_head.close()


def test_pipelined_split_and_chunked_requests_are_answered_in_turn(server):
    with _connect(server) as connection:
        connection.sendall(REQUEST * 3)  # three requests in one send
        assert [(status, _paid(answer)) for status, answer in _answers(connection, 3)] == [(200, PAYMENT)] * 3
        connection.sendall(REQUEST[:30])  # one request in two sends, the head cut
        connection.sendall(REQUEST[30:])
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(BODY[i:i + 16]), BODY[i:i + 16]) for i in range(0, len(BODY), 16))
        chunked = HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
        for i in range(0, len(chunked), 7):  # a chunked body sent 7 bytes at a time
            connection.sendall(chunked[i:i + 7])
        assert [(status, _paid(answer)) for status, answer in _answers(connection, 2)] == [(200, PAYMENT)] * 2


def test_a_body_that_stalls_is_answered_408(server):
    with _connect(server) as connection:
        connection.sendall(REQUEST[:-10])
        [(status, answer)] = _answers(connection, 1)  # read as soon as the server answers (after --body-timeout 3)
        assert status == 408 and json.loads(answer) == {"error": "the body did not arrive whole within 3 s: it is not read"}
        assert connection.recv(10) == b""  # and the connection closed


def test_a_body_over_the_limit_is_answered_413_unread(server):
    for framing in (b"Content-Length: %d\r\n" % (2**20 + 1), b"Transfer-Encoding: chunked\r\n"):
        with _connect(server) as connection:
            connection.sendall(HEAD + framing + b"\r\n")
            if b"chunked" in framing:  # 1 MiB + 1 byte of chunks, the rest never sent
                connection.sendall(b"%x\r\n" % (2**20 + 1) + b"x" * (2**20 + 1))
            [(status, answer)] = _answers(connection, 1)
            assert status == 413 and "at most 1048576 bytes (1 MiB)" in json.loads(answer)["error"]
            assert connection.recv(10) == b""  # closed: the rest of the body is not read


def test_a_malformed_head_is_gunicorns_400(server):
    with _connect(server) as connection:
        connection.sendall(HEAD + b"Content-Length: 12x\r\n\r\n")
        answer = connection.recv(65536)
        assert answer.startswith(b"HTTP/1.1 400 ") and b"Content-Length" in answer


def test_with_two_threads_a_short_request_is_answered_while_a_slow_one_holds_the_other():
    with kz_epr_server(1, 2, "--worker-class", "buffered") as url, _connect(url) as slow, _connect(url) as other:
        slow.sendall(REQUEST[:-1])
        other.sendall(REQUEST)
        [(status, answer)] = _answers(other, 1)
        assert status == 200 and _paid(answer) == PAYMENT
        slow.sendall(REQUEST[-1:])
        [(status, answer)] = _answers(slow, 1)
        assert status == 200 and _paid(answer) == PAYMENT
