"""The contest clock: every time window and timer asks this, so tests inject a clock.

``app.config["CONTEST_CLOCK"]`` may hold a zero-argument callable returning an aware UTC
datetime; by default it is the real time.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from surveyapp.models_base import utcnow


def now() -> datetime:
    clock = current_app.config.get("CONTEST_CLOCK")
    return clock() if clock is not None else utcnow()
