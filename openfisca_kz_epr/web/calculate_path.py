"""POST /calculate answered without Flask's request machinery: a plain WSGI function in front
of the Flask app, which answers everything else and every error.

A one-line ``/calculate`` spends about as long in Flask (request and context objects, URL
matching, the after-request hooks) as in the Method's formulas. ``CalculatePath`` answers a
``POST /calculate`` whose body the ``body.WholeBody`` middleware has read whole, with no
``Origin`` header (a cross-origin request is Flask-CORS's to answer) and no query (``assume``: the
request's assumed values are Flask's to read), by the same handler
(``calculate.calculate``), JSON provider and headers as the Flask app (the id of
``errors.request_id``, OpenFisca's ``Country-Package`` headers, Flask-CORS's
``Access-Control-Allow-Origin: *``). When the handler raises anything (a user's mistake, a
bug), the body is rewound and the Flask app answers the request from the start: every error
keeps its one place (``errors``). ``tests/test_calculate_path.py`` checks that both answer the
same bytes and headers.
"""

from __future__ import annotations

import io

from openfisca_kz_epr.web import calculate, errors


class CalculatePath:
    """``flask_wsgi`` (the Flask app's WSGI callable) with POST /calculate answered directly."""

    def __init__(self, flask_wsgi, app, api) -> None:
        self.flask_wsgi = flask_wsgi
        self.json = app.json
        self.api = api
        metadata = api.openfisca["country_package_metadata"]
        self.package_headers = [("Country-Package", metadata["name"]), ("Country-Package-Version", metadata["version"])]

    def __call__(self, environ, start_response):
        body = environ.get("wsgi.input")
        if (environ.get("PATH_INFO") != "/calculate" or environ.get("REQUEST_METHOD") != "POST"
                or "HTTP_ORIGIN" in environ or environ.get("QUERY_STRING") or not isinstance(body, io.BytesIO)):
            return self.flask_wsgi(environ, start_response)
        try:
            answer = calculate.calculate(self.api, body.getvalue(), self.api.system)
        except Exception:  # every error is the Flask app's to answer (errors.install)
            body.seek(0)
            return self.flask_wsgi(environ, start_response)
        response = self.json.response(answer)
        response.headers[errors.REQUEST_ID] = errors.new_request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        response.headers.extend(self.package_headers)
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response(environ, start_response)
