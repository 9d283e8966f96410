"""The OpenAPI document: valid, complete (every /api/v1 route of the URL map is in it) and
true (real responses of every endpoint, for every status they can give, match it)."""

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from surveyapp.extensions import db


@pytest.fixture
def doc(app):
    response = app.test_client().get("/api/v1/openapi.json")  # public: no token
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(doc):
    validate(doc)
    assert doc["openapi"].startswith("3.1")
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"],
    }


def _template(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_every_api_route_is_documented_and_nothing_else(app, doc):
    routes = {
        (_template(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {
        (path, method)
        for path, ops in doc["paths"].items()
        for method in ops
        if method != "parameters"
    }
    assert routes == documented


def test_every_protected_operation_documents_its_errors(doc):
    for path, ops in doc["paths"].items():
        op = ops["get"]
        if path == "/api/v1/openapi.json":
            assert op["security"] == []
            continue
        assert "security" not in op  # the document-wide bearer / session requirement
        codes = set(op["responses"])
        assert {"200", "401", "403"} <= codes, path
        if "{" in path or "localities" in path:
            assert "404" in codes, path
        if op.get("parameters"):
            assert "422" in codes, path


def _schema_for(doc, path: str, status: int) -> dict:
    response = doc["paths"][path]["get"]["responses"][str(status)]
    if "$ref" in response:
        response = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    schema = response["content"]["application/json"]["schema"]
    return {"components": doc["components"], **schema}


def conforms(doc, path: str, response, status: int):
    assert response.status_code == status, (path, response.status_code, response.data[:300])
    assert response.mimetype == "application/json"
    validator = Draft202012Validator(
        _schema_for(doc, path, status), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(response.get_json()), key=str)
    assert not errors, (path, status, [e.message for e in errors[:3]])


def test_real_responses_match_the_document(f, api, login, doc, world):
    world.responses[0].flags = ["too_fast"]
    db.session.flush()
    admin = api(f.user(role="admin"))
    commune = api(f.user(role="coordinator", locality=world.a))
    judge = api(f.user(role="judge"))
    anonymous = api(None)
    c, v = world.campaign.id, world.version
    analysis = f"/api/v1/instruments/{v.instrument_id}/versions/{v.number}/item-analysis"
    camp, here = "/api/v1/campaigns/{campaign_id}", f"/api/v1/campaigns/{c}"
    item = "/api/v1/instruments/{instrument_id}/versions/{number}/item-analysis"
    cases = [
        ("/api/v1/localities", "/api/v1/localities", admin, 200),
        ("/api/v1/localities", f"/api/v1/localities?parent={world.province.code}", admin, 200),
        ("/api/v1/localities", f"/api/v1/localities?parent={world.province.code}", commune, 404),
        ("/api/v1/localities", "/api/v1/localities?scheme=%00", admin, 422),
        ("/api/v1/localities/{code}", f"/api/v1/localities/{world.a.code}", commune, 200),
        ("/api/v1/localities/{code}", f"/api/v1/localities/{world.b.code}", commune, 404),
        ("/api/v1/campaigns", "/api/v1/campaigns", commune, 200),
        ("/api/v1/campaigns", "/api/v1/campaigns", judge, 403),
        ("/api/v1/campaigns", "/api/v1/campaigns", anonymous, 401),
        (camp, here, commune, 200),
        (camp, "/api/v1/campaigns/424242", admin, 404),
        (camp + "/classes", here + "/classes?limit=1", admin, 200),
        (camp + "/classes", here + "/classes?limit=0", admin, 422),
        (camp + "/indicators", here + "/indicators", admin, 200),
        (camp + "/indicators", here + f"/indicators?locality={world.b.code}", commune, 404),
        (camp + "/indicators", here + "/indicators?lang=xx", admin, 422),
        (camp + "/responses", here + "/responses?limit=5", admin, 200),
        (camp + "/responses", here + "/responses", anonymous, 401),
        (item, analysis, commune, 200),
        (item, analysis + "?moment=x", admin, 422),
    ]
    for path, url, client, status in cases:
        conforms(doc, path, client.get(url), status)
    # The web session works too for these read-only routes.
    conforms(
        doc, "/api/v1/campaigns", login(f.user(role="evaluator")).get("/api/v1/campaigns"), 200
    )


def test_the_document_needs_no_token_and_is_the_same_for_everyone(f, api, app, doc):
    assert api(f.user(role="judge")).get("/api/v1/openapi.json").get_json() == doc
