"""A request's JSON read so that any body is an answer: a 400 naming the mistake, never a 500.

Python's ``json`` raises ``RecursionError`` for arrays or objects nested some thousand deep and
``ValueError`` for an integer of more than 4 300 digits (``sys.get_int_max_str_digits``), and
reads ``"\\ud800"`` as a lone surrogate, a string no UTF-8 answer can carry. ``loads`` turns each
into an ``ApiError`` (400) with the request's id. Used by every handler that reads JSON
(``/calculate``, ``/trace``, ``/bulk``'s JSON lines, POST ``/explain`` and ``/timeline``).
"""

from __future__ import annotations

import json

from openfisca_kz_epr.web.errors import ApiError, request_id


def loads(data: bytes | str, where: str = "Invalid JSON"):
    """``data`` as JSON, checked: an ``ApiError`` ``{"error": "<where>: <reason>", "request_id": …}``
    for text that is not JSON, nested too deep, with an integer too long or a lone surrogate."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise _refused(where, "nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as error:  # json.JSONDecodeError is a ValueError, as is a number too long
        raise _refused(where, " ".join(str(error).split())) from None
    surrogate = _lone_surrogate(value) if _may_hold_surrogate(data) else None
    if surrogate is not None:
        raise _refused(where, f"the string {surrogate!r} holds a lone surrogate (\\ud800-\\udfff), which is no character")
    return value


def _refused(where: str, reason: str) -> ApiError:
    return ApiError({"error": f"{where}: {reason}", "request_id": request_id()})


def _may_hold_surrogate(data: bytes | str) -> bool:
    """Whether JSON text may read as a string with a lone surrogate: only through a ``\\u``
    escape, or a surrogate already in it (``json`` reads bytes with ``surrogatepass``); ASCII
    text without ``\\u`` holds none, and is not walked."""
    if isinstance(data, str):
        return not data.isascii() or "\\u" in data
    return not data.isascii() or b"\\u" in data


def _lone_surrogate(value) -> str | None:
    """The first string (key or value) of ``value`` that holds a lone surrogate, or None; the
    nesting walked with a stack (JSON that loaded is no deeper than Python's recursion limit)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and not item.isascii():
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return item.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")[:40]
    return None
