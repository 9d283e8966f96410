"""Log-in, lock-out, safe redirects, log-out and own password."""

from datetime import UTC, datetime, timedelta

import pytest

from surveyapp.accounts import services
from surveyapp.errors import DomainError
from surveyapp.extensions import db


def test_login_with_the_real_form_then_logout(client, f):
    province, commune, _ = f.tree()
    f.user(role="trainer", locality=commune, email="gv@example.vn")
    page = client.post("/login", data={"email": " GV@example.vn ", "password": "password123"})
    assert page.status_code == 302 and page.location.endswith("/home")
    assert "Xã Mù Cang Chải" in client.get("/home").get_data(as_text=True)
    assert client.post("/logout").status_code == 302
    assert client.get("/home").status_code == 302


def test_wrong_password_is_401_and_keeps_email(client, f):
    f.user(email="a@example.vn")
    page = client.post("/login", data={"email": "a@example.vn", "password": "nope-nope"})
    assert page.status_code == 401
    assert 'value="a@example.vn"' in page.get_data(as_text=True)


def test_empty_form_is_400(client):
    assert client.post("/login", data={}).status_code == 400


def test_lockout_after_repeated_failures(client, f):
    user = f.user(email="lock@example.vn")
    for _ in range(3):  # LOGIN_MAX_FAILURES is 3 in tests
        client.post("/login", data={"email": "lock@example.vn", "password": "wrong-pass"})
    page = client.post("/login", data={"email": "lock@example.vn", "password": "password123"})
    assert page.status_code == 401
    db.session.refresh(user)
    assert user.locked_until is not None


def test_lock_expires(f):
    user = f.user(email="x@example.vn")
    now = datetime.now(UTC)
    user.locked_until = now + timedelta(minutes=5)
    with pytest.raises(DomainError):
        services.authenticate(
            "x@example.vn", "password123", now=now, max_failures=3, lock_minutes=5
        )
    later = now + timedelta(minutes=6)
    assert (
        services.authenticate(
            "x@example.vn", "password123", now=later, max_failures=3, lock_minutes=5
        )
        is user
    )


def test_inactive_user_cannot_log_in(client, f):
    user = f.user(email="off@example.vn")
    user.active = False
    db.session.commit()
    page = client.post("/login", data={"email": "off@example.vn", "password": "password123"})
    assert page.status_code == 401


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/users", "/users"),
        ("https://evil.example/", "/home"),
        ("//evil.example/x", "/home"),
        ("/\\evil.example", "/home"),
        ("javascript:alert(1)", "/home"),
    ],
)
def test_next_redirect_stays_on_site(client, f, target, expected):
    f.user(role="admin", email="adm@example.vn")
    page = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "adm@example.vn", "password": "password123"},
    )
    assert page.status_code == 302
    assert page.location.removeprefix("http://localhost") == expected


def test_anonymous_is_sent_to_login_with_next(client):
    page = client.get("/users")
    assert page.status_code == 302
    assert "/login?next=" in page.location


def test_change_password_ends_other_sessions(app, f, login):
    user = f.user(email="pw@example.vn")
    db.session.commit()
    first, second = login(user), login(user)
    page = first.post(
        "/account/password",
        data={
            "current_password": "password123",
            "password": "new-password-1",
            "confirm": "new-password-1",
        },
    )
    assert page.status_code == 302
    assert first.get("/home").status_code == 200
    assert second.get("/home").status_code == 302  # the old session token no longer works


def test_change_password_errors(login, f):
    client = login(f.user())
    bad = client.post(
        "/account/password",
        data={
            "current_password": "wrong-one",
            "password": "new-password-1",
            "confirm": "new-password-1",
        },
    )
    assert bad.status_code == 400
    short = client.post(
        "/account/password",
        data={"current_password": "password123", "password": "x", "confirm": "x"},
    )
    assert short.status_code == 400


def test_passwords_are_hashed_with_a_modern_scheme(f):
    user = f.user()
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:sha256"))
    assert "password123" not in user.password_hash


def test_a_judges_home_leads_to_the_entries_not_to_campaigns(client, f):
    """Judges may open no campaign: their home links to the entries they judge instead of
    listing campaigns they would get 403 on."""
    province, commune, _ = f.tree()
    f.campaign(province)
    f.user(role="judge", locality=province, email="gk@example.vn")
    client.post("/login", data={"email": "gk@example.vn", "password": "password123"})
    page = client.get("/home").get_data(as_text=True)
    assert "/contests/judging" in page and "/campaigns/" not in page
    assert client.get("/contests/judging").status_code == 200
