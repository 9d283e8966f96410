"""Participants (one real person, counted once), consents, enrolments, wrong-code attempts.

Only what the reports need is kept: name, birth year (not birth date), gender, segment,
organisation and commune. A phone number is stored only when the person agreed to be
contacted for the follow-up; it serves to recognise the same person, never to print.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.extensions import db
from surveyapp.localities.models import Locality
from surveyapp.models_base import utcnow


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"


class ConsentPurpose(enum.StrEnum):
    EVALUATION = "evaluation"
    FOLLOW_UP = "follow_up"
    PUBLICATION = "publication"


class Participant(db.Model):
    __tablename__ = "participant"
    __table_args__ = (
        sa.CheckConstraint("birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100", name="year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(16), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200), default="")
    birth_year: Mapped[int | None]
    gender: Mapped[str] = mapped_column(sa.String(20), default=Gender.UNDISCLOSED)
    segment: Mapped[str] = mapped_column(sa.String(20))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    locality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    # Hash of the normalised phone, or of name + birth year + locality: finds the same person.
    identity_key: Mapped[str] = mapped_column(sa.String(64), index=True)
    # Hash of name + birth year + locality, kept even when a phone is known, so the person
    # is also found when they come back without giving their phone.
    name_key: Mapped[str] = mapped_column(sa.String(64), index=True, default="")
    follow_up_token: Mapped[str] = mapped_column(sa.String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    locality: Mapped[Locality | None] = relationship()
    consents: Mapped[list[Consent]] = relationship(back_populates="participant")


class Consent(db.Model):
    """A consent given (or refused) for one purpose, with the version of the text shown."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(sa.String(20))
    granted: Mapped[bool]
    text_version: Mapped[str] = mapped_column(sa.String(20))
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    participant: Mapped[Participant] = relationship(back_populates="consents")


class Enrolment(db.Model):
    """A participant identified in a class (once per class)."""

    __tablename__ = "enrolment"
    __table_args__ = (sa.UniqueConstraint("participant_id", "class_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_class.id", ondelete="CASCADE"), index=True
    )
    enrolled_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Set when the person first came into the campaign during a period whose figures were
    # approved: a held learner counts nowhere until that approval is returned (reopened).
    held_for_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("figure_approval.id", ondelete="SET NULL"), default=None
    )

    participant: Mapped[Participant] = relationship()


class AccessAttempt(db.Model):
    """Wrong access codes typed from one address (hashed) in one time window.

    Kept in the database, not in memory, so that every app process sees the same count.
    """

    __tablename__ = "access_attempt"
    __table_args__ = (sa.UniqueConstraint("ip_hash", "window_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ip_hash: Mapped[str] = mapped_column(sa.String(64))
    window_start: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    count: Mapped[int] = mapped_column(default=0)
    last_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
