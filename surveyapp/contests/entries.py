"""Team entries of product rounds: the entry's text, its link and its files.

A pupil of the team submits and edits the entry while the round is open. Text is checked
here (a category of the round, an http(s) link only); files are checked by content in
``uploads.py``. Services flush, never commit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _

from surveyapp.contests import uploads
from surveyapp.contests.entry_models import Entry, EntryFile
from surveyapp.contests.models import ContestStatus, Round, RoundKind, Team
from surveyapp.errors import DomainError
from surveyapp.extensions import db

TITLE_MAX = 300
TEXT_MAX = 5000
LINK_MAX = 500


def entry_of(round_: Round, team: Team) -> Entry | None:
    return db.session.scalar(
        sa.select(Entry).where(Entry.round_id == round_.id, Entry.team_id == team.id)
    )


def aware(moment: datetime) -> datetime:
    """SQLite keeps no offset; every contest time is stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def is_open(round_: Round, now: datetime) -> bool:
    return (
        aware(round_.opens_at) <= now < aware(round_.closes_at)
        and round_.results_published_at is None
        and round_.contest.status == ContestStatus.OPEN
    )


def has_closed(round_: Round, now: datetime) -> bool:
    return now >= aware(round_.closes_at)


def check_open(round_: Round, now: datetime) -> None:
    """Entries may be sent and changed only while the product round is open."""
    if round_.kind != RoundKind.PRODUCT:
        raise DomainError(_("This round does not take entries."))
    status = round_.contest.status
    if now < aware(round_.opens_at) or status == ContestStatus.DRAFT:
        raise DomainError(_("This round is not open yet."))
    if (
        has_closed(round_, now)
        or round_.results_published_at is not None
        or status in (ContestStatus.CLOSED, ContestStatus.PUBLISHED)
    ):
        raise DomainError(_("This round is closed; entries can no longer be changed."))


def clean_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    parts = urlsplit(link)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(ch.isspace() for ch in link)
        or len(link) > LINK_MAX
    ):
        raise DomainError(_("Give a web link starting with http:// or https://."), field="link")
    return link


def _text(value: str, max_len: int, field: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("This field is required."), field=field)
    if len(value) > max_len:
        raise DomainError(_("At most %(max)s characters.", max=max_len), field=field)
    return value


def save_entry(
    round_: Round,
    team: Team,
    *,
    title: str,
    description: str,
    category: str,
    ai_usage: str,
    link: str,
    now: datetime,
) -> Entry:
    """Create or update the team's entry in the round."""
    check_open(round_, now)
    if team.contest_id != round_.contest_id:
        raise DomainError(_("This team is not in this contest."))
    values = {
        "title": _text(title, TITLE_MAX, "title", required=True),
        "description": _text(description, TEXT_MAX, "description", required=True),
        "ai_usage": _text(ai_usage, TEXT_MAX, "ai_usage", required=True),
        "link": clean_link(link),
        "category": (category or "").strip(),
    }
    categories = list(round_.categories or [])
    if categories and values["category"] not in categories:
        raise DomainError(_("Choose one of the round's categories."), field="category")
    if not categories:
        values["category"] = ""
    entry = entry_of(round_, team)
    if entry is None:
        entry = Entry(round_id=round_.id, team_id=team.id, submitted_at=now)
        db.session.add(entry)
    for key, value in values.items():
        setattr(entry, key, value)
    entry.updated_at = now
    db.session.flush()
    return entry


def add_file(
    entry: Entry,
    stream,
    original_name: str,
    *,
    directory: str,
    limit_bytes: int,
    max_files: int,
    now: datetime,
) -> EntryFile:
    """Check and keep one uploaded file of the entry."""
    check_open(entry.round, now)
    if len(entry.files) >= max_files:
        raise DomainError(
            _("An entry may have at most %(n)s files; remove one first.", n=max_files),
            field="file",
        )
    stored = uploads.store(stream, limit_bytes=limit_bytes, directory=directory)
    try:
        file = EntryFile(
            original_name=(original_name or "file")[-255:],
            stored_name=stored.stored_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_at=now,
        )
        entry.files.append(file)
        entry.updated_at = now
        db.session.flush()
    except Exception:
        uploads.remove(directory, stored.stored_name)
        raise
    return file


def remove_file(entry: Entry, file: EntryFile, *, directory: str, now: datetime) -> None:
    check_open(entry.round, now)
    entry.files.remove(file)
    entry.updated_at = now
    db.session.flush()
    uploads.remove(directory, file.stored_name)


def round_entries(round_: Round, *, club_ids=None) -> list[Entry]:
    """The round's entries (optionally only those of teams of ``club_ids``), by title."""
    query = (
        sa.select(Entry)
        .join(Team, Entry.team_id == Team.id)
        .where(Entry.round_id == round_.id)
        .order_by(Entry.title, Entry.id)
    )
    if club_ids is not None:
        query = query.where(Team.club_id.in_(club_ids))
    return list(db.session.scalars(query))
