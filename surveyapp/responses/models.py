"""Forms opened in a class, submitted responses and their answers.

A submission carries a ``submission_id`` made on the device when the form is first shown;
the unique constraint on it makes a retried submission land once, however often it arrives.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion, Item
from surveyapp.models_base import utcnow


class ClassForm(db.Model):
    """An instrument version made available in a class; the trainer opens and closes it."""

    __tablename__ = "class_form"
    __table_args__ = (sa.UniqueConstraint("class_id", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_class.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument_version.id"))
    is_open: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    version: Mapped[InstrumentVersion] = relationship()


class Response(db.Model):
    __tablename__ = "response"
    __table_args__ = (sa.Index("ix_response_class_version", "class_id", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    receipt_code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("training_class.id", ondelete="SET NULL")
    )
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument_version.id"))
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
