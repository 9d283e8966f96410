"""Finding a participant within a scope, their consents and data-subject requests.

A participant lies in a user's scope when their commune does, or when they are enrolled in
a class held inside it (a trainee need not give a commune). Functions take explicit
arguments (actor, scope, now), flush but never commit, and raise ``DomainError`` with a
translated message. Erasure and retention live in ``erasure.py``, the export in
``dossier.py``.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import abort
from flask_babel import lazy_gettext as _l

from surveyapp.audit.services import record
from surveyapp.classes.models import TrainingClass
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.participants import identity
from surveyapp.participants.models import Consent, ConsentPurpose, Enrolment, Participant
from surveyapp.privacy.models import DataRequest, RequestKind
from surveyapp.privacy.workdays import due_date, local_date
from surveyapp.security import Scope

SEARCH_LIMIT = 50
NOTE_MAX = 500
# Consents a person may withdraw on their own; the evaluation one goes with erasure.
WITHDRAWABLE = (ConsentPurpose.FOLLOW_UP, ConsentPurpose.PUBLICATION)


def in_scope(scope: Scope):
    """SQL condition: the participant's commune, or one of their classes, is in ``scope``."""
    if scope.unrestricted:
        return sa.true()
    places = scope.locality_ids()
    enrolled_here = (
        sa.select(Enrolment.id)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .where(Enrolment.participant_id == Participant.id, TrainingClass.locality_id.in_(places))
        .exists()
    )
    return sa.or_(Participant.locality_id.in_(places), enrolled_here)


def participant_or_404(participant_id: int, scope: Scope) -> Participant:
    """The participant, or 404 when there is none or it lies outside ``scope``."""
    person = db.session.scalar(
        sa.select(Participant).where(Participant.id == participant_id, in_scope(scope))
    )
    if person is None:
        abort(404)
    return person


def search(scope: Scope, text: str, *, limit: int = SEARCH_LIMIT) -> list[Participant]:
    """People of ``scope`` whose public id or phone is ``text``, or whose name contains it
    (case ignored; accents as stored). Erased people are found by public id only."""
    text = identity.clean_name(text)
    if not text:
        return []
    matches = [Participant.public_id == text.upper().replace("-", "")]
    phone = identity.normalise_phone(text)
    if phone is not None:
        matches.append(Participant.phone == phone)
    if len(text) >= 2:
        matches.append(Participant.full_name.icontains(text, autoescape=True))
    return list(
        db.session.scalars(
            sa.select(Participant)
            .where(sa.or_(*matches), in_scope(scope))
            .order_by(Participant.full_name, Participant.id)
            .options(sa.orm.joinedload(Participant.locality))
            .limit(limit)
        )
    )


def consents_of(person: Participant) -> list[Consent]:
    """Every consent the person gave or refused, newest first."""
    return list(
        db.session.scalars(
            sa.select(Consent)
            .where(Consent.participant_id == person.id)
            .order_by(Consent.at.desc(), Consent.id.desc())
        )
    )


def active_purposes(person: Participant) -> set[str]:
    """Purposes the person agreed to and has not withdrawn."""
    return set(
        db.session.scalars(
            sa.select(Consent.purpose).where(
                Consent.participant_id == person.id,
                Consent.granted.is_(True),
                Consent.withdrawn_at.is_(None),
            )
        )
    )


# ---------------------------------------------------------------- data-subject requests


def record_request(
    person: Participant,
    kind: str,
    *,
    received_at: datetime,
    actor,
    now: datetime,
    purpose: str = "",
    note: str = "",
) -> DataRequest:
    """Record a request received from the person; it is due two working days later."""
    if kind not in set(RequestKind):
        raise DomainError(_l("Choose an answer from the list."), field="kind")
    if kind == RequestKind.WITHDRAW_CONSENT and purpose not in set(ConsentPurpose):
        raise DomainError(_l("Say which consent the person withdraws."), field="purpose")
    if received_at > now:
        raise DomainError(_l("The request cannot be received in the future."), field="received_at")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(_l("The note is too long."), field="note")
    request = DataRequest(
        participant_id=person.id,
        kind=kind,
        purpose=purpose if kind == RequestKind.WITHDRAW_CONSENT else "",
        received_at=received_at,
        due_on=due_date(received_at),
        note=note,
        received_by_id=getattr(actor, "id", None),
        created_at=now,
    )
    db.session.add(request)
    db.session.flush()
    record(
        actor,
        "data_request.received",
        request,
        locality_id=person.locality_id,
        participant=person.public_id,
        kind=kind,
        purpose=request.purpose,
        due_on=request.due_on.isoformat(),
    )
    return request


