"""Forms opened in a class, submitted responses and their answers.

A class form sits at a *moment* of the class: before it (``pre``), after it (``post``) or
weeks later (``follow_up``). The skill test is one instrument version attached twice, at
``pre`` and at ``post``, so learning gains pair a person's two responses by moment.

A submission carries a ``submission_id`` made on the device when the form is first shown;
the unique constraint on it makes a retried submission land once, however often it arrives.
A person answers each class form once (unique class form and participant).
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion, Item
from surveyapp.models_base import utcnow


class Moment(enum.StrEnum):
    PRE = "pre"
    POST = "post"
    FOLLOW_UP = "follow_up"


# The moments at which each kind of instrument may be given, its usual one first.
KIND_MOMENTS: dict[str, tuple[Moment, ...]] = {
    "pre_survey": (Moment.PRE,),
    "skill_test": (Moment.PRE, Moment.POST),
    "post_survey": (Moment.POST,),
    "follow_up": (Moment.FOLLOW_UP,),
    "contest_quiz": (Moment.POST,),
}


def moments_of(kind: str) -> tuple[Moment, ...]:
    """Moments an instrument of ``kind`` may be given at (the usual one first)."""
    return KIND_MOMENTS.get(kind, (Moment.POST,))


def default_moment(kind: str) -> Moment:
    return moments_of(kind)[0]


class ClassForm(db.Model):
    """An instrument version made available in a class at one moment; the trainer opens and
    closes it. Without an explicit ``moment``, the usual one of the instrument's kind is used."""

    __tablename__ = "class_form"
    __table_args__ = (
        sa.UniqueConstraint("class_id", "version_id", "moment"),
        sa.CheckConstraint("moment IN ('pre', 'post', 'follow_up')", name="moment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_class.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument_version.id"))
    moment: Mapped[str] = mapped_column(sa.String(12))
    is_open: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    version: Mapped[InstrumentVersion] = relationship()

    def __init__(self, **kwargs):
        if not kwargs.get("moment"):
            version = kwargs.get("version")
            if version is None and kwargs.get("version_id") is not None:
                version = db.session.get(InstrumentVersion, kwargs["version_id"])
            if version is not None:
                kwargs["moment"] = default_moment(version.instrument.kind).value
        super().__init__(**kwargs)


class Response(db.Model):
    """One person's answers to one class form. ``class_id``, ``version_id`` and ``moment`` are
    copied from the class form so reports need no join (and survive a removed class form)."""

    __tablename__ = "response"
    __table_args__ = (
        sa.Index("ix_response_class_version", "class_id", "version_id"),
        # One response per person and class form (an erased person's rows keep NULL).
        sa.UniqueConstraint("class_form_id", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    receipt_code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("training_class.id", ondelete="SET NULL")
    )
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument_version.id"))
    class_form_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("class_form.id", ondelete="SET NULL"), index=True
    )
    moment: Mapped[str] = mapped_column(sa.String(12), default="")
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    locality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    submitted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    received_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    duration_seconds: Mapped[int | None]
    score: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    max_score: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    assisted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    excluded: Mapped[bool] = mapped_column(default=False)
    exclusion_note: Mapped[str] = mapped_column(sa.String(500), default="")
    flags: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Data-quality review (surveyapp.quality): when and by whom the flags were looked at.
    reviewed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    version: Mapped[InstrumentVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.max_score:
            return None
        return float(self.score) * 100 / float(self.max_score)


class Answer(db.Model):
    """One answer. ``value`` keeps the raw answer as typed or chosen; ``number`` the numeric
    reading (Likert point, number, yes=1) for aggregation in SQL; ``points`` the score."""

    __tablename__ = "answer"
    __table_args__ = (sa.UniqueConstraint("response_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("response.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument_item.id"), index=True)
    value: Mapped[object | None] = mapped_column(sa.JSON)
    number: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    points: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))

    response: Mapped[Response] = relationship(back_populates="answers")
    item: Mapped[Item] = relationship()
