"""Tokens: the CLI, what is stored, and 401/403 JSON for every way of getting it wrong."""

import pytest
import sqlalchemy as sa

from surveyapp.api.models import ApiToken
from surveyapp.api.tokens import hash_token, issue_token, revoke_tokens
from surveyapp.audit.models import AuditEntry
from surveyapp.extensions import db


def test_cli_prints_the_token_alone_on_its_last_line_and_stores_only_its_hash(f, runner, api):
    user = f.user(role="evaluator", email="danh.gia@example.vn")
    result = runner.invoke(
        args=["users", "token", "--email", "Danh.Gia@example.vn", "--name", "bi"]
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("sapi_") and " " not in token and len(token) > 40
    stored = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    assert stored.name == "bi" and stored.prefix == token[:10]
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "api_token.issued"))
    client = api(None).client
    response = client.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_cli_revokes_tokens_and_refuses_unknown_users(f, runner, app):
    user = f.user(role="coordinator")
    _, keep = issue_token(user, name="keep")
    _, drop = issue_token(user, name="drop")
    result = runner.invoke(
        args=["users", "token", "--email", user.email, "--name", "drop", "--revoke"]
    )
    assert result.exit_code == 0 and "Revoked 1" in result.output
    client = app.test_client()
    assert (
        client.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {drop}"}).status_code
        == 401
    )
    assert (
        client.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {keep}"}).status_code
        == 200
    )
    missing = runner.invoke(args=["users", "token", "--email", "nobody@example.vn"])
    assert missing.exit_code != 0 and "No user" in missing.output


def _assert_401(response):
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body = response.get_json()
    assert set(body) >= {"error", "detail"}


def test_missing_malformed_revoked_and_disabled_tokens_get_401_json(f, app):
    client = app.test_client()
    _assert_401(client.get("/api/v1/localities"))
    for header in (
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token abc",
        "Bearer nope",
        "x" * 300,
    ):
        _assert_401(client.get("/api/v1/localities", headers={"Authorization": header}))
    user = f.user(role="admin")
    _, token = issue_token(user)
    revoke_tokens(user)
    _assert_401(client.get("/api/v1/localities", headers={"Authorization": f"Bearer {token}"}))
    other = f.user(role="admin")
    _, token = issue_token(other)
    other.active = False
    db.session.flush()
    _assert_401(client.get("/api/v1/localities", headers={"Authorization": f"Bearer {token}"}))


def test_a_bad_token_is_refused_even_with_a_logged_in_session(f, login):
    client = login(f.user(role="admin"))
    assert client.get("/api/v1/campaigns").status_code == 200  # the web session, read-only
    _assert_401(client.get("/api/v1/campaigns", headers={"Authorization": "Bearer wrong"}))


def test_anonymous_gets_401_before_bad_query_arguments_are_looked_at(app):
    _assert_401(app.test_client().get("/api/v1/localities?scheme=%00"))


def test_a_judge_gets_403_json(f, api):
    response = api(f.user(role="judge")).get("/api/v1/campaigns")
    assert response.status_code == 403
    assert response.get_json()["error"]


def test_unknown_api_urls_get_404_json(f, api):
    response = api(f.user(role="admin")).get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/json"


def test_token_names_are_limited(f):
    from surveyapp.errors import DomainError

    with pytest.raises(DomainError):
        issue_token(f.user(), name="n" * 101)


def test_the_session_cookie_never_authorises_a_request_that_could_change_something(f, app):
    from flask import g

    from surveyapp.api.auth import api_user
    from surveyapp.api.errors import ApiHTTPError

    user = f.user(role="admin")
    for method, allowed in (("GET", True), ("POST", False), ("DELETE", False)):
        with app.test_request_context("/api/v1/campaigns", method=method):
            g._login_user = user  # as Flask-Login sets it from the session cookie
            if allowed:
                assert api_user() is user
            else:
                with pytest.raises(ApiHTTPError) as raised:
                    api_user()
                assert raised.value.code == 401
