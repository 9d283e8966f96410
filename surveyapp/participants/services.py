"""Identifying trainees: finding or creating the one participant behind a person, recording
their consents and enrolling them in a class.

Functions take explicit arguments (the class, the typed fields, the secret, ``now``),
flush but never commit, and raise ``DomainError`` with the form field concerned.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.approvals import locks
from surveyapp.campaigns.models import Segment
from surveyapp.classes.models import TrainingClass
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.models import Locality, subtree_filter
from surveyapp.localities.text import fold
from surveyapp.participants import identity
from surveyapp.participants.consent import CONSENT_TEXT_VERSION
from surveyapp.participants.models import (
    Consent,
    ConsentPurpose,
    Enrolment,
    Gender,
    Participant,
)
from surveyapp.quality.duplicates import duplicate_group_of, flag_groups

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
FOLLOW_UP_TOKEN_LENGTH = 10
PUBLIC_ID_LENGTH = 10
NAME_MAX = 200
ORGANISATION_MAX = 200
OLDEST_BIRTH_YEAR = 1920
YOUNGEST_AGE = 6


@dataclass
class IdentityFields:
    """What a trainee types in to identify themselves."""

    full_name: str
    birth_year: int | None
    gender: str
    segment: str
    organisation: str = ""
    locality: Locality | None = None
    phone: str = ""
    follow_up: bool = False


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_token(token: str | None) -> str:
    return "".join((token or "").split()).replace("-", "").upper()


# ---------------------------------------------------------------- where a trainee lives


def area_of(cls: TrainingClass) -> Locality:
    """The unit whose communes a trainee of ``cls`` chooses from: the class's district
    (or province, since 2025) when the class sits in a commune, else the class's unit."""
    place = cls.locality
    has_children = db.session.scalar(sa.select(sa.exists().where(Locality.parent_id == place.id)))
    if not has_children and place.parent is not None:
        return place.parent
    return place


def communes_of(area: Locality) -> sa.Select:
    """``select(Locality)`` of the lowest-level units (communes, wards) under ``area``."""
    child = sa.orm.aliased(Locality)
    leaf = ~sa.exists().where(child.parent_id == Locality.id)
    return (
        sa.select(Locality)
        .where(subtree_filter(Locality.path, area.path), Locality.id != area.id, leaf)
        .order_by(Locality.search_name, Locality.id)
    )


# ---------------------------------------------------------------- checks


def _clean(fields: IdentityFields, now: datetime) -> tuple[IdentityFields, str | None]:
    name = identity.clean_name(fields.full_name)
    if not name:
        raise DomainError(_l("Please write your full name."), field="full_name")
    if len(name) > NAME_MAX:
        raise DomainError(_l("The name is too long."), field="full_name")
    youngest = now.year - YOUNGEST_AGE
    if fields.birth_year is None or not OLDEST_BIRTH_YEAR <= fields.birth_year <= youngest:
        raise DomainError(
            _l("Enter a year from %(a)s to %(b)s.", a=OLDEST_BIRTH_YEAR, b=youngest),
            field="birth_year",
        )
    if fields.gender not in set(Gender):
        raise DomainError(_l("Choose an answer from the list."), field="gender")
    if fields.segment not in set(Segment):
        raise DomainError(_l("Choose an answer from the list."), field="segment")
    organisation = identity.clean_name(fields.organisation)
    if len(organisation) > ORGANISATION_MAX:
        raise DomainError(_l("The name of the workplace is too long."), field="organisation")
    return (
        IdentityFields(
            name,
            fields.birth_year,
            fields.gender,
            fields.segment,
            organisation,
            fields.locality,
            "",
            fields.follow_up,
        ),
        _phone(fields),
    )


def _phone(fields: IdentityFields) -> str | None:
    typed = (fields.phone or "").strip()
    if not fields.follow_up:
        if typed:
            raise DomainError(
                _l(
                    "We keep a phone number only if you agree to be contacted. "
                    "Agree above or leave this field empty."
                ),
                field="phone",
            )
        return None
    phone = identity.normalise_phone(typed)
    if phone is None:
        raise DomainError(
            _l("Enter a Vietnamese phone number, for example 0912 345 678."), field="phone"
        )
    return phone


# ---------------------------------------------------------------- finding the person


def _same_person(candidate: Participant, fields: IdentityFields) -> bool:
    """A shared family phone must not merge two people: the name or birth year must agree."""
    return candidate.birth_year == fields.birth_year or fold(candidate.full_name) == fold(
        fields.full_name
    )


def find_participant(phone_key: str | None, name_key: str, fields: IdentityFields, phone):
    """The participant these details belong to, or None for a new person."""
    alive = Participant.erased_at.is_(None)
    if phone_key is not None:
        for candidate in db.session.scalars(
            sa.select(Participant)
            .where(Participant.identity_key == phone_key, alive)
            .order_by(Participant.id)
        ):
            if _same_person(candidate, fields):
                return candidate
    # Someone who gives a phone now is not the namesake who gave a different one.
    phone_agrees = (
        sa.true()
        if phone is None
        else sa.or_(Participant.phone.is_(None), Participant.phone == phone)
    )
    return db.session.scalar(
        sa.select(Participant)
        .where(Participant.name_key == name_key, alive, phone_agrees)
        .order_by(Participant.id)
        .limit(1)
    )


