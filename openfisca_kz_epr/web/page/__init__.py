"""The page of ``kz-epr serve``: a calculator at ``/`` for browsers, in Russian, Kazakh and English,
beside the API and asking the same door (``calculator``: ``explain``). A JSON client asking ``/``
still gets OpenFisca's welcome object.

Server-rendered (Jinja, autoescaped), a GET form that works without script (its address is the
link that reproduces the result), a small script (``static/page.js``) that suggests customs codes
and shows the result as one types (it asks the page itself, ``/?part=result&…``, and puts the
answer's parts in place: every result is rendered here, by one template); assets served from the
package, nothing from elsewhere; a strict Content-Security-Policy on every page answer; no state
kept between requests.

Routes: ``/`` (the calculator, or the welcome JSON), ``/page/audit`` (a declarations file uploaded,
its report downloaded: ``audit_upload``), ``/page/what-if`` (revenue under the law and a reform:
``what_if``), ``/page/suggest?q=&lang=`` (suggestions, JSON),
``/page/static/<file>``.
"""

from __future__ import annotations

import datetime
import urllib.parse
from pathlib import Path

import flask
import jinja2
from werkzeug.exceptions import RequestEntityTooLarge

from openfisca_kz_epr.products import Product
from openfisca_kz_epr.web import assumptions
from openfisca_kz_epr.web.errors import ApiError
from openfisca_kz_epr.web.page import audit_upload, calculator, suggestions, what_if
from openfisca_kz_epr.web.page.words import LANGUAGES, Words, choose

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
PART = "result"  # ``/?part=result&…``: the calculator's result without its form (``page``)
_TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                trim_blocks=True, lstrip_blocks=True)


def install(app: flask.Flask, api) -> None:
    """Answer ``/`` with the page for a browser (OpenFisca's welcome for a JSON client), and serve
    the page's suggestions and static files."""
    welcome = app.view_functions["get_root"]
    app.view_functions["get_root"] = lambda: page(api) if _wants_html() else welcome()
    app.add_url_rule("/page/audit", endpoint="page_audit", view_func=lambda: audit(api), methods=["GET", "POST"])
    app.add_url_rule("/page/what-if", endpoint="page_what_if", view_func=lambda: what_if_page(api), methods=["GET", "POST"])
    app.add_url_rule("/page/suggest", endpoint="page_suggest", view_func=suggest)
    app.add_url_rule("/page/static/<path:name>", endpoint="page_static", view_func=static)


def _wants_html() -> bool:
    return flask.request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def _secured(response: flask.Response) -> flask.Response:
    response.headers["Content-Security-Policy"] = POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _render(api, template: str, words: Words, kept: dict, status: int = 200, **context) -> flask.Response:
    """A page of ``template`` in ``words``' language; ``kept`` (the inputs) are kept by the language switch."""
    html = _TEMPLATES.get_template(template).render(
        _=words.gettext, words=words, lang=words.code, languages=LANGUAGES, here=template.removesuffix(".html"),
        switch={code: f"{flask.request.path}?" + urllib.parse.urlencode({**kept, "lang": code}) for code in LANGUAGES},
        version=api.version, last_change=words.day(datetime.date.fromisoformat(api.version["latest_legal_change"])),
        computed=words.moment(datetime.datetime.now(datetime.UTC).replace(microsecond=0)), **context)
    response = flask.Response(html, status, mimetype="text/html")
    response.headers["Content-Language"] = words.code
    response.headers["Vary"] = "Accept, Accept-Language"
    return _secured(response)


def _words() -> Words:
    return Words(choose(flask.request.args.get("lang"), flask.request.accept_languages))


def page(api) -> flask.Response:
    """The calculator, with the result of the address's inputs; with ``part=result``, the same page
    without its form (the result, the MRP of the day, the language links and the footer), which
    the page's script asks for as one types and puts in place: one rendering of a result."""
    words = _words()
    inputs = calculator.read(flask.request.args)
    today = datetime.date.today()
    try:  # an assumed value (``assume``) prices with its own system; a refusal is said as the page's error
        system, refused = assumptions.system_of(api), None
    except ApiError as error:
        system, refused = api.system, error.body["error"]
    found = calculator.calculate(system, inputs, words, today, refused)
    return _render(api, "calculator.html", words, inputs, 200 if found.error is None else 400,
                   found=found, inputs=inputs, today=today.isoformat(), labels=calculator.LABELS, choices=calculator.CHOICES,
                   part=flask.request.args.get("part") == PART,
                   defaults=calculator.DEFAULTS, claims=(*calculator.CLAIM_FIELDS, calculator.ASSUME),
                   said=calculator.choices_in(words.code),
                   link="/?" + urllib.parse.urlencode({**inputs, "lang": words.code}),
                   json_link="/explain?" + urllib.parse.urlencode(inputs))


def audit(api) -> flask.Response:
    """The upload form (GET), or the report of the uploaded file as a download (POST)."""
    words = _words()
    limit_mb = audit_upload.MAX_UPLOAD // 2**20
    if flask.request.method == "GET":
        return _render(api, "audit.html", words, {}, limit_mb=limit_mb, error=None)
    flask.request.max_content_length = audit_upload.MAX_UPLOAD + 2**16  # the file and the form's other fields
    try:
        return _secured(audit_upload.run(api.system, flask.request.form, flask.request.files, words))
    except RequestEntityTooLarge:
        error, status = words.gettext("The file is larger than {size} MB.", size=limit_mb), 413
    except audit_upload.UploadError as mistake:
        error, status = str(mistake), mistake.status
    return _render(api, "audit.html", words, {}, status, limit_mb=limit_mb, error=error)


def what_if_page(api) -> flask.Response:
    """The what-if form (GET), its revenues side by side (POST), or them as CSV (POST, ``format=csv``)."""
    words = _words()
    context = {"reforms": what_if.shipped(), "changeable": what_if.CHANGEABLE, "example": what_if.example(), "form": {},
               "found": None, "error": None, "limit_mb": what_if.MAX_SCENARIO // 2**20}
    if flask.request.method == "GET":
        return _render(api, "what_if.html", words, {}, **context)
    flask.request.max_content_length = what_if.MAX_SCENARIO + 2**16
    form = flask.request.form
    try:
        found = what_if.run(api.system, form, flask.request.files, words)
    except RequestEntityTooLarge:
        return _render(api, "what_if.html", words, {}, 413, **{**context, "form": form, "error": words.gettext(
            "The file is larger than {size} MB.", size=context["limit_mb"])})
    except what_if.WhatIfError as error:
        return _render(api, "what_if.html", words, {}, 400, **{**context, "form": form, "error": str(error)})
    if form.get("format") == "csv":
        response = flask.Response(found.csv(), mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="revenue.csv"'
        return _secured(response)
    names = {r.product: words.gettext(Product[r.product].value).split(" (")[0] for r in found.revenues if r.product != "total"}
    return _render(api, "what_if.html", words, {}, **{**context, "form": form, "found": found, "chart": found.chart(words, names),
                                                      "product_names": names})


def suggest() -> flask.Response:
    """Customs codes for what one types: digits (the start of a code) or words (a product's name)."""
    args = flask.request.args
    words = Words(choose(args.get("lang"), flask.request.accept_languages))
    return _secured(flask.jsonify(suggestions.matching(args.get("q", ""), words)))


def static(name: str) -> flask.Response:
    return _secured(flask.send_from_directory(STATIC, name, max_age=3600))
