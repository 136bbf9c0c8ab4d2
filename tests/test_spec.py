"""``/spec`` describes the server as it is: valid OpenAPI 3 (openapi-spec-validator), this
project's title and contact, variables of a DAY, every endpoint of the project with its request
and response schemas; ``/docs`` is Swagger UI served from the package (no CDN)."""

import re

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator

from openfisca_kz_epr.web import create_app
from openfisca_kz_epr.web.routes import ROUTES


@pytest.fixture(scope="module")
def client(tax_benefit_system):
    return create_app(tax_benefit_system).test_client()


@pytest.fixture(scope="module")
def spec(client):
    return client.get("/spec").get_json()


def test_the_spec_is_valid_openapi_3(spec):
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in OpenAPIV30SpecValidator(spec).iter_errors()]
    assert errors == []
    assert spec["openapi"].startswith("3.")


def test_the_spec_is_the_projects(spec):
    assert spec["info"]["title"] == "openfisca-kz-epr web API"
    assert "openfisca.org" not in str(spec["info"])
    assert spec["info"]["contact"]["url"].startswith("https://github.com/openfisca-kz-epr/")


def test_the_tags_speak_of_this_model_not_of_households(spec):
    described = " ".join(tag.get("description", "") for tag in spec["tags"]).lower()
    assert "household" not in described and "salary" not in described and "income tax" not in described
    assert {"Parameters", "Variables", "Entities"} <= {tag["name"] for tag in spec["tags"] if "description" in tag}
    assert "product line" in described and "producer" in described


def test_variables_are_of_a_day_and_values_may_be_null(spec, client):
    schemas = spec["components"]["schemas"]
    assert "DAY" in schemas["Variable"]["properties"]["definitionPeriod"]["enum"]
    assert client.get("/variable/mass_tonnes").get_json()["definitionPeriod"] == "DAY"
    by_day = schemas["Product_Line"]["properties"]["mass_tonnes"]["additionalProperties"]
    assert by_day["nullable"] is True


def test_every_project_endpoint_has_its_schemas(spec):
    for route in ROUTES:
        for path, item in (route.openapi or {}).items():
            for method, operation in item.items():
                if method == "post":
                    assert operation["requestBody"]["content"], (path, method)
                for status, response in operation["responses"].items():
                    for media, content in response["content"].items():
                        schema = content["schema"]
                        if media == "application/json" and status == "200":
                            assert schema.get("properties") or schema.get("required"), (path, method, schema)


def test_docs_is_swagger_ui_from_the_package(client):
    page = client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    linked = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert linked and all(not re.match(r"[a-z]+:|//", link) for link in linked), linked  # nothing from another host
    for link in linked:
        answer = client.get("/" + link)
        assert answer.status_code == 200 and len(answer.data) > 100, link
    assert "SwaggerUIBundle" in client.get("/docs/swagger-ui-bundle.js").get_data(as_text=True)[:100000]
    assert client.get("/docs/../app.py").status_code == 404
    assert client.get("/docs/index.html").status_code == 404


def test_the_welcome_names_the_docs(client):
    assert "/docs" in client.get("/", headers={"Accept": "application/json"}).get_json()["welcome"]
