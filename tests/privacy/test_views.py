"""The personal-data pages: who reaches them, scope, bad input, export and erasure."""

from __future__ import annotations

import csv
import io
import json

import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.extensions import db
from surveyapp.participants.models import Participant
from surveyapp.privacy.models import DataRequest
from tests.journey.helpers import make_user

from .conftest import NAME, PHONE


def _page(pw, name="participant", suffix=""):
    return f"/privacy/participants/{pw.learner.id}{suffix}"


def _person(pw) -> Participant:
    """The learner as stored now (requests ran in their own sessions)."""
    db.session.expire_all()
    return db.session.get(Participant, pw.learner.id)


def _audit(action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def test_anonymous_users_are_sent_to_login(pw, client):
    for url in ("/privacy/", _page(pw), _page(pw, suffix="/export.json")):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location
    response = client.post(_page(pw, suffix="/erase"), data={"confirm": "y"})
    assert response.status_code == 302 and "/login" in response.location
    assert _person(pw).full_name == NAME


def test_trainers_and_evaluators_are_refused(pw, as_user):
    for role in ("trainer", "evaluator", "judge"):
        client = as_user(make_user(role, pw.a))
        assert client.get("/privacy/").status_code == 403
        assert client.get(_page(pw)).status_code == 403


def test_search_page_finds_people_and_never_prints_the_phone(pw, as_user):
    by_phone = as_user(pw.coordinator_a).get("/privacy/?q=%2B84+912+345+678")
    assert NAME in by_phone.get_data(as_text=True)
    page = as_user(pw.coordinator_a).get("/privacy/?q=Th%E1%BB%8B+Mai")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert NAME in html and "Mù Cang Chải" in html and "••• 678" in html
    assert PHONE not in html and "912 345" not in html
    assert NAME not in as_user(pw.coordinator_b).get("/privacy/?q=Mai").get_data(as_text=True)
    assert as_user(pw.admin).get("/privacy/?q=" + "x" * 300).status_code == 400


def test_participant_page_shows_consents_and_requests(pw, as_user):
    html = as_user(pw.coordinator_p).get(_page(pw)).get_data(as_text=True)
    assert NAME in html and "2026-01" in html and "Follow-up contact" in html
    assert "Export everything" not in html and "Erase this person" not in html
    assert 'href="/privacy/"' in html  # the menu link
    admin_html = as_user(pw.admin).get(_page(pw)).get_data(as_text=True)
    assert "Export everything (JSON)" in admin_html and "Erase this person" in admin_html


def test_sibling_coordinator_gets_404_everywhere(pw, as_user):
    client = as_user(pw.coordinator_b)
    assert client.get(_page(pw)).status_code == 404
    form = {"kind": "access", "received_at": "2026-11-26T09:00", "purpose": ""}
    assert client.post(_page(pw, suffix="/requests"), data=form).status_code == 404
    assert (
        client.post(_page(pw, suffix="/requests/done"), data={"request_id": "1"}).status_code == 404
    )
    assert (
        client.post(
            _page(pw, suffix="/consents/withdraw"), data={"withdraw-purpose": "follow_up"}
        ).status_code
        == 404
    )
    assert not db.session.scalars(sa.select(DataRequest)).all()
    assert _person(pw).phone == PHONE


def test_recording_a_request_and_marking_it_done(pw, as_user):
    client = as_user(pw.coordinator_a)
    form = {"kind": "erasure", "purpose": "", "received_at": "2026-11-20T09:00", "note": "Gọi điện"}
    response = client.post(_page(pw, suffix="/requests"), data=form)
    assert response.status_code == 303
    request = db.session.scalars(sa.select(DataRequest)).one()
    assert request.due_on.isoformat() == "2026-11-25" and request.received_at.hour == 2
    listing = client.get("/privacy/").get_data(as_text=True)
    assert "Erase their data" in listing and "25/11/2026" in listing and "Late" in listing
    assert "Erase their data" not in as_user(pw.coordinator_b).get("/privacy/").get_data(
        as_text=True
    )
    done = client.post(_page(pw, suffix="/requests/done"), data={"request_id": str(request.id)})
    assert done.status_code == 303
    db.session.expire_all()
    assert request.done_by_id == pw.coordinator_a.id
    assert (
        client.post(_page(pw, suffix="/requests/done"), data={"request_id": "x"}).status_code == 404
    )


def test_bad_request_form_is_shown_again_with_what_was_typed(pw, as_user):
    client = as_user(pw.coordinator_a)
    form = {"kind": "withdraw_consent", "purpose": "", "received_at": "2026-11-20T09:00",
            "note": "Ghi chú ở Văn Yên"}  # fmt: skip
    response = client.post(_page(pw, suffix="/requests"), data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Say which consent the person withdraws." in html and "Ghi chú ở Văn Yên" in html
    missing = client.post(_page(pw, suffix="/requests"), data={"kind": "access", "received_at": ""})
    assert missing.status_code == 400
    assert "Enter the date and time the request arrived." in missing.get_data(as_text=True)
    assert not db.session.scalars(sa.select(DataRequest)).all()


def test_withdrawing_a_consent_through_the_page(pw, as_user):
    client = as_user(pw.coordinator_a)
    response = client.post(
        _page(pw, suffix="/consents/withdraw"), data={"withdraw-purpose": "follow_up"}
    )
    assert response.status_code == 303
    assert _person(pw).phone is None
    again = client.post(
        _page(pw, suffix="/consents/withdraw"), data={"withdraw-purpose": "follow_up"}
    )
    assert again.status_code == 400
    assert "withdrew it already" in again.get_data(as_text=True)
    bad = client.post(
        _page(pw, suffix="/consents/withdraw"), data={"withdraw-purpose": "evaluation"}
    )
    assert bad.status_code == 400


def test_only_admins_export_and_erase(pw, as_user):
    client = as_user(pw.coordinator_a)
    assert client.get(_page(pw, suffix="/export.json")).status_code == 403
    assert client.get(_page(pw, suffix="/export.csv")).status_code == 403
    assert client.post(_page(pw, suffix="/erase"), data={"confirm": "y"}).status_code == 403
    assert _person(pw).full_name == NAME
    assert not _audit("participant.exported")


def test_admin_exports_everything_as_json_and_it_is_audited(pw, as_user):
    response = as_user(pw.admin).get(_page(pw, suffix="/export.json"))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["full_name"] == NAME and data["profile"]["phone"] == PHONE
    assert data["profile"]["commune"] == "Xã Mù Cang Chải"
    assert {c["purpose"] for c in data["consents"]} == {"evaluation", "follow_up"}
    assert data["consents"][0]["text_version"] == "2026-01"
    assert data["enrolments"][0]["access_code"] == pw.class_a.access_code
    pre = next(r for r in data["responses"] if r["moment"] == "pre")
    assert {a["item"] for a in pre["answers"]} == {"q1", "q2", "q3", "essay"}
    assert (
        next(a for a in pre["answers"] if a["item"] == "q1")["question"] == "Câu 1 ở Mù Cang Chải"
    )
    assert data["certificates"][0]["holder_name"] == NAME
    entry = _audit("participant.exported")[0]
    assert entry.actor_id == pw.admin.id and entry.detail["format"] == "json"


def test_admin_exports_a_csv_safe_for_spreadsheets(pw, as_user):
    response = as_user(pw.admin).get(_page(pw, suffix="/export.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["section", "record", "field", "value"]
    assert ["profile", "1", "full_name", NAME] in rows
    essay = next(r for r in rows if r[2] == "answer:essay")
    assert essay[3].startswith("'=HYPERLINK")
    assert {r[0] for r in rows[1:]} >= {"profile", "consents", "enrolments", "responses"}
    assert _audit("participant.exported")[0].detail["format"] == "csv"


def test_erasure_needs_confirmation_then_the_verify_page_says_erased(pw, as_user, client):
    admin = as_user(pw.admin)
    refused = admin.post(_page(pw, suffix="/erase"), data={})
    assert refused.status_code == 400
    assert "Tick the box to confirm the erasure." in refused.get_data(as_text=True)
    assert _person(pw).full_name == NAME
    done = admin.post(_page(pw, suffix="/erase"), data={"confirm": "y"})
    assert done.status_code == 303
    person = _person(pw)
    assert person.full_name == "" and person.phone is None and person.erased_at is not None
    page = admin.get(_page(pw)).get_data(as_text=True)
    assert "data was erased on" in page and NAME not in page
    verify = client.get(f"/verify/{pw.certificate.code}").get_data(as_text=True)
    assert "erased at their request" in verify and NAME not in verify
    again = admin.post(_page(pw, suffix="/erase"), data={"confirm": "y"})
    assert again.status_code == 400


def test_request_form_starts_at_the_time_in_vietnam_and_takes_seconds(pw, as_user):
    client = as_user(pw.coordinator_a)
    html = client.get(_page(pw)).get_data(as_text=True)
    assert 'type="datetime-local"' in html and 'name="received_at"' in html
    form = {"kind": "access", "purpose": "", "received_at": "2026-11-20T23:30:15"}
    assert client.post(_page(pw, suffix="/requests"), data=form).status_code == 303
    request = db.session.scalars(sa.select(DataRequest)).one()
    assert (request.received_at.hour, request.received_at.minute) == (16, 30)  # UTC
    assert request.due_on.isoformat() == "2026-11-25"
