"""Data-subject requests: what a person asked (see, erase, withdraw a consent), when it
was received, when it is due (two working days, Decree 356/2025) and when it was done."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.extensions import db
from surveyapp.models_base import utcnow
from surveyapp.participants.models import Participant


class RequestKind(enum.StrEnum):
    ACCESS = "access"
    ERASURE = "erasure"
    WITHDRAW_CONSENT = "withdraw_consent"


class DataRequest(db.Model):
    __tablename__ = "data_request"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('access', 'erasure', 'withdraw_consent')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    # The consent purpose a withdrawal concerns ("" for the other kinds).
    purpose: Mapped[str] = mapped_column(sa.String(20), default="")
    received_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    due_on: Mapped[date] = mapped_column(index=True)
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    received_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    done_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    participant: Mapped[Participant] = relationship()

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    def overdue(self, today: date) -> bool:
        return self.done_at is None and self.due_on < today
