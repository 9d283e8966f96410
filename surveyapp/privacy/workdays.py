"""Working days in Vietnam: Monday to Friday except public holidays (Tết and the others,
with their substitute days, from the maintained ``holidays`` package).

Decree 356/2025/NĐ-CP gives two working days to answer a data-subject request; the day a
request arrives does not count.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays

RESPONSE_WORKING_DAYS = 2
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@functools.cache
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def local_date(moment: datetime) -> date:
    """The date in Vietnam of ``moment`` (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE).date()


def due_date(received_at: datetime) -> date:
    """The last day to answer a request received at ``received_at``."""
    return add_working_days(local_date(received_at), RESPONSE_WORKING_DAYS)
