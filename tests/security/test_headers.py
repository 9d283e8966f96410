"""Security headers on every kind of response, cookie flags, HTTPS and the proxy fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from surveyapp import create_app
from surveyapp.web_security import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _directives(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    parts = (part.strip().split(" ", 1) for part in header.split(";"))
    return {name: value for name, value in parts}


@pytest.mark.parametrize(
    "url", ["/login", "/c", "/verify", "/static/app.css", "/healthz", "/no-such-page"]
)
def test_every_response_carries_the_headers(client, url):
    response = client.get(url)
    response.close()  # a static file is sent from an open file
    csp = _directives(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


def test_api_answers_carry_the_headers_too(client):
    response = client.get("/api/v1/campaigns")
    assert response.status_code == 401
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_hsts_only_over_https(client):
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_policy_allows_nothing_inline_or_foreign():
    values = " ".join(CONTENT_SECURITY_POLICY.values())
    assert "unsafe" not in values and "http" not in values and "*" not in values
    assert "data:" not in values and "nonce" not in values


def _served_templates():
    """Templates rendered as web pages: all but the HTML that only WeasyPrint reads."""
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "_pdf" in path.name or "reports/_pdf_base.html" in text:
            continue
        yield path.relative_to(TEMPLATES).as_posix(), text


INLINE = [
    ("<style> element", re.compile(r"<style\b", re.IGNORECASE)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.IGNORECASE)),
    ("inline <script>", re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)),
    ("event handler attribute", re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)),
    ("javascript: URL", re.compile(r"javascript:", re.IGNORECASE)),
    ("foreign URL", re.compile(r"(src|href)=[\"']https?://", re.IGNORECASE)),
]


def test_web_templates_have_no_inline_script_or_style():
    found = [
        f"{name}: {what}"
        for name, text in _served_templates()
        for what, pattern in INLINE
        if pattern.search(text)
    ]
    assert found == []


def test_rendered_pages_have_no_inline_script_or_style(client, as_user, f):
    province, commune, _ = f.tree()
    admin = as_user(f.user(role="admin", locality=province))
    pages = [client.get(url) for url in ("/login", "/c", "/f", "/verify")]
    pages += [admin.get(url) for url in ("/home", "/dashboard", "/campaigns", "/localities")]
    for page in pages:
        assert page.status_code == 200, page.request.path
        html = page.get_data(as_text=True)
        for what, pattern in INLINE[:-1]:
            assert not pattern.search(html), (page.request.path, what)


def _cookie(response, name: str) -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    assert headers, f"no {name} cookie"
    return headers[0]


def _login_response(app, f):
    province, _commune, _ = f.tree()
    f.user(role="admin", locality=province, email="s1@example.vn")
    client = app.test_client()
    return client.post(
        "/login", data={"email": "s1@example.vn", "password": "password123", "remember": "y"}
    )


# Flask-Login 0.6.3 computes the remember cookie's expiry with datetime.utcnow().
REMEMBER_WARNING = "ignore:datetime.datetime.utcnow:DeprecationWarning"


@pytest.mark.filterwarnings(REMEMBER_WARNING)
def test_cookies_are_http_only_and_same_site_lax(app, f):
    response = _login_response(app, f)
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        cookie = _cookie(response, name)
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # development over plain HTTP


@pytest.mark.filterwarnings(REMEMBER_WARNING)
def test_cookies_are_secure_in_production(app, f, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    monkeypatch.setitem(app.config, "REMEMBER_COOKIE_SECURE", True)
    response = _login_response(app, f)
    for name in ("session", "remember_token"):
        assert "Secure" in _cookie(response, name)


def _production_app(tmp_path, monkeypatch, **env):
    monkeypatch.setenv("SURVEYAPP_ENV", "production")
    monkeypatch.setenv("SURVEYAPP_SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("SURVEYAPP_DATABASE_URL", f"sqlite:///{tmp_path}/prod.sqlite")
    monkeypatch.setenv("SURVEYAPP_RATELIMIT_ENABLED", "false")
    for key, value in env.items():
        monkeypatch.setenv(f"SURVEYAPP_{key}", value)
    return create_app()


def test_production_makes_both_cookies_secure(tmp_path, monkeypatch):
    app = _production_app(tmp_path, monkeypatch)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    response = app.test_client().get("/login", base_url="https://example.vn")
    assert "Secure" in _cookie(response, "session")


def test_a_plain_http_production_site_can_turn_secure_cookies_off(tmp_path, monkeypatch):
    app = _production_app(tmp_path, monkeypatch, SECURE_COOKIES="false")
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["REMEMBER_COOKIE_SECURE"] is False


def test_force_https_redirects_plain_http(tmp_path, monkeypatch):
    app = _production_app(tmp_path, monkeypatch, FORCE_HTTPS="true")
    client = app.test_client()
    response = client.get("/login", base_url="http://example.vn")
    assert response.status_code == 302
    assert response.location == "https://example.vn/login"
    assert client.get("/login", base_url="https://example.vn").status_code == 200


def test_proxy_fix_trusts_the_configured_number_of_proxies(tmp_path, monkeypatch):
    app = _production_app(tmp_path, monkeypatch, PROXY_FIX_X_FOR="1")
    seen = {}

    @app.get("/_probe")
    def probe():
        from flask import request

        seen.update(addr=request.remote_addr, secure=request.is_secure)
        return "ok"

    probe.access_rule = ("public", ())
    headers = {"X-Forwarded-For": "198.51.100.9", "X-Forwarded-Proto": "https"}
    response = app.test_client().get("/_probe", headers=headers)
    assert seen == {"addr": "198.51.100.9", "secure": True}
    assert "Strict-Transport-Security" in response.headers


def test_without_proxy_fix_forwarded_headers_are_ignored(client, app):
    with app.test_request_context(
        "/", headers={"X-Forwarded-For": "198.51.100.9"}, environ_base={"REMOTE_ADDR": "10.1.1.1"}
    ):
        from flask import request

        app.preprocess_request()
        assert request.remote_addr == "10.1.1.1"
