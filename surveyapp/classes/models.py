"""Training classes (lớp bình dân học AI) and their trainers."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.accounts.models import User
from surveyapp.campaigns.models import Campaign
from surveyapp.extensions import db
from surveyapp.localities.models import Locality
from surveyapp.models_base import utcnow


class ClassStatus(enum.StrEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class_trainer = sa.Table(
    "class_trainer",
    db.metadata,
    sa.Column("class_id", sa.ForeignKey("training_class.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


class TrainingClass(db.Model):
    __tablename__ = "training_class"
    __table_args__ = (
        sa.CheckConstraint("end_date >= start_date", name="period_ordered"),
        sa.CheckConstraint("capacity >= 0", name="capacity_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    locality_id: Mapped[int] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    segment: Mapped[str] = mapped_column(sa.String(20))
    start_date: Mapped[date]
    end_date: Mapped[date]
    venue: Mapped[str] = mapped_column(sa.String(300), default="")
    capacity: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(20), default=ClassStatus.PLANNED)
    access_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    campaign: Mapped[Campaign] = relationship()
    locality: Mapped[Locality] = relationship()
    trainers: Mapped[list[User]] = relationship(secondary=class_trainer, order_by=User.name)

    def __repr__(self) -> str:
        return f"<TrainingClass {self.access_code} {self.title}>"
