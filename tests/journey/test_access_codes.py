"""Entering a class code, friendly 404s, and the growing wait after repeated wrong codes."""

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.participants.models import AccessAttempt
from tests.journey.helpers import identity


@pytest.fixture
def strict(app):
    app.config.update(JOURNEY_FREE_ATTEMPTS=2, JOURNEY_ATTEMPT_WINDOW_MINUTES=15)
    yield
    app.config.pop("JOURNEY_FREE_ATTEMPTS")
    app.config.pop("JOURNEY_ATTEMPT_WINDOW_MINUTES")


def test_code_form_accepts_any_case_and_spacing(world, as_user):
    client = as_user(None)
    assert client.get("/c").status_code == 200
    code = world.cls.access_code
    response = client.post("/c", data={"code": f" {code[:3].lower()} {code[3:]} "})
    assert response.status_code == 302 and response.location.endswith(f"/c/{code}")
    assert client.post("/c", data={"code": ""}).status_code == 400


def test_a_wrong_code_gets_a_friendly_404(world, as_user):
    response = as_user(None).post("/c", data={"code": "WR0NG1"})
    assert response.status_code == 404
    assert "Enter the code again" in response.text


def test_repeated_wrong_codes_must_wait(world, as_user, strict):
    """Two wrong codes are free; then each try must wait (1 s, 2 s, 4 s...)."""
    client = as_user(None)
    assert [client.get(f"/c/BAD{n}").status_code for n in range(3)] == [404, 404, 429]
    response = client.get(f"/c/{world.cls.access_code}")
    assert response.status_code == 429  # even the right code, until the wait is over
    assert int(response.headers["Retry-After"]) >= 1
    assert "Too many wrong codes" in response.text
    assert client.post("/c", data={"code": "BAD9"}).status_code == 429
    assert client.get("/f/NOTATOKEN1").status_code == 429
    row = db.session.scalar(sa.select(AccessAttempt))
    assert row.count == 2 and len(row.ip_hash) == 64


def test_other_addresses_are_not_held_up(world, app, as_user, strict):
    client = as_user(None)
    for n in range(2):
        client.get(f"/c/BAD{n}")
    other = app.test_client()
    response = other.get(f"/c/{world.cls.access_code}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 200


def test_an_identified_trainee_is_never_held_up(world, as_user, strict):
    client = as_user(None)
    code = world.cls.access_code
    client.post(f"/c/{code}/identify", data=identity(commune=str(world.mau_a.id)))
    for n in range(2):
        client.get(f"/c/BAD{n}")
    assert client.get(f"/c/{code}").status_code == 200
    assert client.get(f"/c/{code}/form/{world.forms['pre'].id}").status_code == 200
