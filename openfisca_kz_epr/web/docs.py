"""GET /docs: a readable reference of this API, Swagger UI reading ``/spec``, offline.

Swagger UI's files come from the PyPI package ``swagger-ui-bundle`` (its ``swagger_ui_path``),
installed with this package: nothing is fetched from a CDN, so the page works on a machine
without the internet. GET /docs/<file> serves those files, and only them.
"""

from __future__ import annotations

import flask
from swagger_ui_bundle import swagger_ui_path

from openfisca_kz_epr.web.errors import ApiError

ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png", "favicon-16x16.png")
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>openfisca-kz-epr web API</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
<link rel="icon" type="image/png" href="docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/swagger-ui-standalone-preset.js"></script>
<script src="docs/initializer.js"></script>
</body>
</html>
"""
INITIALIZER = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: new URL("spec", document.baseURI).href,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
    validatorUrl: null
  });
};
"""


def page(api):
    """The HTML page (its files are relative to the server's root, so it works behind a prefix)."""
    return flask.Response(PAGE, mimetype="text/html")


def asset(api, name: str):
    """One of Swagger UI's files (``ASSETS``), or the page's initializer; any other name is a 404."""
    if name == "initializer.js":
        return flask.Response(INITIALIZER, mimetype="text/javascript")
    if name not in ASSETS:
        raise ApiError({"error": f"/docs has no file {name!r}"}, 404)
    return flask.send_from_directory(swagger_ui_path, name, max_age=86400)
