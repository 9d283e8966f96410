"""Campaigns over a root locality, their plan targets, populations, core members, materials."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.extensions import db
from surveyapp.localities.models import Locality
from surveyapp.models_base import utcnow


class Segment(enum.StrEnum):
    OFFICIAL = "official"
    BUSINESS = "business"
    RESIDENT = "resident"
    STUDENT = "student"
    TEACHER = "teacher"
    OTHER = "other"


class Metric(enum.StrEnum):
    CORE_MEMBERS = "core_members"
    CLASSES = "classes"
    LEARNERS = "learners"
    MATERIALS = "materials"
    EFFECTIVE_APPLIERS = "effective_appliers"


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


class MaterialKind(enum.StrEnum):
    VIDEO = "video"
    DOCUMENT = "document"
    LINK = "link"


class Campaign(db.Model):
    __tablename__ = "campaign"
    __table_args__ = (sa.CheckConstraint("end_date >= start_date", name="period_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    root_locality_id: Mapped[int] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(20), default=CampaignStatus.DRAFT)
    parent_body: Mapped[str] = mapped_column(sa.String(200), default="")
    issuing_body: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    root_locality: Mapped[Locality] = relationship()

    @property
    def locality_id(self) -> int:
        """The locality that scopes access to the campaign."""
        return self.root_locality_id

    def __repr__(self) -> str:
        return f"<Campaign {self.id} {self.name}>"


class Target(db.Model):
    """Plan figure of one metric for one locality of a campaign."""

    __tablename__ = "campaign_target"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "locality_id", "metric"),
        sa.CheckConstraint("value >= 0", name="value_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id", ondelete="CASCADE"))
    locality_id: Mapped[int] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    metric: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[int]

    campaign: Mapped[Campaign] = relationship()
    locality: Mapped[Locality] = relationship()


class Population(db.Model):
    """How many people of a segment live in a locality, and the coverage rate aimed at."""

    __tablename__ = "campaign_population"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "locality_id", "segment"),
        sa.CheckConstraint("population >= 0", name="population_non_negative"),
        sa.CheckConstraint("target_rate >= 0 AND target_rate <= 100", name="rate_percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id", ondelete="CASCADE"))
    locality_id: Mapped[int] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    segment: Mapped[str] = mapped_column(sa.String(20))
    population: Mapped[int]
    target_rate: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))

    campaign: Mapped[Campaign] = relationship()
    locality: Mapped[Locality] = relationship()


class CoreMember(db.Model):
    """A member of the core group (nhóm nòng cốt) who trains others."""

    __tablename__ = "core_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id", ondelete="CASCADE"))
    locality_id: Mapped[int] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    position: Mapped[str] = mapped_column(sa.String(200), default="")
    segment: Mapped[str] = mapped_column(sa.String(20), default=Segment.OFFICIAL)
    joined_on: Mapped[date]

    campaign: Mapped[Campaign] = relationship()
    locality: Mapped[Locality] = relationship()


class Material(db.Model):
    """A video, document or link built and shared for the campaign."""

    __tablename__ = "material"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id", ondelete="CASCADE"))
    locality_id: Mapped[int] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[str] = mapped_column(sa.String(20), default=MaterialKind.DOCUMENT)
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    published_on: Mapped[date]

    campaign: Mapped[Campaign] = relationship()
    locality: Mapped[Locality] = relationship()
