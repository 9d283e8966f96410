"""The demo's reviews of follow-up examples (``demo.reviews``), on the demo built at a small
scale once for the module inside a transaction rolled back at the end."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.accounts.models import Role, User
from surveyapp.classes.models import TrainingClass, class_trainer
from surveyapp.demo.answer_texts import VAGUE_EXAMPLES
from surveyapp.demo.builder import build_demo
from surveyapp.demo.reviews import review_demo_examples
from surveyapp.demo.sittings import DEMO_NOW
from surveyapp.extensions import db
from surveyapp.indicators.models import ExampleReview
from surveyapp.indicators.reviews import pending_examples
from surveyapp.instruments.models import Item
from surveyapp.responses.models import Answer, Response
from surveyapp.security import Scope

from ..conftest import in_savepoint, rolled_back

SCALE = 0.05


@pytest.fixture(scope="module")
def _demo(app):
    """The demo, built once for the module, inside a transaction rolled back afterwards."""
    with rolled_back(app) as connection:
        summary = build_demo(scale=SCALE)
        db.session.commit()  # releases the savepoint; the outer transaction stays open
        db.session.remove()
        yield connection, summary


@pytest.fixture(autouse=True)
def _transaction(app, _demo):
    """Overrides the suite's per-test transaction: a savepoint inside the demo's one."""
    with in_savepoint(app, _demo[0]):
        yield


def _reviews() -> list[tuple[ExampleReview, str, int | None]]:
    return db.session.execute(
        sa.select(ExampleReview, Answer.value, Response.class_id)
        .join(Response, Response.id == ExampleReview.response_id)
        .join(Answer, Answer.response_id == Response.id)
        .join(Item, sa.and_(Item.id == Answer.item_id, Item.key == "example"))
    ).all()


def test_the_demo_has_accepted_examples_about_four_in_five(_demo):
    summary = _demo[1].reviews
    rows = _reviews()
    accepted = [r for r, _v, _c in rows if r.status == "accepted"]
    assert len(rows) == summary.accepted + summary.rejected
    assert len(accepted) == summary.accepted > 0
    assert 0.7 <= len(accepted) / len(rows) <= 0.9
    assert 0 < summary.quality_gain < summary.accepted
    assert all(not r.quality_gain for r, _v, _c in rows if r.status == "rejected")
    assert any(line.startswith("Examples reviewed:") for line in _demo[1].lines())


def test_vague_examples_are_rejected_and_most_concrete_ones_accepted(_demo):
    rows = _reviews()
    assert all(review.status == "rejected" for review, value, _c in rows if value in VAGUE_EXAMPLES)
    concrete = [review for review, value, _c in rows if value not in VAGUE_EXAMPLES]
    accepted = [review for review in concrete if review.status == "accepted"]
    assert 0.75 <= len(accepted) / len(concrete) < 1


def test_reviewer_is_the_classs_trainer_or_the_province_coordinator(_demo):
    taught = dict(
        db.session.execute(
            sa.select(class_trainer.c.class_id, sa.func.count()).group_by(class_trainer.c.class_id)
        ).all()
    )
    for review, _value, class_id in _reviews():
        reviewer = db.session.get(User, review.reviewer_id)
        if class_id in taught:
            assert reviewer.role == Role.TRAINER
            cls = db.session.get(TrainingClass, class_id)
            assert reviewer in cls.trainers
        else:
            assert reviewer.role == Role.COORDINATOR
        assert review.reviewed_at is not None


def test_every_demo_example_is_reviewed_before_demo_now(_demo):
    assert db.session.scalars(pending_examples(Scope(unrestricted=True), None)).all() == []
    for review, _value, _class_id in _reviews():
        reviewed_at = review.reviewed_at.replace(tzinfo=None)
        assert reviewed_at <= DEMO_NOW.replace(tzinfo=None)


def test_reviewing_again_leaves_reviewed_examples_alone(_demo):
    again = review_demo_examples()
    assert (again.accepted, again.rejected) == (0, 0)


def test_the_demo_trainer_sees_their_reviews_in_the_queue_page(_demo, app):
    trainer = db.session.scalar(
        sa.select(User).where(User.role == Role.TRAINER).order_by(User.name)
    )
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = trainer.get_id()
        session["lang"] = "en"
    page = client.get("/reviews/examples?tab=reviewed")
    assert page.status_code == 200
    mine = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ExampleReview)
        .where(ExampleReview.reviewer_id == trainer.id)
    )
    assert mine > 0 and "Accepted" in page.get_data(as_text=True)
