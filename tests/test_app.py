"""The application factory, configuration and the access rule of every route."""

import pytest

from surveyapp import create_app
from surveyapp.config import env_overrides, normalise_database_url


def test_every_route_declares_an_access_rule(app):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and not hasattr(app.view_functions[rule.endpoint], "access_rule")
    ]
    assert missing == []


def test_production_refuses_to_start_without_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYAPP_ENV", "production")
    monkeypatch.delenv("SURVEYAPP_SECRET_KEY", raising=False)
    monkeypatch.setenv("SURVEYAPP_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_env_overrides_and_database_url():
    found = env_overrides({"SURVEYAPP_LOGIN_MAX_FAILURES": "7", "DATABASE_URL": "postgres://h/db"})
    assert found == {"LOGIN_MAX_FAILURES": 7, "DATABASE_URL": "postgres://h/db"}
    assert normalise_database_url("postgres://h/db") == "postgresql+psycopg://h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_health(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_vietnamese_is_default_and_english_selectable(app, vietnamese_default):
    from surveyapp.config import Defaults

    assert Defaults.LANGUAGES[0] == "vi" and Defaults.BABEL_DEFAULT_LOCALE == "vi"
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in page and "Đăng nhập" in page
    client.post("/lang/en", data={"next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page
