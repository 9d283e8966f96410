"""A locality's figures for one campaign and period, as submitted for approval.

One row per (campaign, locality, period): a returned submission is resubmitted in the same
row (``round`` counts the submissions), so the history of a period lives in the audit log
and the row always holds the latest snapshot and decision. ``snapshot`` is the
``indicators.kpis.kpi_table`` of the locality for the period, as JSON, taken when the
figures were (re)submitted: the approver signs exactly those numbers.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.extensions import db
from surveyapp.models_base import utcnow


class ApprovalStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class FigureApproval(db.Model):
    __tablename__ = "figure_approval"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "locality_id", "period_start", "period_end"),
        sa.CheckConstraint("period_start <= period_end", name="period_ordered"),
        sa.CheckConstraint("status IN ('submitted', 'approved', 'returned')", name="status"),
        sa.Index("ix_figure_approval_campaign_status", "campaign_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id", ondelete="CASCADE"))
    locality_id: Mapped[int] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(12), default=ApprovalStatus.SUBMITTED)
    round: Mapped[int] = mapped_column(default=1)
    snapshot: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    submission_note: Mapped[str] = mapped_column(sa.String(1000), default="")
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decision_comment: Mapped[str] = mapped_column(sa.String(1000), default="")

    campaign = relationship("Campaign")
    locality = relationship("Locality")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def is_approved(self) -> bool:
        return self.status == ApprovalStatus.APPROVED

    def __repr__(self) -> str:
        return f"<FigureApproval {self.id} {self.status} {self.period_start}..{self.period_end}>"
