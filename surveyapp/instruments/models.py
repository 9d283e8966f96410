"""Instruments (questionnaires and tests), their versions and items.

An instrument has versions; a version that has answers is frozen and never changes again:
editing makes a new version. Items keep a stable ``key`` across versions so that results
can be compared. Translatable texts are JSON objects keyed by language (``{"vi": ..., "en": ...}``).
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.extensions import db
from surveyapp.models_base import utcnow


class InstrumentKind(enum.StrEnum):
    PRE_SURVEY = "pre_survey"
    POST_SURVEY = "post_survey"
    SKILL_TEST = "skill_test"
    FOLLOW_UP = "follow_up"
    CONTEST_QUIZ = "contest_quiz"


class Instrument(db.Model):
    __tablename__ = "instrument"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    locality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    versions: Mapped[list[InstrumentVersion]] = relationship(
        back_populates="instrument", order_by="InstrumentVersion.number"
    )

    @property
    def latest(self) -> InstrumentVersion | None:
        return self.versions[-1] if self.versions else None


class InstrumentVersion(db.Model):
    __tablename__ = "instrument_version"
    __table_args__ = (sa.UniqueConstraint("instrument_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instrument.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(default=1)
    title: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    description: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    frozen_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(sa.String(200), default="")
    # Raised by every flush that adds, changes or removes one of its items (answer keys of a
    # frozen version included): the key of the per-process item cache (``snapshots``).
    items_revision: Mapped[int] = mapped_column(default=0, server_default="0")

    instrument: Mapped[Instrument] = relationship(back_populates="versions")
    items: Mapped[list[Item]] = relationship(
        back_populates="version", order_by="Item.position", cascade="all, delete-orphan"
    )

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None


class Item(db.Model):
    """One question (or note) of an instrument version.

    ``qtype`` names an entry of the question-type registry (``surveyapp.instruments.qtypes``).
    ``choices`` is a list of ``{"value": str, "label": {lang: text}}``; ``answer_key`` is the
    correct value (single choice, yes/no, number) or list of values (multiple choice).
    """

    __tablename__ = "instrument_item"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "key"),
        sa.CheckConstraint("points >= 0", name="points_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instrument_version.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int]
    page: Mapped[int] = mapped_column(default=1)
    section: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    qtype: Mapped[str] = mapped_column(sa.String(30))
    label: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    hint: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    required: Mapped[bool] = mapped_column(default=False)
    relevant: Mapped[str] = mapped_column(sa.String(500), default="")
    constraint: Mapped[str] = mapped_column(sa.String(500), default="")
    constraint_message: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    choices: Mapped[list] = mapped_column(sa.JSON, default=list)
    answer_key: Mapped[object | None] = mapped_column(sa.JSON)
    points: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2), default=0)
    partial_credit: Mapped[bool] = mapped_column(default=False)
    explanation: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    competency: Mapped[str] = mapped_column(sa.String(40), default="")
    reverse: Mapped[bool] = mapped_column(default=False)
    min_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    max_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 4))
    max_length: Mapped[int | None]

    version: Mapped[InstrumentVersion] = relationship(back_populates="items")

    @property
    def scored(self) -> bool:
        return self.answer_key is not None and self.points > 0
