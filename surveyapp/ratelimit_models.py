"""The ``rate_limit_counter`` table: rate-limit windows kept in the app's own database.

One row per limit, client and window (Flask-Limiter's key). Every gunicorn worker and
every host that shares the database sees the same counts, which ``memory://`` cannot do.
Keys never hold a client address in clear (``surveyapp.ratelimit.client_key`` hashes it).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from surveyapp.extensions import db

KEY_LENGTH = 255


class RateLimitCounter(db.Model):
    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(sa.String(KEY_LENGTH), primary_key=True)
    count: Mapped[int] = mapped_column(sa.Integer, default=0)
    # Seconds since the epoch (float): the window ends then and the row may be removed.
    expires_at: Mapped[float] = mapped_column(sa.Float, index=True)

    def __repr__(self) -> str:
        return f"<RateLimitCounter {self.key} {self.count}>"
