"""Trainers' reviews of the demo's follow-up examples (the ``example`` answers).

Run after ``build_demo_responses``: each follow-up response with an example gets the review
its class's trainer would give (the province coordinator stands in for classes without a
demo trainer). A vague example (under 30 characters: every one of the demo's vague
answers is shorter) is rejected, and so is one concrete example in ``DOUBTED`` (too
general to check), so that about four in five are accepted; an accepted example that
describes a better result (one of ``answer_texts.QUALITY_GAINS``) is a quality gain.

Which concrete examples are doubted, the review dates and the notes come from a seeded
``random.Random``: the same on every run. The rows go in with one Core ``INSERT``.
Examples reviewed already are left alone. Flushes, never commits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from surveyapp.accounts.models import User
from surveyapp.classes.models import class_trainer
from surveyapp.demo.answer_texts import ALL_QUALITY_GAINS
from surveyapp.demo.sittings import DEMO_NOW
from surveyapp.demo.users import DEMO_LOGINS
from surveyapp.extensions import db
from surveyapp.indicators.models import ExampleReview, ReviewStatus
from surveyapp.indicators.reviews import EXAMPLE_KEY, has_example
from surveyapp.instruments.models import Item
from surveyapp.responses.models import Answer, Moment, Response

CONCRETE_LENGTH = 30
DOUBTED = 0.13  # share of concrete examples a trainer still rejects
REVIEW_DELAY_DAYS = (1, 12)
VAGUE_NOTES = (
    "Ví dụ chưa cụ thể, chưa nêu việc gì.",
    "Chưa thấy dùng AI vào công việc thực tế.",
)
DOUBTED_NOTES = (
    "Cần mô tả rõ hơn đã dùng AI làm gì, kết quả ra sao.",
    "Chưa kiểm chứng được với học viên, sẽ hỏi lại.",
)
ACCEPTED_NOTES = ("", "", "", "Ví dụ cụ thể, rõ ràng.", "Đã kiểm tra lại với học viên.")


@dataclass(frozen=True)
class ReviewsSummary:
    accepted: int
    quality_gain: int
    rejected: int

    def lines(self) -> list[str]:
        return [
            f"Examples reviewed: {self.accepted:,} accepted ({self.quality_gain:,} with a "
            f"quality gain), {self.rejected:,} rejected."
        ]


def _utc(moment: datetime) -> datetime:
    """SQLite gives naive UTC times back, PostgreSQL aware ones."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _examples() -> list[tuple[int, int, datetime, str]]:
    """(response id, class id, submitted at, example) of the counted follow-ups, unreviewed."""
    reviewed = sa.select(ExampleReview.response_id)
    return [
        (row[0], row[1], _utc(row[2]), str(row[3] or ""))
        for row in db.session.execute(
            sa.select(Response.id, Response.class_id, Response.submitted_at, Answer.value)
            .join(Answer, Answer.response_id == Response.id)
            .join(Item, Answer.item_id == Item.id)
            .where(
                Item.key == EXAMPLE_KEY,
                Response.moment == Moment.FOLLOW_UP,
                Response.excluded.is_(False),
                Response.class_id.is_not(None),
                Response.id.not_in(reviewed),
                has_example(),
            )
            .order_by(Response.id)
        )
    ]


def _reviewers() -> tuple[dict[int, int], int | None]:
    """Each class's first trainer (by name, as the class page lists them), and the stand-in."""
    first: dict[int, int] = {}
    rows = db.session.execute(
        sa.select(class_trainer.c.class_id, User.id)
        .join(User, User.id == class_trainer.c.user_id)
        .order_by(class_trainer.c.class_id, User.name, User.id)
    )
    for class_id, user_id in rows:
        first.setdefault(class_id, user_id)
    email = next(login.email for login in DEMO_LOGINS if login.key == "province_coordinator")
    stand_in = db.session.scalar(sa.select(User.id).where(User.email == email))
    return first, stand_in


def review_demo_examples(*, seed: int = 2024, now: datetime = DEMO_NOW) -> ReviewsSummary:
    """Review the demo's follow-up examples as their trainers would (flush, no commit)."""
    rng = random.Random(f"{seed}-example-reviews")
    trainers, stand_in = _reviewers()
    rows = []
    for response_id, class_id, submitted_at, example in _examples():
        concrete = len(example) >= CONCRETE_LENGTH
        doubted = rng.random() < DOUBTED
        accepted = concrete and not doubted
        notes = ACCEPTED_NOTES if accepted else DOUBTED_NOTES if concrete else VAGUE_NOTES
        delay = timedelta(days=rng.randint(*REVIEW_DELAY_DAYS), hours=rng.randint(0, 9))
        rows.append(
            {
                "response_id": response_id,
                "status": ReviewStatus.ACCEPTED if accepted else ReviewStatus.REJECTED,
                "quality_gain": accepted and any(gain in example for gain in ALL_QUALITY_GAINS),
                "note": rng.choice(notes),
                "reviewed_at": min(submitted_at + delay, now),
                "reviewer_id": trainers.get(class_id, stand_in),
            }
        )
    if rows:
        db.session.execute(sa.insert(ExampleReview.__table__), rows)
    db.session.flush()
    accepted = [r for r in rows if r["status"] == ReviewStatus.ACCEPTED]
    return ReviewsSummary(
        accepted=len(accepted),
        quality_gain=sum(r["quality_gain"] for r in accepted),
        rejected=len(rows) - len(accepted),
    )
