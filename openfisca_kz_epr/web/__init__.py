"""The OpenFisca web API of this package, as ``kz-epr serve`` runs it: OpenFisca's endpoints
and JSON, every user mistake a 400 naming it, parameters as of a day with their acts,
``/version`` and ``/bulk``. ``create_app()`` makes the WSGI app."""

from openfisca_kz_epr.web.app import create_app

__all__ = ["create_app"]
