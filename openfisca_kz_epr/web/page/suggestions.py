"""Suggestions for the calculator's customs code field as one types: the codes of the List
(``law.customs_codes``, the map of ``legislation_refs/customs_codes/``) that begin with the digits
typed, or, for words, the codes of the rows whose name holds them: the product's name in the
page's language (the catalogues) and the names declarants write (``audit/product_names.yaml``,
Russian, Kazakh and the operator's groups).

``matching(text, words)``: at most ``LIMIT`` suggestions ``{"code": "4011201000", "label":
"4011201000 — Шины …"}``, codes in order.
"""

from __future__ import annotations

import functools

from openfisca_kz_epr.audit.product_names import matched, meanings
from openfisca_kz_epr.law import customs_codes
from openfisca_kz_epr.products import Product
from openfisca_kz_epr.web.page.words import Words

LIMIT = 20


@functools.cache
def _codes() -> tuple[tuple[str, str], ...]:
    """Every code of the map with its row (a ``Product`` name), in order."""
    return tuple(sorted(customs_codes.codes().items()))


def matching(text: str, words: Words) -> list[dict]:
    typed = "".join(text.split()).replace(".", "")
    if typed.isdigit():
        found = [(code, row) for code, row in _codes() if code.startswith(typed)]
    else:
        asked = matched(text)
        if len(asked) < 2:
            return []
        rows = {name for name, meaning in meanings().items() if isinstance(meaning, str) and asked in name}
        rows = {meanings()[name] for name in rows}
        rows |= {p.name for p in Product if asked in matched(words.gettext(p.value)) or asked in p.name}
        found = [(code, row) for code, row in _codes() if row in rows]
    return [{"code": code, "label": f"{code} — {words.gettext(Product[row].value)}"} for code, row in found[:LIMIT]]
