"""Storing a trainee's submission exactly once, with its score and a receipt code.

A submission carries a ``submission_id`` made when the form was first shown; however many
times it arrives (a retry on a weak network, a double tap), one ``Response`` is stored and
every later arrival gets the same receipt back. The function flushes but never commits:
the view commits once, so a submission is one transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from surveyapp.accounts.models import User
from surveyapp.classes.models import TrainingClass
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.instruments import engine
from surveyapp.instruments.services import freeze
from surveyapp.participants.models import Participant
from surveyapp.quality import review
from surveyapp.responses.models import Answer, ClassForm, Response

# No 0/O, 1/I/L: a trainee reads the code aloud or shows it to the trainer.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 7
RECEIPT_ATTEMPTS = 10


class Conflict(DomainError):
    status_code = 409


@dataclass
class Stored:
    response: Response
    created: bool


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def by_submission_id(submission_id: str) -> Response | None:
    return db.session.scalar(sa.select(Response).where(Response.submission_id == submission_id))


def previous_response(participant_id: int, form: ClassForm) -> Response | None:
    """The response this person already sent to this class form, if any (the skill test
    before and after the class are two class forms: one response each)."""
    return db.session.scalar(
        sa.select(Response)
        .where(Response.participant_id == participant_id, Response.class_form_id == form.id)
        .order_by(Response.id)
        .limit(1)
    )


def check_same_sender(response: Response, participant: Participant, form: ClassForm) -> Response:
    """The stored response if it is this person's answer to this class form; else a conflict."""
    if (response.participant_id, response.class_form_id) != (participant.id, form.id):
        raise Conflict(_l("This form was already sent from another device. Please reload it."))
    return response


def store_submission(
    form: ClassForm,
    participant: Participant,
    answers: dict[str, object],
    *,
    submission_id: str,
    started_at: datetime | None,
    now: datetime,
    assisted_by: User | None = None,
) -> Stored:
    """Store the (already validated) ``answers`` once; return the response and whether it is new.

    One response per person and class form (not per version: the skill test is taken
    before and after the class): a second sending to the same class form, with the same or
    a new ``submission_id``, returns the first response's receipt.
    """
    existing = by_submission_id(submission_id)
    if existing is not None:
        return Stored(check_same_sender(existing, participant, form), False)
    earlier = previous_response(participant.id, form)
    if earlier is not None:
        return Stored(earlier, False)
    for _attempt in range(RECEIPT_ATTEMPTS):
        response = _build(form, participant, answers, submission_id, started_at, now)
        response.assisted_by_id = assisted_by.id if assisted_by is not None else None
        try:
            with db.session.begin_nested():
                db.session.add(response)
                db.session.flush()
        except IntegrityError:
            existing = by_submission_id(submission_id)
            if existing is not None:  # the same submission arrived twice at once
                return Stored(check_same_sender(existing, participant, form), False)
            earlier = previous_response(participant.id, form)
            if earlier is not None:  # another sending of this person's form won the race
                return Stored(earlier, False)
            continue  # the receipt code was taken: draw another
        freeze(form.version, now)  # answers exist: the version may no longer change
        review.flag_submission(response, form.version.items, answers)
        db.session.flush()
        return Stored(response, True)
    raise DomainError(_l("The form could not be saved. Please send it again."))


def _build(form, participant, answers, submission_id, started_at, now) -> Response:
    items = form.version.items
    result = engine.score(items, answers)
    scored = result.max_score is not None and result.max_score > 0
    response = Response(
        submission_id=submission_id,
        receipt_code=new_receipt_code(),
        class_id=form.class_id,
        version_id=form.version_id,
        class_form_id=form.id,
        moment=form.moment,
        participant_id=participant.id,
        locality_id=_class_locality(form),
        started_at=started_at,
        submitted_at=now,
        received_at=now,
        duration_seconds=_duration(started_at, now),
        score=result.score if scored else None,
        max_score=result.max_score if scored else None,
        flags=[],
    )
    for row in engine.answer_rows(items, answers):
        response.answers.append(
            Answer(
                item_id=row.item.id, value=jsonable(row.value), number=row.number, points=row.points
            )
        )
    return response


def _class_locality(form: ClassForm) -> int | None:
    return db.session.scalar(
        sa.select(TrainingClass.locality_id).where(TrainingClass.id == form.class_id)
    )


def _duration(started_at: datetime | None, now: datetime) -> int | None:
    if started_at is None:
        return None
    return max(0, int((now - started_at).total_seconds()))


def jsonable(value):
    """An answer as JSON: numbers stay numbers, dates become ISO ``yyyy-mm-dd``."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value
