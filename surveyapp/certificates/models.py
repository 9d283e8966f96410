"""Certificates: a completion certificate for a trainee who passed the post-class test, and
contest award certificates. Each has a short unguessable code that the public page
``/verify/<code>`` and the QR code on the printed certificate point to.

The holder's name, the title and the campaign are copied at issue time, so a certificate
reads the same later even when the participant is erased (``participant_id`` becomes NULL)
or the class is renamed.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveyapp.campaigns.models import Campaign
from surveyapp.extensions import db
from surveyapp.models_base import utcnow


class CertificateKind(enum.StrEnum):
    COMPLETION = "completion"
    AWARD = "award"


class Certificate(db.Model):
    __tablename__ = "certificate"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('completion', 'award')", name="kind"),
        # One certificate of a kind per person and class (awards without a class are free).
        sa.UniqueConstraint("participant_id", "class_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    holder_name: Mapped[str] = mapped_column(sa.String(200))
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("training_class.id", ondelete="SET NULL"), index=True
    )
    # The locality that scopes staff access: the class's, else the campaign's root.
    locality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("locality.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    issued_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    campaign: Mapped[Campaign] = relationship()

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display_code(self) -> str:
        """The code in two groups of five, easier to read aloud: ``ABCDE-FGHJK``."""
        half = (len(self.code) + 1) // 2
        return f"{self.code[:half]}-{self.code[half:]}"

    def __repr__(self) -> str:
        return f"<Certificate {self.code} {self.kind}>"
