"""Stored data of the indicator: the rule of each campaign (versioned) and example reviews.

A campaign's rule is a row per version, never updated: saving a changed rule adds the next
version, so a report can always say which version it used. A campaign without a stored rule
uses ``DEFAULT_RULE`` (version 1).

An ``ExampleReview`` records a trainer's (or reviewer's) judgement of the concrete example a
person gave in their follow-up response (item key ``example``): accepted or not, and whether
it describes a gain in the quality of work (which counts as a benefit under the rule).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.extensions import db
from surveyapp.models_base import utcnow


class IndicatorRule(db.Model):
    __tablename__ = "indicator_rule"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    # ``Rule.to_dict()``; its "version" field equals ``version``.
    definition: Mapped[dict] = mapped_column(sa.JSON)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    created_by = relationship("User")


class ReviewStatus:
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ExampleReview(db.Model):
    __tablename__ = "example_review"
    __table_args__ = (sa.CheckConstraint("status IN ('accepted', 'rejected')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("response.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(sa.String(10))
    quality_gain: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    reviewed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    reviewer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    reviewer = relationship("User")
