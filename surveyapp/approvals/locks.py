"""Approved periods are locked: what that means for responses arriving or changing later.

A response counts in a locality's figures for a period when its class lies in the
locality's subtree (the class's locality, or any of its ancestors, is the approved one),
the class belongs to the approved campaign and the response's submission date (UTC, as the
figures count it) lies in the period. Then:

- a response *submitted* into a locked period is stored but held: flagged
  ``late_for_approved_period`` and excluded until a reviewer keeps it (``hold_if_late``,
  called when a submission is stored, ``responses.services.store``);
- keeping it, and any change that would move a counted response's part of the figures
  (hand marking, an answer-key correction, excluding or restoring it), is refused with
  ``Locked`` (HTTP 409) until the approver returns (reopens) the figures;
- a core member, class or material added, removed, or moved to another place or date, where
  its place and date lie in a locked period, is refused the same way
  (``refuse_if_registered_in_locked``);
- a person who first comes into the campaign (their home enrolment) in a class and on a day
  of a locked period is enrolled but held (``hold_if_late_learner``): they count as no
  learner anywhere until the approval is returned, when ``release_learners`` lets them in.

Services here flush nothing and never commit; they read no request.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from surveyapp.audit.services import record
from surveyapp.classes.models import TrainingClass
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.indicators.sql_dates import utc_date
from surveyapp.localities.models import Locality
from surveyapp.participants.models import Enrolment
from surveyapp.quality.checks import merge_flags
from surveyapp.quality.flags import LATE_FOR_APPROVED_PERIOD
from surveyapp.responses.models import Response
from surveyapp.templating import dmy

from .models import ApprovalStatus, FigureApproval


class Locked(DomainError):
    status_code = 409


def utc_day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def _covering(day_expr):
    """Select of approved periods covering ``day_expr`` for the class joined as
    ``TrainingClass`` (same campaign, the class's locality in the approved subtree)."""
    class_place = aliased(Locality, name="class_place")
    approved_place = aliased(Locality, name="approved_place")
    return (
        sa.select(FigureApproval)
        .join(TrainingClass, TrainingClass.campaign_id == FigureApproval.campaign_id)
        .join(class_place, class_place.id == TrainingClass.locality_id)
        .join(approved_place, approved_place.id == FigureApproval.locality_id)
        .where(
            FigureApproval.status == ApprovalStatus.APPROVED,
            FigureApproval.period_start <= day_expr,
            FigureApproval.period_end >= day_expr,
            class_place.path.startswith(approved_place.path),
        )
    )


def locking_approval(class_id: int | None, day: date | None) -> FigureApproval | None:
    """The approved period that a response of class ``class_id`` sent on ``day`` falls in."""
    if class_id is None or day is None:
        return None
    return db.session.scalar(
        _covering(day)
        .where(TrainingClass.id == class_id)
        .order_by(FigureApproval.decided_at, FigureApproval.id)
        .limit(1)
    )


def approval_at(campaign_id: int, locality: Locality, day: date) -> FigureApproval | None:
    """The approved period of the campaign covering ``day`` at ``locality`` or above it."""
    approved_place = aliased(Locality, name="approved_place")
    return db.session.scalar(
        sa.select(FigureApproval)
        .join(approved_place, approved_place.id == FigureApproval.locality_id)
        .where(
            FigureApproval.campaign_id == campaign_id,
            FigureApproval.status == ApprovalStatus.APPROVED,
            FigureApproval.period_start <= day,
            FigureApproval.period_end >= day,
            sa.literal(locality.path).startswith(approved_place.path),
        )
        .order_by(FigureApproval.decided_at, FigureApproval.id)
        .limit(1)
    )


def approval_of(response: Response) -> FigureApproval | None:
    return locking_approval(response.class_id, utc_day(response.submitted_at))


def locked_message(approval: FigureApproval) -> str:
    return _(
        "The figures of %(place)s for %(start)s to %(end)s were approved, and this change"
        " would alter them. Ask the approver to return (reopen) them first.",
        place=approval.locality.name,
        start=dmy(approval.period_start),
        end=dmy(approval.period_end),
    )


def refuse_if_locked(response: Response, *, counted_only: bool = True) -> None:
    """``Locked`` when ``response`` lies in an approved period. With ``counted_only`` an
    excluded response (which counts in no figure) is never refused."""
    if counted_only and response.excluded:
        return
    approval = approval_of(response)
    if approval is not None:
        raise Locked(locked_message(approval))


def refuse_if_version_locked(version_id: int) -> None:
    """``Locked`` when a counted response of the version lies in an approved period (an
    answer-key correction rescores every response of the version)."""
    approval = db.session.scalar(
        _covering(utc_date(Response.submitted_at))
        .join(Response, Response.class_id == TrainingClass.id)
        .where(Response.version_id == version_id, Response.excluded.is_(False))
        .limit(1)
    )
    if approval is not None:
        raise Locked(locked_message(approval))


def refuse_if_registered_in_locked(
    campaign_id: int,
    before: tuple[Locality, date] | None,
    after: tuple[Locality, date] | None,
) -> None:
    """``Locked`` when a core member, class or material counted at ``(place, date)``
    ``before`` the change (None: it is new) and ``after`` it (None: it is removed) moves the
    figures of an approved period: it leaves one, enters one, or is added or removed in one.
    A change that keeps place and date (a name, a title) moves no figure."""
    if before is not None and after is not None:
        (place_then, day_then), (place_now, day_now) = before, after
        if (place_then.id, day_then) == (place_now.id, day_now):
            return
    for counted in (before, after):
        if counted is None or counted[0] is None or counted[1] is None:
            continue
        approval = approval_at(campaign_id, *counted)
        if approval is not None:
            raise Locked(locked_message(approval))


# ---------------------------------------------------------------- held learners


def hold_if_late_learner(enrolment: Enrolment, cls: TrainingClass) -> FigureApproval | None:
    """Hold a new enrolment that makes its person a learner of the campaign (their first
    enrolment in it) on a day and in a class of an approved period; return that approval."""
    earlier = db.session.scalar(
        sa.select(Enrolment.id)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .where(
            Enrolment.participant_id == enrolment.participant_id,
            Enrolment.id != enrolment.id,
            TrainingClass.campaign_id == cls.campaign_id,
        )
        .limit(1)
    )
    if earlier is not None:
        return None  # not their home enrolment: the learner was counted already
    approval = approval_at(cls.campaign_id, cls.locality, utc_day(enrolment.enrolled_at))
    if approval is None:
        return None
    enrolment.held_for_id = approval.id
    record(
        None,
        "enrolment.held",
        enrolment,
        class_id=cls.id,
        locality_id=approval.locality_id,
        approval_id=approval.id,
    )
    return approval


def held_learner_count(approval: FigureApproval) -> int:
    """How many people wait, held for ``approval``, to count as learners."""
    found = db.session.scalar(
        sa.select(sa.func.count(Enrolment.id)).where(Enrolment.held_for_id == approval.id)
    )
    return found or 0


def release_learners(approval: FigureApproval) -> int:
    """Let in the learners held for ``approval`` (just returned); one still inside another
    approved period stays held for that one. Returns how many now count."""
    held = db.session.scalars(
        sa.select(Enrolment).where(Enrolment.held_for_id == approval.id).order_by(Enrolment.id)
    ).all()
    released = 0
    for enrolment in held:
        cls = db.session.get(TrainingClass, enrolment.class_id)
        other = approval_at(cls.campaign_id, cls.locality, utc_day(enrolment.enrolled_at))
        enrolment.held_for_id = other.id if other is not None else None
        released += other is None
    return released


# ---------------------------------------------------------------- held responses


def is_held(response: Response) -> bool:
    """Held: sent into a locked period, excluded, and no reviewer has decided yet."""
    return (
        LATE_FOR_APPROVED_PERIOD in (response.flags or [])
        and response.excluded
        and response.reviewed_at is None
    )


def hold_if_late(response: Response) -> FigureApproval | None:
    """Hold ``response`` (just stored) when it falls in an approved period; return that
    approval. The approved figures then do not move."""
    approval = approval_of(response)
    if approval is None:
        return None
    response.flags = merge_flags(response.flags, [LATE_FOR_APPROVED_PERIOD])
    response.excluded = True
    response.exclusion_note = _(
        "Held for review: sent after the figures of %(start)s to %(end)s were approved.",
        start=dmy(approval.period_start),
        end=dmy(approval.period_end),
    )
    response.reviewed_at = None
    response.reviewed_by_id = None
    record(
        None,
        "response.held",
        response,
        locality_id=approval.locality_id,
        approval_id=approval.id,
    )
    return approval


def release_held(response: Response, actor, *, now: datetime) -> Response:
    """Keep a held response: it counts from now on. Refused while its period is locked."""
    refuse_if_locked(response, counted_only=False)
    response.excluded = False
    response.exclusion_note = ""
    response.reviewed_at = now
    response.reviewed_by_id = actor.id
    record(actor, "response.released", response)
    return response