def requests_of(person: Participant) -> list[DataRequest]:
    return list(
        db.session.scalars(
            sa.select(DataRequest)
            .where(DataRequest.participant_id == person.id)
            .order_by(DataRequest.received_at.desc(), DataRequest.id.desc())
        )
    )


def open_requests(scope: Scope, *, limit: int = 200) -> list[DataRequest]:
    """Requests not done yet of the people in ``scope``, the most urgent first."""
    return list(
        db.session.scalars(
            sa.select(DataRequest)
            .join(Participant, Participant.id == DataRequest.participant_id)
            .where(DataRequest.done_at.is_(None), in_scope(scope))
            .order_by(DataRequest.due_on, DataRequest.received_at, DataRequest.id)
            .options(sa.orm.contains_eager(DataRequest.participant))
            .limit(limit)
        )
    )


def complete_request(person: Participant, request_id: int | None, *, actor, now) -> DataRequest:
    """Mark the person's request ``request_id`` done (audited)."""
    request = db.session.get(DataRequest, request_id) if request_id else None
    if request is None or request.participant_id != person.id:
        abort(404)
    if request.done_at is not None:
        raise DomainError(_l("This request was marked done already."))
    _done(request, actor, now)
    return request


def _done(request: DataRequest, actor, now: datetime) -> None:
    request.done_at = now
    request.done_by_id = getattr(actor, "id", None)
    db.session.flush()
    record(
        actor,
        "data_request.done",
        request,
        locality_id=request.participant.locality_id,
        participant=request.participant.public_id,
        kind=request.kind,
        late=request.overdue(local_date(now)),
    )


def close_open_requests(person: Participant, kind: str, *, actor, now, purpose=None) -> int:
    """Mark the person's open requests of ``kind`` (and ``purpose``) done; how many."""
    query = sa.select(DataRequest).where(
        DataRequest.participant_id == person.id,
        DataRequest.kind == kind,
        DataRequest.done_at.is_(None),
    )
    if purpose is not None:
        query = query.where(DataRequest.purpose == purpose)
    requests = list(db.session.scalars(query))
    for request in requests:
        _done(request, actor, now)
    return len(requests)


# ---------------------------------------------------------------- consent withdrawal


def withdraw_consent(person: Participant, purpose: str, *, actor, now: datetime) -> int:
    """Withdraw the person's consent to ``purpose``. Without follow-up consent no phone is
    kept: it is cleared and the person is then recognised by name, as the law asks."""
    if purpose == ConsentPurpose.EVALUATION:
        raise DomainError(
            _l(
                "Without consent to the evaluation nothing may be kept about the person: "
                "an administrator erases their data instead."
            ),
            field="purpose",
        )
    if purpose not in set(WITHDRAWABLE):
        raise DomainError(_l("Choose an answer from the list."), field="purpose")
    if person.erased_at is not None:
        raise DomainError(_l("This person's data was erased already."))
    withdrawn = db.session.execute(
        sa.update(Consent)
        .where(
            Consent.participant_id == person.id,
            Consent.purpose == purpose,
            Consent.granted.is_(True),
            Consent.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=now)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if not withdrawn:
        raise DomainError(_l("The person has not given this consent, or withdrew it already."))
    phone_cleared = purpose == ConsentPurpose.FOLLOW_UP and person.phone is not None
    if purpose == ConsentPurpose.FOLLOW_UP:
        person.phone = None
        person.identity_key = person.name_key or person.identity_key
    db.session.flush()
    record(
        actor,
        "consent.withdrawn",
        person,
        participant=person.public_id,
        purpose=purpose,
        phone_cleared=phone_cleared,
    )
    close_open_requests(person, RequestKind.WITHDRAW_CONSENT, actor=actor, now=now, purpose=purpose)
    return withdrawn
