"""Manual marking of open items: the service, its audit entry, the queue and the POST."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.responses.models import Answer
from surveyapp.scoring import marking

from .helpers import answer, person, world

FULL = {"q1": "a", "q2": "no", "q3": ["a", "c"], "essay": "Hãy tóm tắt văn bản về Văn Yên"}


@pytest.fixture
def w(f):
    return world(f)


def _essay(response) -> Answer:
    return marking.find_answer(response.id, "essay")


def test_open_items_are_those_the_engine_cannot_score(w):
    by_key = {item.key: item for item in w.version.items}
    assert [k for k, item in by_key.items() if marking.is_open_item(item)] == ["essay"]
    by_key["q1"].answer_key = None  # a choice question without a key is marked by hand
    assert marking.is_open_item(by_key["q1"])


def test_marking_adds_the_points_to_score_and_maximum(w, f):
    response = answer(w.class_a, w.version, person(w.class_a), "post", FULL)
    assert (response.score, response.max_score) == (Decimal("4.00"), Decimal("4.00"))
    assert _essay(response).points is None
    actor = f.user(role="admin")
    marking.mark_answer(_essay(response), Decimal("1.5"), actor, note="Khá tốt")
    assert _essay(response).points == Decimal("1.50")
    assert (response.score, response.max_score) == (Decimal("5.50"), Decimal("7.00"))
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "answer.marked"))
    assert entry.actor_id == actor.id and entry.object_id == _essay(response).id
    assert entry.locality_id == w.a.id
    assert entry.detail == {
        "response_id": response.id,
        "item_key": "essay",
        "old_points": None,
        "new_points": "1.50",
        "old_score": "4.00",
        "new_score": "5.50",
        "note": "Khá tốt",
    }
    # Marking again replaces the mark; the maximum is not counted twice.
    marking.mark_answer(_essay(response), "3", actor)
    assert (response.score, response.max_score) == (Decimal("7.00"), Decimal("7.00"))
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "answer.marked").order_by(AuditEntry.id)
    ).all()
    assert [e.detail["old_points"] for e in entries] == [None, "1.50"]


def test_a_response_with_only_an_open_item_gets_a_score_once_marked(w, f):
    response = answer(w.class_a, w.version, person(w.class_a), "pre", {"essay": "Chưa biết"})
    # q1..q3 showed and were not answered: they earn 0 of 4.
    assert (response.score, response.max_score) == (Decimal("0.00"), Decimal("4.00"))
    marking.mark_answer(_essay(response), "0", f.user(role="admin"))
    assert (response.score, response.max_score) == (Decimal("0.00"), Decimal("7.00"))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "from 0 to 3"),
        ("3.5", "from 0 to 3"),
        ("abc", "as a number"),
        ("", "as a number"),
        ("1.255", "two decimals"),
    ],
)
def test_bad_points_are_refused(w, f, typed, message):
    response = answer(w.class_a, w.version, person(w.class_a), "post", FULL)
    with pytest.raises(DomainError, match=message):
        marking.mark_answer(_essay(response), typed, f.user(role="admin"))
    assert _essay(response).points is None
    assert response.score == Decimal("4.00")


def test_an_automatic_item_cannot_be_marked(w, f):
    response = answer(w.class_a, w.version, person(w.class_a), "post", FULL)
    with pytest.raises(DomainError, match="automatically"):
        marking.mark_answer(marking.find_answer(response.id, "q1"), "0", f.user(role="admin"))


def test_the_queue_lists_answers_to_mark_then_marked_ones(w, f, login):
    first = answer(w.class_a, w.version, person(w.class_a), "post", FULL, minutes=1)
    second = answer(w.class_a, w.version, person(w.class_a), "post", FULL, minutes=2)
    answer(w.class_b, w.version, person(w.class_b), "post", FULL)  # another class
    marking.mark_answer(_essay(first), "2", f.user(role="admin"))
    pending, marked = marking.marking_queue(w.class_a.id)
    assert [a.response_id for a in pending] == [second.id]
    assert [a.response_id for a in marked] == [first.id]
    page = login(w.trainer_a).get(f"/classes/{w.class_a.id}/marking")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index(f"answer-{_essay(second).id}") < html.index(f"answer-{_essay(first).id}")
    assert "Hãy tóm tắt văn bản về Văn Yên" in html


def test_a_trainer_marks_through_the_form(w, login):
    response = answer(w.class_a, w.version, person(w.class_a), "post", FULL)
    client = login(w.trainer_a)
    sent = client.post(
        f"/responses/{response.id}/items/essay/mark", data={"points": "2,5", "note": "Tốt"}
    )
    assert sent.status_code == 302
    assert sent.location.endswith(f"/classes/{w.class_a.id}/marking")
    db.session.expire_all()
    assert _essay(response).points == Decimal("2.50")
    assert response.score == Decimal("6.50")


def test_bad_input_gives_400_and_keeps_what_was_typed(w, login):
    response = answer(w.class_a, w.version, person(w.class_a), "post", FULL)
    sent = login(w.trainer_a).post(
        f"/responses/{response.id}/items/essay/mark", data={"points": "9", "note": "Xem lại"}
    )
    assert sent.status_code == 400
    html = sent.get_data(as_text=True)
    assert 'value="9"' in html and 'value="Xem lại"' in html and "from 0 to 3" in html
    db.session.expire_all()
    assert _essay(response).points is None


def test_who_may_mark(w, f, login):
    response = answer(w.class_a, w.version, person(w.class_a), "post", FULL)
    url = f"/responses/{response.id}/items/essay/mark"
    queue = f"/classes/{w.class_a.id}/marking"

    def mark(user, target=url):
        return login(user).post(target, data={"points": "1"}).status_code

    assert login(w.trainer_b).get(queue).status_code == 404  # not their class
    assert mark(w.trainer_b) == 404
    assert mark(f.user(role="coordinator", locality=w.b)) == 404
    assert login(f.user(role="evaluator", locality=w.a)).get(queue).status_code == 403
    assert mark(f.user(role="evaluator", locality=w.a)) == 403
    assert mark(f.user(role="admin"), f"/responses/{response.id}/items/nope/mark") == 404
    assert mark(f.user(role="coordinator", locality=w.a)) == 302
    db.session.expire_all()
    assert _essay(response).points == Decimal("1.00")
