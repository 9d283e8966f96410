"""Flags computed when a trainee's form is stored, through the public journey."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.participants.models import Participant
from surveyapp.responses.models import Response
from tests.journey.helpers import form_data, identity
from tests.quality.helpers import likert_block_form


def start(client, w, **overrides):
    data = identity(commune=str(w.mau_a.id), **overrides)
    response = client.post(f"/c/{w.cls.access_code}/identify", data=data)
    assert response.status_code == 302, response.text
    return response


def send(client, w, form, answers, *, minutes=None):
    """Open ``form`` and send ``answers`` on its one page; ``minutes`` taken (None: at once)."""
    url = f"/c/{w.cls.access_code}/form/{form.id}"
    page = client.get(url)
    assert page.status_code == 200, page.text
    data = form_data(page.text, answers)
    if minutes is not None:
        started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=minutes)
        data["started_at"] = [started.isoformat()]
    done = client.post(url, data=data)
    assert done.status_code == 303, done.text
    return data, done


def stored(version):
    db.session.expire_all()  # the requests wrote through their own sessions
    return db.session.scalars(
        sa.select(Response).where(Response.version_id == version.id).order_by(Response.id)
    ).all()


PRE = {"se_confident": "2", "ai_frequency": "weekly", "hours": "3"}


def test_a_too_fast_submission_is_flagged(world, as_user):
    client = as_user(None)
    start(client, world)
    send(client, world, world.forms["pre"], PRE)  # three answers in about no time
    (response,) = stored(world.v.pre)
    assert response.flags == ["too_fast"]
    assert response.reviewed_at is None and not response.excluded


def test_a_normal_submission_is_not_flagged(world, as_user):
    client = as_user(None)
    start(client, world)
    send(client, world, world.forms["pre"], PRE, minutes=4)
    (response,) = stored(world.v.pre)
    assert response.flags == []
    assert response.duration_seconds >= 4 * 60


def test_a_retried_submission_is_stored_once_with_its_flags(world, as_user):
    client = as_user(None)
    start(client, world)
    data, first = send(client, world, world.forms["pre"], PRE)
    again = client.post(f"/c/{world.cls.access_code}/form/{world.forms['pre'].id}", data=data)
    assert again.status_code == 303 and again.location == first.location
    (response,) = stored(world.v.pre)
    assert response.flags == ["too_fast"]


def test_the_same_point_down_a_likert_block_is_flagged_on_raw_points(world, as_user):
    form = likert_block_form(world)  # six statements, the last reverse-coded
    client = as_user(None)
    start(client, world)
    send(client, world, form, {f"s{i}": "4" for i in range(1, 7)}, minutes=5)
    (response,) = stored(form.version)
    assert response.flags == ["straight_lining"]


def test_varied_likert_answers_are_not_flagged(world, as_user):
    form = likert_block_form(world)
    client = as_user(None)
    start(client, world)
    answers = {f"s{i}": "4" for i in range(1, 6)} | {"s6": "2", "comment": "Rất hay"}
    send(client, world, form, answers, minutes=5)
    (response,) = stored(form.version)
    assert response.flags == []


def test_fewer_than_five_answered_statements_are_not_judged(world, as_user):
    form = likert_block_form(world)
    client = as_user(None)
    start(client, world)
    send(client, world, form, {f"s{i}": "3" for i in range(1, 5)}, minutes=5)
    (response,) = stored(form.version)
    assert response.flags == []


def test_a_person_identified_twice_with_two_phones_is_a_probable_duplicate(world, as_user):
    first = as_user(None)
    start(first, world, consent_follow_up="yes", phone="0912 345 678")
    send(first, world, world.forms["pre"], PRE, minutes=5)
    (alone,) = stored(world.v.pre)
    assert alone.flags == []

    second = as_user(None)
    start(second, world, full_name="nguyen thi  lan", consent_follow_up="yes", phone="0987654321")
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 2
    send(second, world, world.forms["pre"], PRE, minutes=5)
    responses = stored(world.v.pre)
    assert [r.flags for r in responses] == [["probable_duplicate"], ["probable_duplicate"]]


def test_a_duplicate_identified_later_flags_the_response_already_sent(world, as_user):
    """The group forms when the second identification arrives: the first person's response
    is flagged then, before (and whether or not) the second one sends anything."""
    first = as_user(None)
    start(first, world, consent_follow_up="yes", phone="0912 345 678")
    send(first, world, world.forms["pre"], PRE, minutes=5)
    second = as_user(None)
    start(second, world, full_name="nguyen thi  lan", consent_follow_up="yes", phone="0987654321")
    assert [r.flags for r in stored(world.v.pre)] == [["probable_duplicate"]]


def test_a_submission_does_not_flag_a_group_it_is_not_in(world, as_user):
    """An unrelated trainee's submission leaves the others' responses as they are."""
    first = as_user(None)
    start(first, world, consent_follow_up="yes", phone="0912 345 678")
    send(first, world, world.forms["pre"], PRE, minutes=5)
    other = as_user(None)
    start(other, world, full_name="Trần Văn Minh", consent_follow_up="yes", phone="0977111222")
    send(other, world, world.forms["pre"], PRE, minutes=5)
    assert [r.flags for r in stored(world.v.pre)] == [[], []]


def test_namesakes_of_another_birth_year_are_not_duplicates(world, as_user):
    first = as_user(None)
    start(first, world, consent_follow_up="yes", phone="0912 345 678")
    send(first, world, world.forms["pre"], PRE, minutes=5)
    second = as_user(None)
    start(second, world, birth_year="1990", consent_follow_up="yes", phone="0987654321")
    send(second, world, world.forms["pre"], PRE, minutes=5)
    assert [r.flags for r in stored(world.v.pre)] == [[], []]
