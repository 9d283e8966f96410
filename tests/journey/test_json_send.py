"""The JSON answer to a form's final post (the page script's background send, possibly a
retry from the device's queue): same checks as the HTML path, stored once, clear statuses."""

import re

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.journey.api import PERSON_HEADER, person_marker
from surveyapp.participants.models import Participant
from surveyapp.responses.models import Response
from tests.journey.helpers import form_data, identity

JSON = {"Accept": "application/json"}


@pytest.fixture
def trainee(world, as_user):
    client = as_user(None)
    data = identity(commune=str(world.mau_a.id))
    assert client.post(f"/c/{world.cls.access_code}/identify", data=data).status_code == 302
    return client


def url_of(w, name):
    return f"/c/{w.cls.access_code}/form/{w.forms[name].id}"


def count_responses():
    return db.session.scalar(sa.select(sa.func.count(Response.id)))


def marker_of(name="Nguyễn Thị Lan"):
    person = db.session.scalar(sa.select(Participant).where(Participant.full_name == name))
    return person_marker(person.id)


def test_a_complete_form_is_stored_once_and_answered_with_its_receipt(world, trainee):
    url = url_of(world, "pre")
    data = form_data(trainee.get(url).text, {"se_confident": "4", "ai_frequency": "never"})
    headers = {**JSON, PERSON_HEADER: marker_of()}
    answers = [trainee.post(url, data=data, headers=headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].headers["Cache-Control"] == "no-store"
    response = db.session.scalar(sa.select(Response))
    assert count_responses() == 1 and response.submission_id == data["submission_id"][0]
    for answer in answers:
        assert answer.json == {
            "status": "stored",
            "receipt": response.receipt_code,
            "url": f"/c/{world.cls.access_code}/receipt/{response.receipt_code}",
        }
    assert trainee.get(answers[0].json["url"]).status_code == 200


def test_invalid_answers_come_back_as_field_errors(world, trainee):
    url = url_of(world, "pre")
    data = form_data(trainee.get(url).text, {"ai_frequency": "sometimes"})
    answer = trainee.post(url, data=data, headers=JSON)
    assert answer.status_code == 400
    body = answer.json
    assert body["status"] == "invalid" and body["page"] == 1 and body["problem"] is False
    assert set(body["errors"]) == {"se_confident", "ai_frequency"}
    assert body["message"] == "Please check the answers marked below."
    assert count_responses() == 0


def test_a_damaged_envelope_is_a_problem_not_a_field_error(world, trainee):
    url = url_of(world, "pre")
    data = form_data(trainee.get(url).text, {"se_confident": "4", "ai_frequency": "never"})
    data["submission_id"] = ["not-a-uuid"]
    answer = trainee.post(url, data=data, headers=JSON)
    assert answer.status_code == 400 and answer.json["problem"] is True
    assert "changed or damaged" in answer.json["message"]
    assert count_responses() == 0


def test_a_form_with_another_page_to_show_says_continue(world, trainee):
    url = url_of(world, "skill")
    data = form_data(trainee.get(url).text, {"q1": "c", "q2": "no"})
    answer = trainee.post(url, data=data, headers=JSON)
    assert answer.status_code == 200
    assert answer.json == {"status": "continue", "page": 2}
    assert count_responses() == 0


def test_a_closed_form_is_a_409(world, trainee):
    url = url_of(world, "pre")
    data = form_data(trainee.get(url).text, {"se_confident": "4", "ai_frequency": "never"})
    world.forms["pre"].is_open = False
    db.session.flush()
    answer = trainee.post(url, data=data, headers=JSON)
    assert answer.status_code == 409
    assert answer.json == {"status": "closed", "message": "This form is closed"}


def test_answers_queued_by_one_person_are_never_stored_for_the_next(world, trainee):
    url = url_of(world, "pre")
    data = form_data(trainee.get(url).text, {"se_confident": "4", "ai_frequency": "never"})
    queued_by = marker_of()
    # On the shared phone: "I am a different person", and someone else identifies.
    trainee.post(f"/c/{world.cls.access_code}/forget")
    other = identity(commune=str(world.mau_a.id), full_name="Lò Văn Páo", birth_year="1990")
    trainee.post(f"/c/{world.cls.access_code}/identify", data=other)
    answer = trainee.post(url, data=data, headers={**JSON, PERSON_HEADER: queued_by})
    assert answer.status_code == 409 and answer.json == {"status": "other_person"}
    assert count_responses() == 0
    # Nobody identified on the device: the usual redirect, which the script leaves queued.
    trainee.post(f"/c/{world.cls.access_code}/forget")
    answer = trainee.post(url, data=data, headers={**JSON, PERSON_HEADER: queued_by})
    assert answer.status_code == 303 and "/identify" in answer.location
    assert count_responses() == 0


def test_a_submission_id_of_another_person_is_a_conflict(world, trainee, as_user):
    url = url_of(world, "pre")
    data = form_data(trainee.get(url).text, {"se_confident": "4", "ai_frequency": "never"})
    assert trainee.post(url, data=data, headers=JSON).status_code == 200
    other = as_user(None)
    details = identity(commune=str(world.mau_a.id), full_name="Lò Văn Páo", birth_year="1990")
    other.post(f"/c/{world.cls.access_code}/identify", data=details)
    answer = other.post(url, data=data, headers=JSON)
    assert answer.status_code == 409 and answer.json["status"] == "conflict"
    assert "another device" in answer.json["message"]
    assert count_responses() == 1


def test_the_html_path_is_unchanged_for_browsers(world, trainee):
    url = url_of(world, "pre")
    data = form_data(trainee.get(url).text, {"se_confident": "4", "ai_frequency": "never"})
    headers = {"Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"}
    done = trainee.post(url, data=data, headers=headers)
    assert done.status_code == 303 and "/receipt/" in done.location


def test_the_form_page_carries_an_opaque_person_marker(world, trainee, as_user):
    page = trainee.get(url_of(world, "skill")).text
    person = db.session.scalar(sa.select(Participant))
    scope = re.search(r'data-journey="([^"]+)"', page).group(1)
    class_id, form_id, marker = scope.split(".")
    assert (int(class_id), int(form_id)) == (world.cls.id, world.forms["skill"].id)
    assert marker == person_marker(person.id) and str(person.id) != marker
    assert re.search(r'data-page="1" data-first(?! data-last)', page)
    assert 'role="status"' in page and 'data-queued="No connection.' in page
    assert '<script src="/static/journey.js" defer></script>' in page
    other = as_user(None)
    details = identity(commune=str(world.mau_a.id), full_name="Lò Văn Páo", birth_year="1990")
    other.post(f"/c/{world.cls.access_code}/identify", data=details)
    other_scope = re.search(r'data-journey="([^"]+)"', other.get(url_of(world, "skill")).text)
    assert other_scope.group(1) != scope


def test_follow_up_and_assisted_forms_answer_json_too(world, trainee, as_user):
    person = db.session.scalar(sa.select(Participant))
    token = person.follow_up_token
    url = f"/f/{token}/form/{world.forms['follow'].id}"
    data = form_data(as_user(None).get(f"/f/{token}").text, {"ai_frequency": "daily"})
    answer = as_user(None).post(url, data=data, headers=JSON)
    assert answer.status_code == 200 and answer.json["url"].startswith(f"/f/{token}/receipt/")

    trainer = as_user(world.trainer)
    url = f"/classes/{world.cls.id}/assisted/{person.id}/form/{world.forms['pre'].id}"
    data = form_data(trainer.get(url).text, {"se_confident": "3", "ai_frequency": "never"})
    answer = trainer.post(url, data=data, headers={**JSON, PERSON_HEADER: marker_of()})
    assert answer.status_code == 200 and answer.json["status"] == "stored"
    stored = db.session.scalar(
        sa.select(Response).where(Response.receipt_code == answer.json["receipt"])
    )
    assert stored.assisted_by_id == world.trainer.id