def _better_name(stored: str | None, typed: str) -> str:
    """The typed name, unless it is the stored one typed without its accents."""
    if stored and fold(stored) == fold(typed) and typed.isascii() and not stored.isascii():
        return stored
    return typed


def _new_participant() -> Participant:
    return Participant(
        public_id=random_code(PUBLIC_ID_LENGTH),
        follow_up_token=random_code(FOLLOW_UP_TOKEN_LENGTH),
    )


# ---------------------------------------------------------------- identification


def identify(
    cls: TrainingClass,
    fields: IdentityFields,
    *,
    evaluation_consent: bool,
    secret: str,
    now: datetime,
) -> Participant:
    """Find or create the person, store what they typed and their consents, enrol them.

    Without consent to the evaluation nothing may be stored: the caller ends the journey.
    """
    if not evaluation_consent:
        raise DomainError(
            _l("Without your agreement we cannot record your answers."), field="consent_evaluation"
        )
    fields, phone = _clean(fields, now)
    locality_id = fields.locality.id if fields.locality is not None else None
    nkey = identity.name_key(secret, fields.full_name, fields.birth_year, locality_id)
    pkey = identity.phone_key(secret, phone) if phone else None
    person = find_participant(pkey, nkey, fields, phone)
    if person is None:
        person = _new_participant()
        db.session.add(person)
    person.full_name = _better_name(person.full_name, fields.full_name)
    person.birth_year = fields.birth_year
    person.gender = fields.gender
    person.segment = fields.segment
    person.organisation = fields.organisation
    person.locality_id = locality_id
    person.phone = phone
    person.name_key = nkey
    person.identity_key = pkey or nkey
    db.session.flush()
    _record_consents(person, fields.follow_up, now)
    enrol(person, cls, now)
    _flag_if_duplicate(person, cls)
    return person


def _flag_if_duplicate(person: Participant, cls: TrainingClass) -> None:
    """When this person makes a group of probable duplicates in the class, the responses
    its members already sent get the flag now (a submission flags only its sender's group)."""
    group = duplicate_group_of(person, cls.id)
    if group:
        flag_groups([group], class_id=cls.id)


def _record_consents(person: Participant, follow_up: bool, now: datetime) -> None:
    if not follow_up:
        # Saying no now withdraws an earlier yes; the phone was cleared with it.
        db.session.execute(
            sa.update(Consent)
            .where(
                Consent.participant_id == person.id,
                Consent.purpose == ConsentPurpose.FOLLOW_UP,
                Consent.granted.is_(True),
                Consent.withdrawn_at.is_(None),
            )
            .values(withdrawn_at=now)
            .execution_options(synchronize_session=False)
        )
    for purpose, granted in (
        (ConsentPurpose.EVALUATION, True),
        (ConsentPurpose.FOLLOW_UP, follow_up),
    ):
        db.session.add(
            Consent(
                participant_id=person.id,
                purpose=purpose,
                granted=granted,
                text_version=CONSENT_TEXT_VERSION,
                at=now,
            )
        )
    db.session.flush()


def enrol(person: Participant, cls: TrainingClass, now: datetime) -> Enrolment:
    """The person's enrolment in ``cls``, made on first identification (and held when it
    would add a learner to approved figures: ``approvals.locks.hold_if_late_learner``)."""
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(
            Enrolment.participant_id == person.id, Enrolment.class_id == cls.id
        )
    )
    if enrolment is None:
        enrolment = Enrolment(participant_id=person.id, class_id=cls.id, enrolled_at=now)
        db.session.add(enrolment)
        db.session.flush()
        if locks.hold_if_late_learner(enrolment, cls) is not None:  # into approved figures
            db.session.flush()
    return enrolment


def enrolled_person(participant_id: int, class_id: int) -> Participant | None:
    """The participant, if not erased and enrolled in the class (one query)."""
    return db.session.scalar(
        _ENROLLED_PERSON, {"participant_id": participant_id, "class_id": class_id}
    )


_ENROLLED_PERSON = (
    sa.select(Participant)
    .join(Enrolment, Enrolment.participant_id == Participant.id)
    .where(
        Participant.id == sa.bindparam("participant_id"),
        Participant.erased_at.is_(None),
        Enrolment.class_id == sa.bindparam("class_id"),
    )
)


def is_enrolled(participant_id: int, class_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(Enrolment.id).where(
                Enrolment.participant_id == participant_id, Enrolment.class_id == class_id
            )
        )
        is not None
    )


def by_follow_up_token(token: str | None) -> Participant | None:
    """The (not erased) participant of a personal follow-up code, typed in any case."""
    token = normalise_token(token)
    if not token or "\x00" in token:  # no code holds NUL (PostgreSQL cannot even compare it)
        return None
    return db.session.scalar(
        sa.select(Participant).where(
            Participant.follow_up_token == token, Participant.erased_at.is_(None)
        )
    )
