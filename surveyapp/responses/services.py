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
from types import SimpleNamespace
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import User
from surveyapp.approvals import locks
from surveyapp.approvals.models import ApprovalStatus, FigureApproval
from surveyapp.classes.models import TrainingClass
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.instruments import engine, snapshots
from surveyapp.instruments.services import freeze
from surveyapp.participants.models import Participant
from surveyapp.quality.checks import merge_flags, submission_flags
from surveyapp.quality.duplicates import duplicate_group_of, flag_groups
from surveyapp.responses.models import Answer, ClassForm, Response

# No 0/O, 1/I/L: a trainee reads the code aloud or shows it to the trainer.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 7
RECEIPT_ATTEMPTS = 10


class Conflict(DomainError):
    status_code = 409


class Stored:
    """A stored submission: its receipt code at once, the ``Response`` when asked for (the
    trainee's receipt needs only the code; loading the row would be one more query)."""

    def __init__(self, response_id: int, receipt_code: str, created: bool):
        self.response_id = response_id
        self.receipt_code = receipt_code
        self.created = created

    @property
    def response(self) -> Response:
        return db.session.get(Response, self.response_id)


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def by_submission_id(submission_id: str) -> Response | None:
    return db.session.scalar(_BY_SUBMISSION_ID, {"submission_id": submission_id})


_BY_SUBMISSION_ID = sa.select(Response).where(
    Response.submission_id == sa.bindparam("submission_id")
)


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


@dataclass
class Prepared:
    """A submission checked, scored and judged, ready to be written (see ``prepare``)."""

    form: ClassForm
    participant: Participant
    fields: dict  # the Response's columns
    answer_rows: list[dict]  # the Answer rows, without their response id
    flags: list[str]  # too fast, straight-lined
    duplicate_groups: list  # probable duplicate people of the class
    late: bool  # sent into a period whose figures were approved: to be held


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
    a new ``submission_id``, returns the first response's receipt. The same as
    ``store(prepare(...))``; a view under load calls the two with
    ``transactions.start_writing()`` in between, so that only ``store`` holds the write lock.
    """
    return store(
        prepare(
            form,
            participant,
            answers,
            submission_id=submission_id,
            started_at=started_at,
            now=now,
            assisted_by=assisted_by,
        )
    )


def prepare(
    form: ClassForm,
    participant: Participant,
    answers: dict[str, object],
    *,
    submission_id: str,
    started_at: datetime | None,
    now: datetime,
    assisted_by: User | None = None,
    place: Place | None = None,
) -> Prepared:
    """Everything that only reads: the score, the rows, the data-quality judgement (pace
    against the class form's other responses, straight-lining, the sender's group of
    probable duplicates in the class), and whether the figures of its period are approved,
    so it must be held (``approvals.locks.hold_if_late``); made before the write.

    ``place``: the form's ``Place`` when the caller read it with the class; else read here.
    """
    items = snapshots.items_of(form.version)
    place = place if place is not None else _place_of(form)
    fields, rows = _build(form, items, participant, answers, submission_id, started_at, now, place)
    fields["assisted_by_id"] = assisted_by.id if assisted_by is not None else None
    judged = SimpleNamespace(id=None, **fields)  # what the checks read of a response
    found = submission_flags(judged, items, answers)
    group = duplicate_group_of(participant, form.class_id) if form.class_id is not None else set()
    groups = [group] if group else []
    late = place.any_approved and locks.approval_of(judged) is not None
    return Prepared(form, participant, fields, rows, found, groups, late)


class _Sent(NamedTuple):
    """What a stored response tells about itself to a retry (see ``check_same_sender``)."""

    id: int
    receipt_code: str
    submission_id: str
    participant_id: int | None
    class_form_id: int | None


_RESPONSE = Response.__table__
_SENT = sa.select(
    _RESPONSE.c.id,
    _RESPONSE.c.receipt_code,
    _RESPONSE.c.submission_id,
    _RESPONSE.c.participant_id,
    _RESPONSE.c.class_form_id,
)
_ALREADY = _SENT.where(
    sa.or_(
        _RESPONSE.c.submission_id == sa.bindparam("submission_id"),
        sa.and_(
            _RESPONSE.c.participant_id == sa.bindparam("participant_id"),
            _RESPONSE.c.class_form_id == sa.bindparam("class_form_id"),
        ),
    )
).order_by(_RESPONSE.c.id)


def _insert_response_statement() -> sa.TextClause:
    """``INSERT INTO response (...) VALUES (...) ON CONFLICT DO NOTHING RETURNING id``.

    The same text on SQLite and PostgreSQL, every column bound with its own type: a unique
    key already taken (the same submission, the same person and form, the receipt code)
    inserts nothing and returns no id, so no savepoint is needed to go on with the
    transaction (SQLAlchemy cannot cache ``on_conflict_do_nothing()``, hence the text).
    """
    columns = [column for column in _RESPONSE.c if not column.primary_key]
    names = ", ".join(column.name for column in columns)
    values = ", ".join(f":{column.name}" for column in columns)
    return (
        sa.text(
            f"INSERT INTO {_RESPONSE.name} ({names}) VALUES ({values}) "  # noqa: S608 (schema names)
            f"ON CONFLICT DO NOTHING RETURNING id"
        )
        .bindparams(*(sa.bindparam(column.name, type_=column.type) for column in columns))
        .columns(id=sa.Integer)
    )


_INSERT_RESPONSE = _insert_response_statement()
# Values of the columns a new response does not set itself (their column defaults).
_UNSET = {
    column.name: column.default.arg if column.default is not None else None
    for column in _RESPONSE.c
    if not column.primary_key and not callable(getattr(column.default, "arg", None))
}


def _already(submission_id: str, participant: Participant, form: ClassForm) -> _Sent | None:
    """A response stored with this submission id, or this person's earlier one to the form
    (one query); a submission id of someone else's response is a conflict."""
    params = {
        "submission_id": submission_id,
        "participant_id": participant.id,
        "class_form_id": form.id,
    }
    found = [_Sent(*row) for row in db.session.connection().execute(_ALREADY, params)]
    for response in found:
        if response.submission_id == submission_id:
            check_same_sender(response, participant, form)
            return response
    return found[0] if found else None


