"""Many lines on the page: a declarations file uploaded (CSV or workbook, as ``kz-epr audit``
reads it) and the report workbook (with its summary sheet) or the Markdown summary answered as a
download, with ``kz-epr audit``'s options (the operator's rules, the language, the tolerance).

The job is ``audit.report.audit``, the same as the command's. The upload and the report live in
a temporary folder for the request only: it is removed before the answer is sent, whatever
happens. A file over ``MAX_UPLOAD`` bytes is refused (413) before it is read.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

import flask

from openfisca_kz_epr.audit.report import AuditError, audit
from openfisca_kz_epr.audit.workbook import WORKBOOK_SUFFIX
from openfisca_kz_epr.language import Language
from openfisca_kz_epr.money import INVOICE_DECIMALS, scaled_int
from openfisca_kz_epr.web.page.words import Words

MAX_UPLOAD = 20 * 2**20  # bytes: about 200 000 declaration lines of CSV
SUFFIXES = (".csv", ".txt", WORKBOOK_SUFFIX)
OUTPUTS = {"workbook": ("report.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
           "summary": ("summary.md", "text/markdown; charset=utf-8")}
DATE_RULES = ("import", "sent")


class UploadError(Exception):
    """A mistake in the upload, said in the page's language; ``status`` is the HTTP status."""

    def __init__(self, said: str, status: int = 400) -> None:
        super().__init__(said)
        self.status = status


def run(system, form, files, words: Words) -> flask.Response:
    """The download asked for by the form: ``declarations`` (the file), ``output`` (``workbook`` or
    ``summary``), ``tolerance`` (KZT), ``operator_rules`` (``on``), ``date_rule``. Raises
    ``UploadError`` for a mistake, the file's own problems said in the page's language."""
    upload = files.get("declarations")
    if upload is None or not upload.filename:
        raise UploadError(words.gettext("Choose a declarations file (CSV or .xlsx)."))
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadError(words.gettext("{name}: not a CSV file or a workbook (.xlsx)", name=upload.filename))
    output = form.get("output") if form.get("output") in OUTPUTS else "workbook"
    tolerance = _tolerance(form.get("tolerance", "1"), words)
    date_rule = form.get("date_rule", "import")
    operator_rules = (date_rule if date_rule in DATE_RULES else "import") if form.get("operator_rules") else None
    name, mimetype = OUTPUTS[output]
    with tempfile.TemporaryDirectory(prefix="kz-epr-page-") as folder:
        source = Path(folder) / f"declarations{suffix}"
        upload.save(source)
        report = Path(folder) / ("report" + (WORKBOOK_SUFFIX if output == "workbook" else ".csv"))
        summary = Path(folder) / "summary.md"
        try:
            audit(system, str(source), str(report), tolerance, summary_path=str(summary), operator_rules=operator_rules,
                  language=words.code, shown_as=upload.filename)
        except AuditError as error:
            raise UploadError(error.said(Language(words.code)).replace(str(source), upload.filename)) from None
        body = (report if output == "workbook" else summary).read_bytes()
    stem = Path(upload.filename).stem or "declarations"
    response = flask.Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{_safe(stem)}-{name}"'
    return response


def _tolerance(text: str, words: Words) -> int:
    """A tolerance in KZT (at most 2 decimals, not negative) as tiyn."""
    try:
        value = Decimal(text.strip().replace(",", "."))
        tiyn = scaled_int(value, INVOICE_DECIMALS) if value.is_finite() else -1
    except (InvalidOperation, ValueError):
        tiyn = -1
    if tiyn < 0:
        raise UploadError(words.gettext("Tolerance {text}: an amount of KZT of at least 0 with at most 2 decimals", text=text))
    return tiyn


def _safe(stem: str) -> str:
    """A file name's stem fit for a header: letters, digits, ``-`` and ``_`` only."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in stem)[:80] or "declarations"
