"""Words as the audit compares them: a column name, a report's header, a product's name."""


def plain_words(text: str) -> str:
    """``text`` in lower case, "ё" as "е", single spaces, without a byte-order mark: «Вес  Упаковки» and
    «вес упаковки» compare equal."""
    return " ".join(text.replace("\ufeff", "").lower().replace("ё", "е").split())
