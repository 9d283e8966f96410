"""Quiz attempts: one timed attempt of a pupil (or a team) at a quiz round.

The order of the questions and of each question's options is drawn once per attempt from a
stored seed and kept in ``order``, so the attempt shows the same order when reloaded and
can be checked later. The server sets ``deadline_at`` when the attempt starts; an answer
sent after it (plus the round's grace) is recorded with ``late`` and scored by the round's
late rule.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.contests.models import ClubMember, Round, Team
from surveyapp.extensions import db


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempt"
    __table_args__ = (
        # "m<member id>" or "t<team id>": one numbered attempt per contestant and round.
        sa.UniqueConstraint("round_id", "contestant_key", "number"),
        sa.Index("ix_quiz_attempt_board", "round_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contest_round.id", ondelete="CASCADE"), index=True
    )
    contestant_key: Mapped[str] = mapped_column(sa.String(20))
    member_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("club_member.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("team.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(default=1)
    seed: Mapped[int]
    order: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    deadline_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Idempotency: a retried submission carries the same id and is stored once.
    submission_id: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    late: Mapped[bool] = mapped_column(default=False)
    raw_score: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    score: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    max_score: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    duration_ms: Mapped[int | None]

    round: Mapped[Round] = relationship()
    member: Mapped[ClubMember | None] = relationship()
    team: Mapped[Team | None] = relationship()
