"""The web app of ``kz-epr serve``: OpenFisca's own (``openfisca_web_api.app.create_app``),
answering the routes of ``routes.ROUTES`` with this package's handlers, and every error as
JSON (``errors``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import flask
from openfisca_web_api.app import create_app as openfisca_app
from openfisca_web_api.loader import build_data

from openfisca_kz_epr.web import body, errors, page, spec, version
from openfisca_kz_epr.web.calculate_path import CalculatePath
from openfisca_kz_epr.web.routes import ROUTES

MAX_BODY = 64 * 1024 * 1024  # about 600 000 bulk lines; more is answered 413
WELCOME = ("The web API of openfisca-kz-epr: Kazakhstan's EPR payment on any day, exact to the tiyn. Its reference: /docs "
           "(OpenAPI: /spec); what is answering: /version.")


@dataclass(frozen=True)
class Api:
    """What the handlers serve, read once when the app is made."""

    system: object  # the CountryTaxBenefitSystem (or a reform of it)
    openfisca: dict  # what OpenFisca's web API reads from the system (parameters, variables, spec)
    version: dict
    spec: dict


def create_app(system=None, welcome_message: str | None = None, max_body: int = MAX_BODY,
               body_seconds: float = body.BODY_SECONDS) -> flask.Flask:
    """The WSGI app serving ``system`` (by default this package's law); a request body over
    ``max_body`` bytes is answered 413, one not arrived within ``body_seconds`` 408
    (``body.WholeBody``)."""
    if system is None:
        from openfisca_kz_epr import CountryTaxBenefitSystem

        system = CountryTaxBenefitSystem()
    app = openfisca_app(system, welcome_message=welcome_message or WELCOME)
    app.config["MAX_CONTENT_LENGTH"] = max_body
    app.json.ensure_ascii = False  # what OpenFisca's JSON_AS_ASCII = False meant before Flask 2.3
    openfisca = build_data(system)
    api = Api(system, openfisca, version.describe(system), spec.build(openfisca, ROUTES))
    errors.install(app)
    for route in ROUTES:
        view = functools.partial(route.handler, api)
        if route.endpoint:
            app.view_functions[route.endpoint] = view
        else:
            app.add_url_rule(route.rule, endpoint=route.rule, view_func=view, methods=list(route.methods))
    page.install(app, api)
    app.wsgi_app = body.WholeBody(CalculatePath(app.wsgi_app, app, api), max_body, body_seconds)
    return app
