"""Access rules for every route, generated from the app's URL map.

A new route without an access rule fails ``test_app.test_every_route_declares_an_access_rule``;
here every protected route is tried anonymously and with every role it does not allow.
Scope (sibling locality) checks need real objects and live in ``test_scope_matrix.py``.
"""

import pytest
from werkzeug.routing import Rule

from surveyapp import create_app

DUMMY = {
    "int": 1,
    "integer": 1,
    "default": "x",
    "string": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
ROLES = ("admin", "coordinator", "trainer", "judge", "evaluator")


def _routes():
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        kind, roles = app.view_functions[rule.endpoint].access_rule
        if kind == "public":
            continue
        found.append((rule, roles))
    return found


ROUTES = _routes()


def _url(rule: Rule) -> str:
    values = {
        name: DUMMY.get(type(converter).__name__.removesuffix("Converter").lower(), "x")
        for name, converter in rule._converters.items()
    }
    return rule.build(values)[1]


def _method(rule: Rule) -> str:
    return "get" if "GET" in rule.methods else "post"


@pytest.mark.parametrize(("rule", "roles"), ROUTES, ids=[r.endpoint for r, _ in ROUTES])
def test_anonymous_is_sent_to_login(client, rule, roles):
    response = getattr(client, _method(rule))(_url(rule))
    if rule.rule.startswith("/api/"):  # the JSON API answers 401, never a redirect
        assert response.status_code == 401, rule.rule
        return
    assert response.status_code == 302
    assert "/login" in response.location


@pytest.mark.parametrize(("rule", "roles"), ROUTES, ids=[r.endpoint for r, _ in ROUTES])
def test_roles_outside_the_rule_get_403(f, login, rule, roles):
    province, commune, _ = f.tree()
    for role in ROLES:
        if role in roles:
            continue
        client = login(f.user(role=role, locality=None if role == "admin" else commune))
        response = getattr(client, _method(rule))(_url(rule))
        assert response.status_code == 403, (role, rule.rule)
