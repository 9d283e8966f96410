"""CSRF protection is on for every form that changes something, staff and public alike."""

import pytest

from surveyapp import create_app

from .test_access_matrix import _url

_app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
POSTS = [
    rule
    for rule in _app.url_map.iter_rules()
    if "POST" in rule.methods and rule.endpoint != "static"
]


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("rule", POSTS, ids=[r.endpoint for r in POSTS])
def test_post_without_token_is_refused(f, login, csrf_on, app, rule):
    app.config["WTF_CSRF_ENABLED"] = False
    client = login(f.user(role="admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(_url(rule), data={"anything": "1"})
    assert response.status_code == 400, (rule.rule, response.status_code)
