"""What ``kz-epr serve`` answers when something goes wrong.

A user's mistake is a 4xx whose JSON body says where and why: for a situation, at the
mistake's own path (entity, id, variable, period), as OpenFisca's web API does; otherwise
``{"error": reason}``. Anything else is a bug: logged with the request's id, answered 500
with that id (the one thing a user needs to report it). Every answer carries the id in its
``X-Request-Id`` header; a client may choose it by sending that header.
"""

from __future__ import annotations

import logging
import os
import random
import re

import flask
from werkzeug.exceptions import HTTPException

log = logging.getLogger("openfisca_kz_epr.web")

REQUEST_ID = "X-Request-Id"
_CLIENT_ID = re.compile(r"[A-Za-z0-9._-]{1,64}\Z")


class ApiError(Exception):
    """A user's mistake: ``body`` is the JSON answered with ``status``."""

    def __init__(self, body: dict | str, status: int = 400) -> None:
        self.body = {"error": body} if isinstance(body, str) else body
        self.status = status
        super().__init__(str(self.body))


def install(app: flask.Flask) -> None:
    """Give ``app`` request ids and JSON answers for every error."""
    app.after_request(_tag)
    app.register_error_handler(ApiError, lambda error: (error.body, error.status))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _bug)


_GENERATORS: dict[int, random.Random] = {}  # one per process, seeded from the system in that process


def request_id() -> str:
    """The request's id, made on first use: the client's own when it is a short plain token,
    else 128 random bits from a generator seeded in the worker's own process (a forked gevent
    worker does not run Python's after-fork reseeding, so ``random``'s shared state would give
    two workers the same ids)."""
    if "request_id" not in flask.g:
        flask.g.request_id = new_request_id(flask.request.headers.get(REQUEST_ID, ""))
    return flask.g.request_id


def new_request_id(given: str) -> str:
    """``given`` (the client's ``X-Request-Id``) when it is a short plain token, else a new id."""
    if _CLIENT_ID.match(given):
        return given
    generator = _GENERATORS.get(os.getpid()) or _GENERATORS.setdefault(os.getpid(), random.Random(os.urandom(16)))
    return f"{generator.getrandbits(128):032x}"


def _tag(response: flask.Response) -> flask.Response:
    response.headers[REQUEST_ID] = request_id()
    return response


def _http_error(error: HTTPException):
    if error.code is not None and error.code >= 500:
        return _bug(error)
    body = {"error": f"{error.name}: {error.description}"}
    if error.code == 404:
        body["path"] = flask.request.path
    allowed = getattr(error, "valid_methods", None)  # a 405 says which methods the path takes (RFC 9110)
    return (body, error.code, {"Allow": ", ".join(allowed)}) if allowed else (body, error.code)


def _bug(error: Exception):
    """A real bug: logged with its traceback and the request's id."""
    log.error("request %s: %s %s failed", request_id(), flask.request.method, flask.request.path, exc_info=error)
    return {"error": "Internal server error: this is a bug of openfisca-kz-epr; report it with the request id", "request_id": request_id()}, 500
