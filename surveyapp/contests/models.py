"""Schools, AI clubs and their pupils, contests, judges, teams and rounds.

Pupils are children and have no accounts: they join a club with its join code and are
remembered in their browser session (``students.py``). Only name, grade and school are
kept. A pupil's name is published (results page, certificate) only when both the pupil
and a parent or guardian consented (``ClubMember.may_publish_name``); otherwise the team
name is shown.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.accounts.models import User
from surveyapp.campaigns.models import Campaign
from surveyapp.extensions import db
from surveyapp.localities.models import Locality
from surveyapp.models_base import utcnow


class School(db.Model):
    __tablename__ = "school"
    __table_args__ = (sa.UniqueConstraint("locality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    locality_id: Mapped[int] = mapped_column(sa.ForeignKey("locality.id"), index=True)

    locality: Mapped[Locality] = relationship()


class Club(db.Model):
    __tablename__ = "club"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    # Copied from the school: scopes staff access like every other object.
    locality_id: Mapped[int] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    leader_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    join_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    school: Mapped[School] = relationship()
    locality: Mapped[Locality] = relationship()
    leader: Mapped[User | None] = relationship()
    members: Mapped[list[ClubMember]] = relationship(
        back_populates="club", order_by="ClubMember.full_name"
    )


class ClubMember(db.Model):
    """A pupil of a club (no account)."""

    __tablename__ = "club_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    club_id: Mapped[int] = mapped_column(sa.ForeignKey("club.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    grade: Mapped[str] = mapped_column(sa.String(20), default="")
    # Consent to publish the pupil's name with results: both the pupil and a representative.
    pupil_consent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    guardian_consent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    guardian_name: Mapped[str] = mapped_column(sa.String(200), default="")
    consent_text_version: Mapped[str] = mapped_column(sa.String(20), default="")
    joined_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    club: Mapped[Club] = relationship(back_populates="members")

    @property
    def may_publish_name(self) -> bool:
        return (
            self.erased_at is None
            and self.pupil_consent_at is not None
            and self.guardian_consent_at is not None
        )


class ContestStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


class Contest(db.Model):
    __tablename__ = "contest"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    # Organisers are coordinators (and admins) whose scope holds this locality.
    locality_id: Mapped[int] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=ContestStatus.DRAFT)
    max_team_size: Mapped[int] = mapped_column(default=5)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    results_published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    campaign: Mapped[Campaign] = relationship()
    locality: Mapped[Locality] = relationship()
    rounds: Mapped[list[Round]] = relationship(back_populates="contest", order_by="Round.position")
    teams: Mapped[list[Team]] = relationship(back_populates="contest", order_by="Team.name")


class ContestJudge(db.Model):
    """A judge (user with the judge role) of a contest, with the school they belong to."""

    __tablename__ = "contest_judge"
    __table_args__ = (sa.UniqueConstraint("contest_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contest.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id"))

    user: Mapped[User] = relationship()
    school: Mapped[School | None] = relationship()


team_member = sa.Table(
    "team_member",
    db.metadata,
    sa.Column("team_id", sa.ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("club_member.id", ondelete="CASCADE"), primary_key=True),
)


class Team(db.Model):
    """1 to ``contest.max_team_size`` pupils of one club entered in a contest."""

    __tablename__ = "team"
    __table_args__ = (sa.UniqueConstraint("contest_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contest.id", ondelete="CASCADE"), index=True
    )
    club_id: Mapped[int] = mapped_column(sa.ForeignKey("club.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    contest: Mapped[Contest] = relationship(back_populates="teams")
    club: Mapped[Club] = relationship()
    members: Mapped[list[ClubMember]] = relationship(
        secondary=team_member, order_by=ClubMember.full_name
    )


class RoundKind(enum.StrEnum):
    QUIZ = "quiz"
    PRODUCT = "product"


class LateRule(enum.StrEnum):
    """What a quiz answer sent after the time limit is worth (it is always recorded)."""

    ZERO = "zero"  # recorded as late, scored 0
    PENALTY = "penalty"  # recorded as late, score reduced by ``late_penalty_percent``
    ACCEPT = "accept"  # recorded as late, scored as usual


class Round(db.Model):
    __tablename__ = "contest_round"
    __table_args__ = (sa.CheckConstraint("closes_at > opens_at", name="window_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contest.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(300))
    position: Mapped[int] = mapped_column(default=1)
    opens_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    # Quiz rounds
    version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("instrument_version.id"), index=True
    )
    time_limit_seconds: Mapped[int | None]
    team_attempts: Mapped[bool] = mapped_column(default=False)
    attempts_allowed: Mapped[int] = mapped_column(default=1)
    late_rule: Mapped[str] = mapped_column(sa.String(20), default=LateRule.ZERO)
    late_penalty_percent: Mapped[int] = mapped_column(default=0)
    grace_seconds: Mapped[int] = mapped_column(default=5)
    freeze_minutes: Mapped[int] = mapped_column(default=0)
    revealed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Product rounds
    categories: Mapped[list] = mapped_column(sa.JSON, default=list)
    max_file_mb: Mapped[int] = mapped_column(default=20)
    standardise_scores: Mapped[bool] = mapped_column(default=False)
    results_published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    contest: Mapped[Contest] = relationship(back_populates="rounds")
