"""Erasing a participant's personal data, on request or when the retention period is over.

What identifies the person goes: name, birth year, organisation and phone are blanked, the
identity and name keys are replaced by random values (so the person is never recognised
again), the follow-up code is rotated, every consent still in force is withdrawn, and the
name on their certificates is blanked (the verification page then says the holder's data
was erased). What the figures need stays: the participant row with its segment, gender and
commune, and every response with its answers, as anonymous rows. So the indicator counts
are the same before and after.

The work is done with a few set-based UPDATEs, whatever the number of people.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.audit.models import AuditEntry
from surveyapp.audit.services import record
from surveyapp.certificates.models import Certificate
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.participants.models import Consent, Enrolment, Participant
from surveyapp.privacy.models import DataRequest, RequestKind
from surveyapp.privacy.services import close_open_requests
from surveyapp.responses.models import Response

DEFAULT_RETENTION_DAYS = 730
BATCH = 500
ERASED_PREFIX = "erased:"


def _random_fields() -> dict:
    """Keys nobody can derive (an HMAC digest never starts with ``erased:``)."""
    return {
        "identity_key": ERASED_PREFIX + secrets.token_hex(28),
        "name_key": ERASED_PREFIX + secrets.token_hex(28),
        # Lower-case hex: typed codes are upper-cased, so this can never be entered.
        "follow_up_token": secrets.token_hex(16),
    }


def _erase_ids(ids: list[int], now: datetime) -> None:
    """Blank the personal fields of the participants ``ids`` (one batch)."""
    rows = [
        {
            "id": participant_id,
            "full_name": "",
            "birth_year": None,
            "organisation": "",
            "phone": None,
            "erased_at": now,
            **_random_fields(),
        }
        for participant_id in ids
    ]
    db.session.execute(sa.update(Participant), rows)
    db.session.execute(
        sa.update(Consent)
        .where(
            Consent.participant_id.in_(ids),
            Consent.granted.is_(True),
            Consent.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=now)
        .execution_options(synchronize_session=False)
    )
    certificates = sa.select(Certificate.id).where(Certificate.participant_id.in_(ids))
    _scrub_audit_names(certificates)
    db.session.execute(
        sa.update(Certificate)
        .where(Certificate.participant_id.in_(ids))
        .values(holder_name="")
        .execution_options(synchronize_session=False)
    )


def _scrub_audit_names(certificate_ids) -> None:
    """Revocation entries copy the holder's name; keep the entry, drop the name."""
    entries = db.session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.object_type == Certificate.__tablename__,
            AuditEntry.object_id.in_(certificate_ids),
        )
    )
    for entry in entries:
        if entry.detail and entry.detail.get("holder_name"):
            entry.detail = {**entry.detail, "holder_name": ""}


def erase_ids(ids: list[int], now: datetime) -> None:
    """Erase the participants ``ids`` in batches, then reload what the session holds."""
    db.session.flush()
    for start in range(0, len(ids), BATCH):
        _erase_ids(ids[start : start + BATCH], now)
    db.session.flush()
    db.session.expire_all()


def erase(person: Participant, *, actor, now: datetime, request_id: int | None = None) -> None:
    """Erase one person at their request (audited); their open erasure requests are done."""
    if person.erased_at is not None:
        raise DomainError(_l("This person's data was erased already."))
    if request_id is not None:
        request = db.session.get(DataRequest, request_id)
        if request is None or request.participant_id != person.id:
            raise DomainError(_l("Choose an answer from the list."), field="request_id")
    erase_ids([person.id], now)
    record(
        actor,
        "participant.erased",
        person,
        participant=person.public_id,
        reason="request",
        request_id=request_id,
    )
    close_open_requests(person, RequestKind.ERASURE, actor=actor, now=now)
    close_open_requests(person, RequestKind.WITHDRAW_CONSENT, actor=actor, now=now)


# ---------------------------------------------------------------- retention


@dataclass
class PurgeResult:
    cutoff: datetime
    days: int
    public_ids: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def count(self) -> int:
        return len(self.public_ids)


def last_activity():
    """Subquery ``(participant_id, last_at)``: the latest of creation, enrolment, consent
    and submitted response of each participant."""
    moments = sa.union_all(
        sa.select(Participant.id.label("pid"), Participant.created_at.label("at")),
        sa.select(Enrolment.participant_id, Enrolment.enrolled_at),
        sa.select(Consent.participant_id, Consent.at),
        sa.select(Response.participant_id, Response.submitted_at).where(
            Response.participant_id.is_not(None)
        ),
    ).subquery()
    return (
        sa.select(moments.c.pid, sa.func.max(moments.c.at).label("last_at"))
        .group_by(moments.c.pid)
        .subquery()
    )


def expired(now: datetime, days: int) -> tuple[datetime, list[tuple[int, str]]]:
    """The cutoff and ``(id, public_id)`` of the people not erased, inactive since it."""
    cutoff = now - timedelta(days=days)
    last = last_activity()
    rows = db.session.execute(
        sa.select(Participant.id, Participant.public_id)
        .join(last, last.c.pid == Participant.id)
        .where(Participant.erased_at.is_(None), last.c.last_at < cutoff)
        .order_by(Participant.id)
    ).all()
    return cutoff, [(row.id, row.public_id) for row in rows]


def purge(now: datetime, days: int, *, dry_run: bool = False, actor=None) -> PurgeResult:
    """Erase everyone whose last activity is older than ``days`` days; one audit entry."""
    if days < 1:
        raise DomainError(_l("The retention period must be at least one day."))
    cutoff, found = expired(now, days)
    result = PurgeResult(cutoff, days, [public_id for _id, public_id in found], dry_run)
    if dry_run or not found:
        return result
    erase_ids([participant_id for participant_id, _public in found], now)
    record(
        actor,
        "privacy.purged",
        None,
        days=days,
        cutoff=cutoff.isoformat(),
        count=result.count,
        participants=result.public_ids,
    )
    db.session.flush()
    return result
