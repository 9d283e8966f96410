"""Rendered report PDFs kept per data snapshot, shared by every web worker."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surveyapp.extensions import db
from surveyapp.models_base import utcnow


class ReportCache(db.Model):
    """One rendered PDF. ``key`` is a digest of everything the PDF depends on (see
    ``reports.cache.snapshot_key``), so a row is never stale: changed data gives a new key."""

    __tablename__ = "report_cache"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary)
    pages: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
