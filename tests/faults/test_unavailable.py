"""A database briefly unavailable: the trainee gets a clear 503 (page or JSON for the page
script), everything typed is kept in the page to send again, and nothing half-written is
stored (a submission is one transaction); staff pages and the login say so too, never a 500.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from surveyapp import create_app
from surveyapp.extensions import db
from surveyapp.journey.api import PERSON_HEADER, person_marker
from surveyapp.participants.models import Participant
from surveyapp.responses.models import Answer, Response
from tests.faults.live import own_session
from tests.journey.helpers import form_data, hidden_fields, identity

COMMENT = "Góp ý từ Mù Cang Chải: thêm giờ thực hành"
MESSAGE = "The service is briefly unavailable"


@pytest.fixture
def trainee(world, as_user):
    client = as_user(None)
    data = identity(commune=str(world.mau_a.id))
    assert client.post(f"/c/{world.cls.access_code}/identify", data=data).status_code == 302
    return client


@pytest.fixture
def post_form(world, trainee):
    """``(url, data)``: the post-class form filled in, ready to send."""
    url = f"/c/{world.cls.access_code}/form/{world.forms['post'].id}"
    data = form_data(trainee.get(url).text, {"se_confident": "4", "comment": COMMENT})
    return url, data


@contextmanager
def database_fails_on(prefix: str):
    """Every statement starting with ``prefix`` fails as if the server had gone away."""

    def fail(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith(prefix):
            reason = Exception("server closed the connection unexpectedly")
            raise sa.exc.OperationalError(statement, parameters, reason)

    sa.event.listen(db.engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", fail)


def resend_fields(html: str) -> MultiDict:
    """The hidden fields of the page's "Send again" form (not the header's forms)."""
    start = html.index('<form method="post" action="/c/')
    return MultiDict(hidden_fields(html[start : html.index("</form>", start)]))


def stored() -> tuple[int, int]:
    responses = db.session.scalar(sa.select(sa.func.count(Response.id)))
    answers = db.session.scalar(sa.select(sa.func.count(Answer.id)))
    return responses, answers


def test_a_failure_half_way_through_storing_keeps_nothing_and_the_answers_to_resend(
    trainee, post_form
):
    url, data = post_form
    with database_fails_on("INSERT INTO ANSWER"):  # the response row is already written
        page = trainee.post(url, data=data)
    assert page.status_code == 503
    assert page.headers["Retry-After"].isdigit()
    assert MESSAGE in page.text and "Send again" in page.text
    assert stored() == (0, 0)  # the response row went with the rest of the transaction
    kept = resend_fields(page.text)
    assert kept["comment"] == COMMENT and kept["se_confident"] == "4"
    assert kept["submission_id"] == data["submission_id"][0]
    again = trainee.post(url, data=kept)  # "Send again", as posted
    assert again.status_code == 303
    assert stored() == (1, 2)
    assert trainee.post(url, data=kept).status_code == 303  # once only
    assert stored() == (1, 2)


def test_the_page_script_gets_json_and_keeps_the_answers_queued(trainee, post_form):
    url, data = post_form
    person = db.session.scalar(sa.select(Participant).where(Participant.full_name != ""))
    headers = {"Accept": "application/json", PERSON_HEADER: person_marker(person.id)}
    with database_fails_on("INSERT INTO RESPONSE"):
        answer = trainee.post(url, data=data, headers=headers)
    # journey.js keeps a post answered 5xx in its queue (and the draft) and sends it later.
    assert answer.status_code == 503 and answer.json["status"] == "unavailable"
    assert MESSAGE in answer.json["error"]
    assert stored() == (0, 0)
    assert trainee.post(url, data=data, headers=headers).json["status"] == "stored"
    assert stored() == (1, 2)


@pytest.fixture
def down_app(tmp_path):
    """The app pointed at a database server that does not answer."""
    if os.environ.get("TEST_DATABASE_URL"):
        url = "postgresql://surveyapp@127.0.0.1:9/nowhere?connect_timeout=2"
    else:
        url = f"sqlite:///{tmp_path / 'missing-folder' / 'gone.sqlite'}"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "LANGUAGES": ("en", "vi"),
        }
    )
    with own_session(app):
        yield app


def test_a_database_down_answers_503_with_everything_posted_kept(down_app):
    client = down_app.test_client()
    fields = {
        "submission_id": "6f1c7a52-3f55-4e4e-9d0b-2f1e8f1b7c11",
        "page": "1",
        "action": "next",
        "comment": COMMENT,
    }
    page = client.post("/c/ABC234/form/7", data=fields)
    assert page.status_code == 503 and MESSAGE in page.text
    assert resend_fields(page.text).to_dict() == fields
    assert 'action="/c/ABC234/form/7"' in page.text
    assert client.get("/c").status_code == 200  # the code form needs no database
    assert client.get("/c/ABC234").status_code == 503
    script = client.post("/c/ABC234/form/7", data=fields, headers={"Accept": "application/json"})
    assert script.status_code == 503 and script.json["status"] == "unavailable"


def test_staff_pages_and_the_login_say_unavailable_and_never_echo_a_password(down_app):
    client = down_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:token"
        session["_fresh"] = True
    assert client.get("/dashboard").status_code == 503
    anonymous = down_app.test_client()
    login = anonymous.post("/login", data={"email": "a@example.vn", "password": "Bí-mật-123"})
    assert login.status_code == 503 and MESSAGE in login.text
    assert "Bí-mật-123" not in login.text


def test_an_error_page_for_a_signed_in_user_during_an_outage_is_a_503_not_a_500(down_app):
    """The error page's layout loads the signed-in user: that needs the database too."""
    client = down_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:token"
        session["_fresh"] = True
    missing = client.get("/no-such-page")
    assert missing.status_code == 503 and MESSAGE in missing.text
