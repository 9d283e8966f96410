"""Storing submissions once, with score, numbers and a receipt code."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.participants import services as participants
from surveyapp.responses import services
from surveyapp.responses.models import Answer, Response

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def person(w, name="Nguyễn Thị Lan"):
    fields = participants.IdentityFields(
        full_name=name, birth_year=1985, gender="female", segment="official", locality=w.mau_a
    )
    return participants.identify(w.cls, fields, evaluation_consent=True, secret="s", now=NOW)


def store(w, who, form="skill", answers=None, sid=None, **kw):
    return services.store_submission(
        w.forms[form],
        who,
        answers if answers is not None else {"q1": "c", "q2": "yes", "q3": ["a", "b", "c"]},
        submission_id=sid or str(uuid.uuid4()),
        started_at=NOW - timedelta(minutes=7),
        now=NOW,
        **kw,
    )


def test_a_submission_is_stored_with_score_numbers_and_receipt(world):
    who = person(world)
    stored = store(world, who)
    response = stored.response
    assert stored.created
    assert response.score == Decimal("2.00")  # q1 1 + q2 0 + q3 (2 right - 1 wrong)/2 * 2 = 1
    assert response.max_score == Decimal("4.00")
    assert response.duration_seconds == 7 * 60
    assert response.locality_id == world.mau_a.id and response.class_id == world.cls.id
    assert len(response.receipt_code) == services.RECEIPT_LENGTH
    assert set(response.receipt_code) <= set(services.RECEIPT_ALPHABET)
    answers = {a.item.key: a for a in db.session.scalars(sa.select(Answer))}
    assert answers["q2"].value == "yes" and answers["q2"].number == 1
    assert answers["q2"].points == 0 and answers["q1"].points == 1
    assert answers["q3"].value == ["a", "b", "c"] and answers["q3"].points == Decimal("1.00")
    assert world.v.skill.frozen_at is not None


def test_the_same_submission_id_is_stored_once(world):
    who = person(world)
    sid = str(uuid.uuid4())
    first = store(world, who, sid=sid)
    again = store(world, who, sid=sid, answers={"q1": "a", "q2": "no", "q3": ["d"]})
    assert not again.created and again.response.id == first.response.id
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1


def test_a_second_sending_of_the_same_form_returns_the_first_receipt(world):
    who = person(world)
    first = store(world, who)
    second = store(world, who)
    assert not second.created and second.response.receipt_code == first.response.receipt_code


def test_a_submission_id_of_another_person_is_a_conflict(world):
    sid = str(uuid.uuid4())
    store(world, person(world), sid=sid)
    with pytest.raises(services.Conflict):
        store(world, person(world, "Trần Văn Minh"), sid=sid)


def test_unscored_forms_have_no_score_and_likert_numbers(world):
    who = person(world)
    response = store(world, who, form="post", answers={"se_confident": "4", "comment": "Tốt"})
    assert response.response.score is None and response.response.max_score is None
    numbers = {a.item.key: a.number for a in response.response.answers}
    assert numbers == {"se_confident": 4, "comment": None}


def test_assisted_submission_records_the_trainer(world):
    response = store(world, person(world), assisted_by=world.trainer).response
    assert response.assisted_by_id == world.trainer.id


def test_jsonable():
    from datetime import date

    assert services.jsonable(Decimal("2")) == 2
    assert services.jsonable(Decimal("2.5")) == 2.5
    assert services.jsonable(date(2026, 3, 1)) == "2026-03-01"
    assert services.jsonable(["a", Decimal("1")]) == ["a", 1]


def test_two_arrivals_at_the_same_moment_store_one_response(world, monkeypatch):
    """Nothing is read before the insert: the second arrival's insert meets the unique
    constraint, inserts nothing, and only then finds the first response."""
    who = person(world)
    sid = str(uuid.uuid4())
    first = store(world, who, sid=sid)
    real = services._already
    calls = []

    def spied(*args):
        calls.append(args[0])
        return real(*args)

    monkeypatch.setattr(services, "_already", spied)
    again = store(world, who, sid=sid)
    assert calls == [sid]  # looked up once, after the insert found the key taken
    assert not again.created and again.response.id == first.response.id
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1


def test_a_taken_receipt_code_is_drawn_again(world, monkeypatch):
    first = store(world, person(world)).response
    codes = iter([first.receipt_code, "NEWCODE"])
    monkeypatch.setattr(services, "new_receipt_code", lambda: next(codes))
    second = store(world, person(world, "Trần Văn Minh")).response
    assert second.receipt_code == "NEWCODE"
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 2


def test_the_skill_test_before_and_after_the_class_are_two_scored_responses(world):
    who = person(world)
    before = store(world, who, answers={"q1": "a", "q2": "yes", "q3": ["b"]}).response
    after = store(world, who, form="skill_post").response
    assert before.id != after.id and before.receipt_code != after.receipt_code
    rows = db.session.execute(
        sa.select(Response.moment, Response.class_form_id, Response.version_id, Response.score)
        .where(Response.participant_id == who.id)
        .order_by(Response.moment)
    ).all()
    assert rows == [
        ("post", world.forms["skill_post"].id, world.v.skill.id, Decimal("2.00")),
        ("pre", world.forms["skill"].id, world.v.skill.id, Decimal("0.00")),
    ]
    assert before.max_score == after.max_score == Decimal("4.00")


def test_one_response_per_person_and_class_form(world):
    who = person(world)
    first = store(world, who, form="skill_post")
    again = store(world, who, form="skill_post", answers={"q1": "a", "q2": "no", "q3": ["d"]})
    assert not again.created and again.response.id == first.response.id
    assert store(world, who).created  # the test before the class is another class form
    assert store(world, person(world, "Trần Văn Minh"), form="skill_post").created
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 3


def test_a_submission_id_of_the_other_moment_is_a_conflict(world):
    who = person(world)
    sid = str(uuid.uuid4())
    store(world, who, sid=sid)
    with pytest.raises(services.Conflict):
        store(world, who, form="skill_post", sid=sid)


def test_two_sendings_of_one_form_at_once_store_one_response(world, monkeypatch):
    """Two submission ids for the same class form race: the unique constraint keeps one."""
    who = person(world)
    first = store(world, who, form="skill_post")
    real = services.previous_response
    calls = []

    def blind_once(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(services, "previous_response", blind_once)
    again = store(world, who, form="skill_post")
    assert not again.created and again.response.id == first.response.id
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1
