"""Every way a trainee's post can be wrong: the server checks all, keeps what was typed,
and answers 400 (or 404/409), never 500; retries of one submission are stored once."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.participants.models import Consent, Enrolment, Participant
from surveyapp.responses.models import Response
from tests.journey.helpers import form_data, identity


@pytest.fixture
def trainee(world, as_user):
    client = as_user(None)
    data = identity(commune=str(world.mau_a.id))
    assert client.post(f"/c/{world.cls.access_code}/identify", data=data).status_code == 302
    return client


def url_of(w, name):
    return f"/c/{w.cls.access_code}/form/{w.forms[name].id}"


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# ---------------------------------------------------------------- idempotent submission


def test_the_same_submission_posted_three_times_is_stored_once(world, trainee):
    url = url_of(world, "pre")
    data = form_data(
        trainee.get(url).text, {"se_confident": "4", "ai_frequency": "daily", "hours": "3"}
    )
    locations = [trainee.post(url, data=data) for _ in range(3)]
    assert [r.status_code for r in locations] == [303, 303, 303]
    assert len({r.location for r in locations}) == 1
    assert count(Response) == 1
    response = db.session.scalar(sa.select(Response))
    assert response.receipt_code in locations[0].location
    assert response.submission_id == data["submission_id"][0]


def test_a_retry_after_the_form_closed_still_gets_its_receipt(world, trainee):
    url = url_of(world, "pre")
    data = form_data(trainee.get(url).text, {"se_confident": "4", "ai_frequency": "never"})
    first = trainee.post(url, data=data)
    world.forms["pre"].is_open = False
    db.session.flush()
    again = trainee.post(url, data=data)
    assert again.status_code == 303 and again.location == first.location


def test_a_second_sending_with_a_new_id_returns_the_first_receipt(world, trainee):
    url = url_of(world, "pre")
    answers = {"se_confident": "4", "ai_frequency": "never"}
    page = trainee.get(url).text
    first = trainee.post(url, data=form_data(page, answers))
    assert "already sent" in trainee.get(url).text
    data = form_data(page, answers)
    data["submission_id"] = ["4f0f6a4e-8f1e-4b7a-9a51-1c1c8d0f2b11"]
    second = trainee.post(url, data=data)
    assert second.location == first.location and count(Response) == 1


# ---------------------------------------------------------------- tampered hidden fields


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("submission_id", "not-a-uuid", "changed or damaged"),
        ("submission_id", "00000000-0000-1000-8000-000000000000", "changed or damaged"),  # UUID1
        ("started_at", "yesterday", "changed or damaged"),
        ("started_at", "2026-03-01T08:00:00", "changed or damaged"),  # no time zone
        ("started_at", "future", "changed or damaged"),
        ("started_at", "old", "more than two days ago"),
        ("page", "7", "changed or damaged"),
        ("page", "x", "changed or damaged"),
    ],
)
def test_tampered_envelope_comes_back_with_answers_kept(world, trainee, field, value, message):
    url = url_of(world, "pre")
    now = datetime.now(UTC)
    value = {
        "future": (now + timedelta(hours=1)).isoformat(),
        "old": (now - timedelta(days=3)).isoformat(),
    }.get(value, value)
    data = form_data(
        trainee.get(url).text, {"se_confident": "4", "ai_frequency": "weekly", "hours": "6"}
    )
    data[field] = [value]
    response = trainee.post(url, data=data)
    assert response.status_code == 400
    assert message in response.text
    assert re.search(r'value="weekly"\s*checked', response.text)
    assert 'value="6"' in response.text
    fresh = dict(re.findall(r'name="(submission_id|started_at)" value="([^"]*)"', response.text))
    assert fresh["submission_id"] != "not-a-uuid"
    assert count(Response) == 0
    # Sending the form as it came back works.
    again = trainee.post(
        url,
        data=form_data(
            response.text, {"se_confident": "4", "ai_frequency": "weekly", "hours": "6"}
        ),
    )
    assert again.status_code == 303 and count(Response) == 1


# ---------------------------------------------------------------- answers


@pytest.mark.parametrize(
    ("answers", "bad", "message"),
    [
        ({"se_confident": "4", "ai_frequency": "sometimes"}, "ai_frequency", ""),
        ({"se_confident": "9", "ai_frequency": "never"}, "se_confident", ""),
        ({"se_confident": "4", "ai_frequency": "daily", "hours": "500"}, "hours", "from 0 to 168"),
        ({"se_confident": "4", "ai_frequency": "daily", "hours": "năm"}, "hours", "whole number"),
        (
            {"se_confident": "4", "ai_frequency": "never", "note_text": "x" * 21},
            "note_text",
            "at most 20",
        ),
        ({"ai_frequency": "never"}, "se_confident", "Please answer this question."),
        ({"se_confident": ["4", "5"], "ai_frequency": "never"}, "se_confident", "only one"),
    ],
)
def test_invalid_answers_come_back_with_the_message_next_to_the_field(
    world, trainee, answers, bad, message
):
    url = url_of(world, "pre")
    response = trainee.post(url, data=form_data(trainee.get(url).text, answers))
    assert response.status_code == 400
    assert f'id="item-{bad}-error"' in response.text
    assert message in response.text
    if answers.get("ai_frequency") in ("never", "daily") and bad != "ai_frequency":
        assert re.search(r'value="{}"\s*checked'.format(answers["ai_frequency"]), response.text)
    assert count(Response) == 0


def test_an_answer_tampered_in_a_hidden_field_is_caught_at_the_end(world, trainee):
    url = url_of(world, "skill")
    page2 = trainee.post(url, data=form_data(trainee.get(url).text, {"q1": "c", "q2": "no"}))
    data = form_data(page2.text, {"q3": ["a", "c"]})
    data["q1"] = ["z"]  # the hidden answer of page 1
    response = trainee.post(url, data=data)
    assert response.status_code == 400
    assert "Page 1 of 2" in response.text and 'id="item-q1-error"' in response.text
    data["q3"] = ["a", "zz"]
    data["q1"] = ["c"]
    response = trainee.post(url, data=data)
    assert response.status_code == 400 and 'id="item-q3-error"' in response.text
    assert count(Response) == 0


# ---------------------------------------------------------------- forms and codes


def test_a_closed_form_cannot_be_opened_or_sent(world, trainee):
    url = url_of(world, "skill")
    page = trainee.get(url).text
    world.forms["skill"].is_open = False
    db.session.flush()
    assert trainee.get(url).status_code == 409
    response = trainee.post(url, data=form_data(page, {"q1": "c", "q2": "no"}))
    assert response.status_code == 409 and "closed" in response.text
    assert count(Response) == 0


def test_wrong_codes_and_foreign_forms_are_404(world, trainee, as_user):
    code = world.cls.access_code
    for url in [
        "/c/ZZZZZZ",
        "/c/ZZZZZZ/identify",
        f"/c/ZZZZZZ/form/{world.forms['pre'].id}",
        "/c/ZZZZZZ/receipt/ABCDEFG",
        "/f/ZZZZZZZZZZ",
    ]:
        response = as_user(None).get(url)
        assert response.status_code == 404, url
    other = world.cls_mcc.access_code
    assert trainee.get(f"/c/{other}/form/{world.forms['pre'].id}").status_code == 404
    assert trainee.get(f"/c/{code}/form/999999").status_code == 404
    assert trainee.get(f"/c/{code}/receipt/ABCDEFG").status_code == 404
    response = as_user(None).get("/c/ZZZZZZ")
    assert "We could not find this class" in response.text


# ---------------------------------------------------------------- identification


def test_bad_or_missing_consent_is_refused(world, as_user):
    url = f"/c/{world.cls.access_code}/identify"
    for changes in (
        {"consent_evaluation": ""},
        {"consent_evaluation": "maybe"},
        {"consent_follow_up": ""},
        {"consent_follow_up": "perhaps"},
    ):
        response = as_user(None).post(url, data=identity(commune=str(world.mau_a.id), **changes))
        assert response.status_code == 400, changes
        assert 'value="Nguyễn Thị Lan"' in response.text
    assert count(Participant) == 0


def test_refusing_the_evaluation_ends_politely_with_nothing_stored(world, as_user):
    client = as_user(None)
    url = f"/c/{world.cls.access_code}/identify"
    response = client.post(url, data=identity(consent_evaluation="no", full_name=""))
    assert response.status_code == 200
    assert "Nothing about you has been stored" in response.text
    assert count(Participant) == 0 and count(Consent) == 0 and count(Enrolment) == 0
    with client.session_transaction() as session:
        assert not session.get("who")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"full_name": ""}, "full_name"),
        ({"birth_year": "1800"}, "birth_year"),
        ({"birth_year": "năm"}, "birth_year"),
        ({"gender": "x"}, "gender"),
        ({"segment": "x"}, "segment"),
        ({"commune": "khao"}, "commune"),
        ({"phone": "0912345678"}, "phone"),
        ({"consent_follow_up": "yes", "phone": "12"}, "phone"),
        ({"consent_follow_up": "yes"}, "phone"),
    ],
)
def test_identification_errors_are_shown_next_to_the_field(world, as_user, changes, field):
    changes.setdefault("commune", str(world.mau_a.id))
    response = as_user(None).post(f"/c/{world.cls.access_code}/identify", data=identity(**changes))
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    assert "UBND xã Mậu A" in response.text  # what was typed is kept
    assert count(Participant) == 0


def test_a_commune_of_another_district_is_refused(world, as_user):
    data = identity(commune=str(world.khao_mang.id))
    response = as_user(None).post(f"/c/{world.cls.access_code}/identify", data=data)
    assert response.status_code == 400 and 'id="commune-error"' in response.text


def test_another_place_is_allowed(world, as_user):
    data = identity(commune="other")
    assert as_user(None).post(f"/c/{world.cls.access_code}/identify", data=data).status_code == 302
    assert db.session.scalar(sa.select(Participant.locality_id)) is None


def test_identification_can_lead_straight_to_a_form(world, as_user):
    client = as_user(None)
    form_id = world.forms["skill"].id
    response = client.get(f"/c/{world.cls.access_code}/form/{form_id}")
    assert response.status_code == 303
    target = response.location
    assert target.endswith(f"/identify?form={form_id}")
    response = client.post(target, data=identity(commune=str(world.mau_a.id)))
    assert response.status_code == 302 and response.location.endswith(f"/form/{form_id}")