def store(prepared: Prepared) -> Stored:
    """Write a prepared submission once (never commits).

    Core statements on the session's connection: the response (its flags already merged),
    then all its answers in one statement. A unique key already taken (a retry of the same
    submission, this person's earlier response to the form, a concurrent twin of either)
    inserts nothing: that response is found and returned; a taken receipt code is drawn
    anew. Nothing is read before the insert: on SQLite this runs holding the write lock.
    """
    form, participant = prepared.form, prepared.participant
    submission_id = prepared.fields["submission_id"]
    fields = {**_UNSET, **prepared.fields, "flags": merge_flags([], prepared.flags)}
    connection = db.session.connection()
    for _attempt in range(RECEIPT_ATTEMPTS):
        receipt_code = new_receipt_code()
        row = {**fields, "receipt_code": receipt_code}
        response_id = connection.execute(_INSERT_RESPONSE, row).scalar()
        if response_id is None:  # a unique key is taken
            existing = _already(submission_id, participant, form)
            if existing is not None:  # the same submission, or this person's, won a race
                return Stored(existing.id, existing.receipt_code, False)
            continue  # the receipt code was taken: draw another
        _write_answers(response_id, prepared.answer_rows)
        freeze(form.version, prepared.fields["submitted_at"])  # the version may no longer change
        _flag_others(response_id, prepared)
        db.session.flush()  # the version's freezing, the other flags: written, not committed
        return Stored(response_id, receipt_code, True)
    raise DomainError(_l("The form could not be saved. Please send it again."))


def _write_answers(response_id: int, rows: list[dict]) -> None:
    """All answers in one statement (no ids read back: nothing here needs them)."""
    if rows:
        rows = [{**row, "response_id": response_id} for row in rows]
        db.session.connection().execute(sa.insert(Answer.__table__), rows)


def _flag_others(response_id: int, prepared: Prepared) -> None:
    """The rare writes beyond the response: the probable duplicates' responses (this one
    among them) and the hold of a response sent into an approved period."""
    class_id = prepared.fields["class_id"]
    if prepared.duplicate_groups and class_id is not None:
        flag_groups(prepared.duplicate_groups, class_id=class_id)
    if prepared.late:
        locks.hold_if_late(db.session.get(Response, response_id))


def _build(
    form, items, participant, answers, submission_id, started_at, now, place
) -> tuple[dict, list]:
    result = engine.score(items, answers)
    scored = result.max_score is not None and result.max_score > 0
    fields = dict(
        submission_id=submission_id,
        receipt_code="",
        class_id=form.class_id,
        version_id=form.version_id,
        class_form_id=form.id,
        moment=form.moment,
        participant_id=participant.id,
        locality_id=place.locality_id,
        started_at=started_at,
        submitted_at=now,
        received_at=now,
        duration_seconds=_duration(started_at, now),
        score=result.score if scored else None,
        max_score=result.max_score if scored else None,
        flags=[],
    )
    rows = [
        dict(item_id=row.item.id, value=jsonable(row.value), number=row.number, points=row.points)
        for row in engine.answer_rows(items, answers)
    ]
    return fields, rows


class Place(NamedTuple):
    """Where a class form's responses count: the class's locality, and whether its campaign
    has approved figures at all (without any, no response can fall in a locked period)."""

    locality_id: int | None
    any_approved: bool


_CLASS = TrainingClass.__table__
_APPROVAL = FigureApproval.__table__


def any_approved(campaign_id_column) -> sa.Exists:
    """SQL: whether some figures of the campaign in ``campaign_id_column`` are approved (a
    column of a query's own, so a caller can read it with the class; see ``Place``)."""
    return (
        sa.select(_APPROVAL.c.id)
        .where(
            _APPROVAL.c.campaign_id == campaign_id_column,
            _APPROVAL.c.status == ApprovalStatus.APPROVED.value,
        )
        .exists()
    )


_PLACE = sa.select(_CLASS.c.locality_id, any_approved(_CLASS.c.campaign_id)).where(
    _CLASS.c.id == sa.bindparam("class_id")
)


def _place_of(form: ClassForm) -> Place:
    """The ``Place`` of the form's class (one query)."""
    if form.class_id is None:
        return Place(None, False)
    row = db.session.connection().execute(_PLACE, {"class_id": form.class_id}).first()
    return Place(row[0], bool(row[1])) if row is not None else Place(None, False)


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
