"""``assume``: values the law has not published, assumed for one request (``reforms.assumptions``).

A query parameter of ``/explain``, ``/bulk``, ``/calculate`` and ``/trace``, repeatable
(``?assume=general.mrp@2027-01-01=4500``), or the field ``assume`` (a text or a list) of the body
of ``POST /explain``. The system with the assumed values is built once per set and a few are kept;
a mistake (a value the law has, a day that is not one, an unknown parameter) is a 400 naming it.
"""

from __future__ import annotations

import functools

import flask

from openfisca_kz_epr.reforms.assumptions import AssumptionError, assume
from openfisca_kz_epr.web.errors import ApiError

NAME = "assume"


@functools.lru_cache(maxsize=8)
def _assumed(system, texts: tuple[str, ...]):
    return assume(system, texts)


def system_of(api, extra=None):
    """The system a request prices with: ``api.system`` with the request's assumed values (the
    ``assume`` query parameters, and ``extra``: a body's field, a text or a list of texts)."""
    texts = list(flask.request.args.getlist(NAME))
    if extra is not None:
        if isinstance(extra, str):
            texts.append(extra)
        elif isinstance(extra, list) and all(isinstance(text, str) for text in extra):
            texts.extend(extra)
        else:
            raise ApiError("assume must be a text PARAMETER@DAY=VALUE or a list of them")
    if not texts:
        return api.system
    try:
        return _assumed(api.system, tuple(sorted(set(texts))))
    except AssumptionError as error:
        raise ApiError(error.args[0]) from None  # a ``Said``: the page says it in its language
