"""Product rounds: team entries and their files, the rubric, judge assignments and scores.

Files are stored outside the web root (``CONTEST_UPLOAD_DIR``, by default
``instance/contest-files``) under a random name; ``EntryFile`` keeps what the upload said it
was and what its content turned out to be.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.accounts.models import User
from surveyapp.certificates.models import Certificate
from surveyapp.contests.models import Round, Team
from surveyapp.extensions import db
from surveyapp.models_base import utcnow


class Entry(db.Model):
    __tablename__ = "contest_entry"
    __table_args__ = (sa.UniqueConstraint("round_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contest_round.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    category: Mapped[str] = mapped_column(sa.String(120), default="")
    ai_usage: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    submitted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Set when the organisers award the round's prizes (awards.py).
    prize: Mapped[str] = mapped_column(sa.String(40), default="")
    prize_rank: Mapped[int | None]
    awarded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    round: Mapped[Round] = relationship()
    team: Mapped[Team] = relationship()
    certificates: Mapped[list[Certificate]] = relationship(
        secondary="entry_certificate", order_by="Certificate.id"
    )
    files: Mapped[list[EntryFile]] = relationship(
        back_populates="entry", order_by="EntryFile.id", cascade="all, delete-orphan"
    )


entry_certificate = sa.Table(
    "entry_certificate",
    db.metadata,
    sa.Column("entry_id", sa.ForeignKey("contest_entry.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "certificate_id", sa.ForeignKey("certificate.id", ondelete="CASCADE"), primary_key=True
    ),
)


class EntryFile(db.Model):
    __tablename__ = "contest_entry_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contest_entry.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    entry: Mapped[Entry] = relationship(back_populates="files")


class RubricCriterion(db.Model):
    __tablename__ = "rubric_criterion"
    __table_args__ = (
        sa.CheckConstraint("max_score > min_score", name="bounds_ordered"),
        sa.CheckConstraint("weight > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contest_round.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=1)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    weight: Mapped[Decimal] = mapped_column(sa.Numeric(6, 3), default=Decimal(1))
    min_score: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2), default=Decimal(0))
    max_score: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2), default=Decimal(10))


class JudgeAssignment(db.Model):
    """A judge assigned to an entry, with their comment once they have scored it."""

    __tablename__ = "judge_assignment"
    __table_args__ = (sa.UniqueConstraint("entry_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contest_entry.id", ondelete="CASCADE"), index=True
    )
    judge_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    assigned_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    scored_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    entry: Mapped[Entry] = relationship()
    judge: Mapped[User] = relationship()
    scores: Mapped[list[JudgeScore]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan"
    )


class JudgeScore(db.Model):
    __tablename__ = "judge_score"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("judge_assignment.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rubric_criterion.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))

    assignment: Mapped[JudgeAssignment] = relationship(back_populates="scores")
    criterion: Mapped[RubricCriterion] = relationship()
