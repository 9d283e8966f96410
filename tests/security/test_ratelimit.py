"""Rate limits: which routes, 429 page and JSON (translated, Retry-After), per client, config."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from surveyapp.ratelimit import EXTENSION, client_key, limited_endpoints
from surveyapp.ratelimit_models import RateLimitCounter
from surveyapp.ratelimit_storage import DatabaseStorage

# (method, url, setting's limit in tests/security/conftest.py)
LIMITED = [
    ("post", "/login", 3),
    ("post", "/c", 4),
    ("get", "/c/NOSUCH", 4),
    ("post", "/f", 4),
    ("get", "/f/nosuchtoken", 4),
    ("get", "/verify/NOSUCH", 3),
    ("get", "/verify?code=x", 3),
    ("post", "/c/NOSUCH/identify", 5),
    ("post", "/c/NOSUCH/form/1", 5),
    ("post", "/f/nosuchtoken/form/1", 5),
    ("post", "/c/NOSUCH/certificate", 5),
    ("get", "/api/v1/campaigns", 6),
    ("get", "/api/v1/openapi.json", 6),
]


def _hit(client, method, url, **kwargs):
    return getattr(client, method)(url, **kwargs)


@pytest.mark.parametrize(
    ("method", "url", "limit"), LIMITED, ids=[f"{m} {u}" for m, u, _ in LIMITED]
)
def test_each_limited_route_answers_429_past_its_limit(limited_app, method, url, limit):
    client = limited_app.test_client()
    statuses = [_hit(client, method, url).status_code for _ in range(limit)]
    assert 429 not in statuses
    refused = _hit(client, method, url)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    if url.startswith("/api/"):
        body = refused.get_json()
        assert body["error"] == "Too many attempts, please wait a moment"
        assert "seconds" in body["detail"]
    else:
        page = refused.get_data(as_text=True)
        assert "Too many requests from your network" in page and "<html" in page


def test_the_429_page_is_translated(limited_app):
    client = limited_app.test_client()
    client.post("/lang/vi", data={"next": "/"})
    for _ in range(3):
        client.post("/login", data={"email": "a@example.vn", "password": "x"})
    page = client.post("/login", data={"email": "a@example.vn", "password": "x"})
    assert page.status_code == 429
    text = page.get_data(as_text=True)
    assert '<html lang="vi">' in text
    assert "Thử quá nhiều lần" in text  # the page title, from the Vietnamese catalogue


def test_get_of_the_login_page_is_not_counted(limited_app):
    client = limited_app.test_client()
    for _ in range(10):
        assert client.get("/login").status_code == 200
    assert client.post("/login", data={}).status_code == 400  # still the form's own answer


def test_staff_pages_and_static_files_are_not_limited(limited_app):
    client = limited_app.test_client()
    for _ in range(10):
        assert client.get("/healthz").status_code == 200
        static = client.get("/static/app.css")
        static.close()
        assert static.status_code == 200
        assert client.get("/campaigns").status_code == 302  # to the login page


def test_each_client_address_and_route_has_its_own_count(limited_app):
    client = limited_app.test_client()
    for _ in range(3):
        client.post("/login", data={}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert (
        client.post("/login", data={}, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 429
    )
    assert (
        client.post("/login", data={}, environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 400
    )
    # The same address is not limited on another route.
    assert client.post("/c", data={}, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 400


def test_counts_are_shared_by_two_app_processes(make_limited_app):
    """Two app instances (as two gunicorn workers) count in the same table."""
    first, second = make_limited_app(), make_limited_app()
    assert first.extensions[EXTENSION] is not second.extensions[EXTENSION]
    for app in (first, second, first):
        assert app.test_client().post("/login", data={}).status_code == 400
    assert second.test_client().post("/login", data={}).status_code == 429


def test_counters_hold_no_client_address(limited_app):
    client = limited_app.test_client()
    client.post("/login", data={}, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    with limited_app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.7"}):
        key = client_key()
        storage = limited_app.extensions[EXTENSION].storage
        assert isinstance(storage, DatabaseStorage)
        with storage.engine.connect() as connection:
            keys = connection.execute(sa.select(RateLimitCounter.key)).scalars().all()
    assert keys and all("203.0.113.7" not in k for k in keys)
    assert any(key in k for k in keys)


def test_limits_come_from_the_configuration(make_limited_app):
    app = make_limited_app(RATELIMIT_LOGIN="1 per minute")
    client = app.test_client()
    assert client.post("/login", data={}).status_code == 400
    assert client.post("/login", data={}).status_code == 429


def test_limits_are_off_in_the_other_tests_and_on_by_default(app, make_limited_app):
    assert app.config["RATELIMIT_ENABLED"] is False
    assert EXTENSION not in app.extensions
    client = app.test_client()
    assert all(client.post("/login", data={}).status_code == 400 for _ in range(40))
    assert make_limited_app(TESTING=False).config["RATELIMIT_ENABLED"] is True


def test_another_storage_can_be_named(make_limited_app):
    from limits.storage import MemoryStorage

    app = make_limited_app(RATELIMIT_STORAGE_URI="memory://")
    assert isinstance(app.extensions[EXTENSION].storage, MemoryStorage)
    client = app.test_client()
    assert [client.post("/login", data={}).status_code for _ in range(4)] == [400, 400, 400, 429]


def test_a_failing_storage_lets_requests_through(make_limited_app, monkeypatch):
    """The database briefly away must not turn the login page into an error page."""
    app = make_limited_app()

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("database is away"))

    monkeypatch.setattr(DatabaseStorage, "incr", broken)
    client = app.test_client()
    assert [client.post("/login", data={}).status_code for _ in range(5)] == [400] * 5


def test_the_map_of_limited_routes(app):
    found = {endpoint: rule.setting for endpoint, rule in limited_endpoints(app).items()}
    assert found["accounts.login"] == "RATELIMIT_LOGIN"
    assert found["journey.enter"] == found["journey.follow_up_enter"] == "RATELIMIT_ACCESS_CODE"
    assert found["journey.fill"] == found["journey.identify"] == "RATELIMIT_SUBMISSION"
    assert found["journey.follow_up_fill"] == found["certificates.claim"] == "RATELIMIT_SUBMISSION"
    assert found["certificates.verify"] == "RATELIMIT_VERIFY"
    assert all(found[e] == "RATELIMIT_API" for e in found if e.startswith("api."))
    # Every public page that takes a POST is limited; no staff page is.
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        public = getattr(view, "access_rule", ("", ()))[0] == "public"
        if public and "POST" in rule.methods:
            assert rule.endpoint in found, rule.endpoint
        if not public and not rule.endpoint.startswith("api.") and rule.endpoint != "static":
            assert rule.endpoint not in found, rule.endpoint


def test_a_long_wait_is_said_in_minutes(make_limited_app):
    app = make_limited_app(RATELIMIT_VERIFY="1 per hour")
    client = app.test_client()
    client.get("/verify/NOSUCH")
    refused = client.get("/verify/NOSUCH")
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3601
    assert re.search(r"Please try again in 6[01] minutes\.", refused.get_data(as_text=True))
