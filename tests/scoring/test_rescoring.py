"""Correcting an answer key: validation, rescoring of the whole version, audit, the form."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument
from surveyapp.responses.models import Answer, Response
from surveyapp.scoring import marking, rescoring

from .helpers import answer, person, world

FULL = {"q1": "a", "q2": "no", "q3": ["a", "c"], "essay": "Bài viết"}


@pytest.fixture
def w(f):
    w = world(f)
    w.version.instrument.locality_id = w.province.id
    w.version.frozen_at = w.version.created_at
    db.session.flush()
    return w


def _item(w, key):
    return next(i for i in w.version.items if i.key == key)


def _snapshot():
    responses = db.session.execute(
        sa.select(
            Response.id,
            Response.score,
            Response.max_score,
            Response.excluded,
            Response.submitted_at,
            Response.moment,
        ).order_by(Response.id)
    ).all()
    answers = db.session.execute(
        sa.select(Answer.id, Answer.item_id, Answer.value, Answer.number, Answer.points).order_by(
            Answer.id
        )
    ).all()
    return {r[0]: tuple(r[1:]) for r in responses}, {a[0]: tuple(a[1:]) for a in answers}


def test_key_change_rescores_every_response_and_nothing_else(w, f):
    admin = f.user(role="admin")
    right = answer(w.class_a, w.version, person(w.class_a), "post", FULL)
    says_b = answer(w.class_b, w.version, person(w.class_b), "pre", {**FULL, "q1": "b"})
    skipped = answer(w.class_a, w.version, person(w.class_a), "pre", {"q2": "yes"}, excluded=True)
    marking.mark_answer(marking.find_answer(right.id, "essay"), "2", admin)
    before_responses, before_answers = _snapshot()

    done = rescoring.change_answer_key(_item(w, "q1"), "b", admin)

    assert (done.responses, done.changed, done.old_key, done.new_key) == (3, 2, "a", "b")
    after_responses, after_answers = _snapshot()
    assert after_responses[right.id][:2] == (Decimal("5.00"), Decimal("7.00"))  # was 6 of 7
    assert after_responses[says_b.id][:2] == (Decimal("4.00"), Decimal("4.00"))  # was 3 of 4
    assert after_responses[skipped.id] == before_responses[skipped.id]  # 0 of 4 either way
    q1 = _item(w, "q1").id
    for answer_id, row in after_answers.items():
        old = before_answers[answer_id]
        if row[0] == q1:
            assert row[:3] == old[:3] and row[3] != old[3]
        else:
            assert row == old  # values, numbers and the hand mark are untouched
    for response_id, row in after_responses.items():
        assert row[2:] == before_responses[response_id][2:]
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "item.answer_key_changed")
    )
    assert entry.object_id == q1 and entry.actor_id == admin.id
    assert entry.locality_id == w.province.id
    assert entry.detail == {
        "version_id": w.version.id,
        "item_key": "q1",
        "old_key": "a",
        "new_key": "b",
        "responses": 3,
        "responses_changed": 2,
    }


def test_an_open_question_given_a_key_is_scored_automatically(w, f):
    item = _item(w, "q1")
    item.answer_key = None
    db.session.flush()
    response = answer(w.class_a, w.version, person(w.class_a), "post", FULL)
    assert response.score == Decimal("3.00") and response.max_score == Decimal("3.00")
    done = rescoring.change_answer_key(item, "a", f.user(role="admin"))
    assert done.changed == 1
    assert (response.score, response.max_score) == (Decimal("4.00"), Decimal("4.00"))
    assert marking.find_answer(response.id, "q1").points == Decimal("1.00")


@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [
        ("q3", ["c", "b"], ["b", "c"]),
        ("q2", "yes", "yes"),
        ("q1", " c ", "c"),
    ],
)
def test_keys_are_stored_as_the_type_needs(w, f, key, typed, stored):
    rescoring.change_answer_key(_item(w, key), typed, f.user(role="admin"))
    assert _item(w, key).answer_key == stored


def test_a_number_key(f):
    from .helpers import skill_test

    version = skill_test(
        items=[
            {
                "key": "n",
                "qtype": "integer",
                "answer_key": 5,
                "points": Decimal(1),
                "label": {"vi": "Bao nhiêu?"},
            }
        ]
    )
    rescoring.change_answer_key(version.items[0], "7", f.user(role="admin"))
    assert version.items[0].answer_key == 7
    with pytest.raises(DomainError, match="number"):
        rescoring.change_answer_key(version.items[0], "bảy", f.user(role="admin"))


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("q1", "z", "one of the choice values"),
        ("q1", ["a", "b"], "only one"),
        ("q1", "", "Choose or enter"),
        ("q2", "maybe", "yes or no"),
        ("q3", ["a", "z"], "different choice values"),
        ("essay", "x", "cannot have an answer key"),
    ],
)
def test_invalid_keys_are_refused_and_nothing_changes(w, f, key, typed, message):
    response = answer(w.class_a, w.version, person(w.class_a), "post", FULL)
    old = _item(w, key).answer_key
    with pytest.raises(DomainError, match=message):
        rescoring.change_answer_key(_item(w, key), typed, f.user(role="admin"))
    assert _item(w, key).answer_key == old
    assert response.score == Decimal("4.00")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0


def test_only_those_who_may_edit_the_instrument_change_keys(w, f):
    coordinator_a = f.user(role="coordinator", locality=w.a)
    with pytest.raises(NotAllowed):
        rescoring.change_answer_key(_item(w, "q1"), "b", coordinator_a)  # province's test
    coordinator = f.user(role="coordinator", locality=w.province)
    rescoring.change_answer_key(_item(w, "q1"), "b", coordinator)


def test_the_version_page_offers_the_form_and_the_post_rescores(w, f, login):
    response = answer(w.class_a, w.version, person(w.class_a), "post", FULL)
    client = login(f.user(role="coordinator", locality=w.province))
    base = f"/instruments/{w.version.instrument_id}/versions/1"
    page = client.get(base).get_data(as_text=True)
    assert f"{base}/items/q1/answer-key" in page and f"{base}/analysis" in page
    assert f"{base}/items/essay/answer-key" not in page
    sent = client.post(f"{base}/items/q3/answer-key", data={"key-q3-answer_key": ["a", "b"]})
    assert sent.status_code == 302 and sent.location.endswith("#item-q3")
    db.session.expire_all()
    assert _item(w, "q3").answer_key == ["a", "b"]
    assert db.session.get(Response, response.id).score == Decimal("2.00")


def test_a_bad_key_gives_400_with_the_choice_kept(w, f, login):
    client = login(f.user(role="admin"))
    base = f"/instruments/{w.version.instrument_id}/versions/1"
    sent = client.post(f"{base}/items/q3/answer-key", data={"key-q3-answer_key": ["b", "b"]})
    assert sent.status_code == 400
    html = sent.get_data(as_text=True)
    assert "different choice values" in html
    assert 'checked id="key-q3-answer_key-1"' in html
    assert 'checked id="key-q3-answer_key-0"' not in html
    sent = client.post(f"{base}/items/q1/answer-key", data={})
    assert sent.status_code == 400 and "Choose or enter" in sent.get_data(as_text=True)


def test_key_form_permissions(w, f, login):
    base = f"/instruments/{w.version.instrument_id}/versions/1/items/q1/answer-key"

    def change(user):
        return login(user).post(base, data={"key-q1-answer_key": "b"}).status_code

    assert change(f.user(role="coordinator", locality=w.a)) == 403
    assert change(f.user(role="trainer", locality=w.a)) == 403
    assert change(f.user(role="coordinator", locality=f.tree()[0])) == 404
    db.session.get(Instrument, w.version.instrument_id).locality_id = None  # national
    db.session.flush()
    assert change(f.user(role="coordinator", locality=w.province)) == 403
    assert _item(w, "q1").answer_key == "a"
