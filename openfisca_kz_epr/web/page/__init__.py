"""The page of ``kz-epr serve``: a calculator at ``/`` for browsers, in Russian, Kazakh and English,
beside the API and asking the same door (``calculator``: ``explain``). A JSON client asking ``/``
still gets OpenFisca's welcome object.

Server-rendered (Jinja, autoescaped), a GET form that works without script (its address is the
link that reproduces the result), a small script (``static/page.js``) that only suggests customs
codes as one types; assets served from the package, nothing from elsewhere; a strict
Content-Security-Policy on every page answer; no state kept between requests.

Routes: ``/`` (the page, or the welcome JSON), ``/page/suggest?q=&lang=`` (suggestions, JSON),
``/page/static/<file>``.
"""

from __future__ import annotations

import datetime
import urllib.parse
from pathlib import Path

import flask
import jinja2

from openfisca_kz_epr.web.page import calculator, suggestions
from openfisca_kz_epr.web.page.words import LANGUAGES, Words, choose

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                trim_blocks=True, lstrip_blocks=True)


def install(app: flask.Flask, api) -> None:
    """Answer ``/`` with the page for a browser (OpenFisca's welcome for a JSON client), and serve
    the page's suggestions and static files."""
    welcome = app.view_functions["get_root"]
    app.view_functions["get_root"] = lambda: page(api) if _wants_html() else welcome()
    app.add_url_rule("/page/suggest", endpoint="page_suggest", view_func=suggest)
    app.add_url_rule("/page/static/<path:name>", endpoint="page_static", view_func=static)


def _wants_html() -> bool:
    return flask.request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def _secured(response: flask.Response) -> flask.Response:
    response.headers["Content-Security-Policy"] = POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def page(api) -> flask.Response:
    """The calculator, with the result of the address's inputs."""
    args = flask.request.args
    lang = choose(args.get("lang"), flask.request.accept_languages)
    words = Words(lang)
    inputs = calculator.read(args)
    today = datetime.date.today()
    found = calculator.calculate(api.system, inputs, words, today)
    link = "/?" + urllib.parse.urlencode({**inputs, "lang": lang})
    html = _TEMPLATES.get_template("calculator.html").render(
        _=words.gettext, words=words, lang=lang, languages=LANGUAGES, found=found, inputs=inputs,
        today=today.isoformat(), labels=calculator.LABELS, choices=calculator.CHOICES,
        link=link, json_link="/explain?" + urllib.parse.urlencode({k: v for k, v in inputs.items()}),
        switch={code: "/?" + urllib.parse.urlencode({**inputs, "lang": code}) for code in LANGUAGES},
        version=api.version, last_change=words.day(datetime.date.fromisoformat(api.version["latest_legal_change"])),
        computed=words.moment(datetime.datetime.now(datetime.UTC).replace(microsecond=0)))
    response = flask.Response(html, 200 if found.error is None else 400, mimetype="text/html")
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept, Accept-Language"
    return _secured(response)


def suggest() -> flask.Response:
    """Customs codes for what one types: digits (the start of a code) or words (a product's name)."""
    args = flask.request.args
    words = Words(choose(args.get("lang"), flask.request.accept_languages))
    return _secured(flask.jsonify(suggestions.matching(args.get("q", ""), words)))


def static(name: str) -> flask.Response:
    return _secured(flask.send_from_directory(STATIC, name, max_age=3600))
