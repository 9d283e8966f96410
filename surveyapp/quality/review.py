"""Data quality for the rest of the app: the review queue, the campaign scan, the
reviewer's actions (confirm, exclude, restore; each audited) and the counts reports show.

A flag only asks a person to look. The trainer or coordinator then keeps the response
(``confirm``) or excludes it with a reason (``exclude``); an excluded response keeps its
answers but leaves every figure (figures filter ``Response.excluded``), and ``restore``
brings it back. Functions flush but never commit and take the actor and ``now``. The
flags of a submission are judged when it is stored (``responses.services.prepare``).
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import Role, User
from surveyapp.approvals import locks
from surveyapp.audit.services import record
from surveyapp.classes.models import TrainingClass
from surveyapp.classes.services import visible_classes
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.models import Locality, LocalityCrosswalk, subtree_filter
from surveyapp.quality import flags
from surveyapp.quality.checks import rescan_class_forms
from surveyapp.quality.duplicates import duplicate_groups, flag_groups
from surveyapp.responses.models import Answer, Response
from surveyapp.security import Scope

REVIEWERS = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER)
REASON_MAX = 500

FLAG_LABELS = {
    flags.TOO_FAST: _l("Finished much faster than the form can be read"),
    flags.STRAIGHT_LINING: _l("The same answer to every statement of a block"),
    flags.PROBABLE_DUPLICATE: _l("Probably the same person entered twice"),
    flags.LATE_FOR_APPROVED_PERIOD: _l("Sent after the figures of its period were approved"),
}


class Tab(enum.StrEnum):
    PENDING = "pending"
    REVIEWED = "reviewed"
    EXCLUDED = "excluded"


class Action(enum.StrEnum):
    CONFIRM = "confirm"
    EXCLUDE = "exclude"
    RESTORE = "restore"


# ---------------------------------------------------------------- on submission


@dataclass(frozen=True)
class ScanResult:
    classes: int
    paced_or_straight: int
    duplicate_groups: int
    duplicate_responses: int


def scan_campaign(campaign) -> ScanResult:
    """Judge every response of the campaign again (pace against the whole class form,
    straight-lining) and look for duplicate people across all its classes.

    Flags are only added; a response that gets a new flag returns to the review queue.
    """
    class_ids = db.session.scalars(
        sa.select(TrainingClass.id)
        .where(TrainingClass.campaign_id == campaign.id)
        .order_by(TrainingClass.id)
    ).all()
    changed = rescan_class_forms(class_ids)
    groups = duplicate_groups(campaign_id=campaign.id)
    flagged = flag_groups(groups, campaign_id=campaign.id)
    db.session.flush()
    return ScanResult(len(class_ids), changed, len(groups), flagged)


# ---------------------------------------------------------------- conditions


def flagged_condition():
    """SQL: the response carries at least one flag (a non-empty JSON list of codes)."""
    return sa.cast(Response.flags, sa.Text).like('%"%')


def has_flag_condition(code: str):
    return sa.cast(Response.flags, sa.Text).like(f'%"{code}"%')


def pending_condition():
    """Flagged and not reviewed: counted responses, and those held as late for an approved
    period (excluded until a reviewer decides)."""
    return sa.and_(
        flagged_condition(),
        Response.reviewed_at.is_(None),
        sa.or_(~Response.excluded, has_flag_condition(flags.LATE_FOR_APPROVED_PERIOD)),
    )


TAB_CONDITIONS = {
    Tab.PENDING: pending_condition,
    Tab.REVIEWED: lambda: sa.and_(Response.reviewed_at.is_not(None), ~Response.excluded),
    Tab.EXCLUDED: lambda: Response.excluded.is_(True),
}


def reviewable_class_ids(user: User, scope: Scope) -> sa.Select:
    """Ids of the classes whose responses ``user`` reviews: a trainer the classes they
    teach, a coordinator the classes inside their scope, an admin every class."""
    if user.role not in REVIEWERS:
        return sa.select(TrainingClass.id).where(sa.false())
    return visible_classes(user, scope).with_only_columns(TrainingClass.id)


def review_queue(
    user: User,
    scope: Scope,
    *,
    tab: str = Tab.PENDING,
    campaign_id: int | None = None,
    class_id: int | None = None,
    flag: str | None = None,
) -> sa.Select:
    """``select(Response)`` of one tab of the review page, newest first."""
    query = sa.select(Response).where(
        Response.class_id.in_(reviewable_class_ids(user, scope)), TAB_CONDITIONS[Tab(tab)]()
    )
    if campaign_id is not None:
        query = query.where(
            Response.class_id.in_(
                sa.select(TrainingClass.id).where(TrainingClass.campaign_id == campaign_id)
            )
        )
    if class_id is not None:
        query = query.where(Response.class_id == class_id)
    if flag:
        query = query.where(has_flag_condition(flag))
    return query.order_by(Response.submitted_at.desc(), Response.id.desc())


def reviewable_response(user: User, scope: Scope, response_id: int) -> Response | None:
    """The response if ``user`` may review it, else None."""
    return db.session.scalar(
        sa.select(Response).where(
            Response.id == response_id, Response.class_id.in_(reviewable_class_ids(user, scope))
        )
    )


# ---------------------------------------------------------------- actions


def _mark_reviewed(response: Response, actor: User, now: datetime) -> None:
    response.reviewed_at = now
    response.reviewed_by_id = actor.id


def confirm(response: Response, actor: User, *, now: datetime) -> Response:
    """Keep the response: its flags were looked at and it counts."""
    if locks.is_held(response):  # refused while its period's figures stay approved
        locks.release_held(response, actor, now=now)
        db.session.flush()
        return response
    if response.excluded:
        raise DomainError(_l("This response is excluded. Restore it to count it again."))
    _mark_reviewed(response, actor, now)
    record(actor, "response.confirmed", response, flags=list(response.flags or []))
    db.session.flush()
    return response


def clean_reason(reason: str | None) -> str:
    """The reason as stored; a DomainError (on field ``reason``) when empty or too long."""
    text = " ".join((reason or "").split())
    if not text:
        raise DomainError(_l("Please write why this response is excluded."), field="reason")
    if len(text) > REASON_MAX:
        raise DomainError(
            _l("Please keep the reason under %(n)s characters.", n=REASON_MAX), field="reason"
        )
    return text


def exclude(response: Response, actor: User, *, reason: str, now: datetime) -> Response:
    """Exclude the response from every figure, with a reason (its answers are kept)."""
    text = clean_reason(reason)
    locks.refuse_if_locked(response)  # a counted response of an approved period
    response.excluded = True
    response.exclusion_note = text
    _mark_reviewed(response, actor, now)
    record(actor, "response.excluded", response, reason=text, flags=list(response.flags or []))
    db.session.flush()
    return response


def restore(response: Response, actor: User, *, now: datetime) -> Response:
    """Count an excluded response again (it stays reviewed)."""
    if not response.excluded:
        raise DomainError(_l("This response is not excluded."))
    locks.refuse_if_locked(response, counted_only=False)
    before = response.exclusion_note
    response.excluded = False
    response.exclusion_note = ""
    _mark_reviewed(response, actor, now)
    record(actor, "response.restored", response, previous_reason=before)
    db.session.flush()
    return response


def apply_action(
    response: Response, actor: User, action: str, *, reason: str = "", now: datetime
) -> Response:
    """Run one reviewer action by name; an unknown name is a DomainError (HTTP 400)."""
    if action == Action.CONFIRM:
        return confirm(response, actor, now=now)
    if action == Action.EXCLUDE:
        return exclude(response, actor, reason=reason, now=now)
    if action == Action.RESTORE:
        return restore(response, actor, now=now)
    raise DomainError(_l("Choose keep, exclude or restore."), field="action")


# ---------------------------------------------------------------- counts


def _in_subtree(class_locality_id, head: Locality):
    """A class locality inside ``head``'s subtree, directly or through the crosswalk
    (an older-scheme unit taken over as a whole by a unit of the subtree)."""
    inside = sa.select(Locality.id).where(subtree_filter(Locality.path, head.path))
    mapped = (
        sa.select(LocalityCrosswalk.old_id)
        .join(Locality, Locality.id == LocalityCrosswalk.new_id)
        .where(subtree_filter(Locality.path, head.path), LocalityCrosswalk.partial.is_(False))
    )
    return sa.or_(class_locality_id.in_(inside), class_locality_id.in_(mapped))


def excluded_count(campaign, head: Locality) -> int:
    """Excluded responses of the campaign's classes located in ``head``'s subtree."""
    classes = sa.select(TrainingClass.id).where(
        TrainingClass.campaign_id == campaign.id, _in_subtree(TrainingClass.locality_id, head)
    )
    return db.session.scalar(
        sa.select(sa.func.count(Response.id)).where(
            Response.excluded.is_(True), Response.class_id.in_(classes)
        )
    )


def flagged_pending_count(scope: Scope, user: User | None = None) -> int:
    """Flagged responses nobody has reviewed yet, in classes inside ``scope`` (and, for a
    trainer given as ``user``, only the classes they teach): for badges."""
    if user is not None:
        classes = reviewable_class_ids(user, scope)
    else:
        classes = (
            sa.select(TrainingClass.id)
            .join(Locality, Locality.id == TrainingClass.locality_id)
            .where(scope.condition(Locality.path))
        )
    return db.session.scalar(
        sa.select(sa.func.count(Response.id)).where(
            pending_condition(), Response.class_id.in_(classes)
        )
    )


# ---------------------------------------------------------------- pace, for the pages


@dataclass(frozen=True)
class Pace:
    """How long a response took against what was expected of it."""

    seconds: int | None
    answered: int
    floor_seconds: float
    form_median: float | None

    @property
    def expected_seconds(self) -> float:
        """The quickest plausible time: the per-item floor, or the share of the median."""
        median_floor = flags.SHARE_OF_MEDIAN * self.form_median if self.form_median else 0.0
        return max(self.floor_seconds, median_floor)


def answered_counts(response_ids: Sequence[int]) -> dict[int, int]:
    """Answers stored per response, in one GROUP BY."""
    if not response_ids:
        return {}
    rows = db.session.execute(
        sa.select(Answer.response_id, sa.func.count(Answer.id))
        .where(Answer.response_id.in_(list(response_ids)))
        .group_by(Answer.response_id)
    ).all()
    return dict(rows)


def pace_of(response: Response, answered: int, form_median: float | None = None) -> Pace:
    return Pace(
        response.duration_seconds, answered, flags.MIN_SECONDS_PER_ITEM * answered, form_median
    )


def form_median(response: Response) -> float | None:
    """Median duration of the counted, timed responses to the response's class form, when
    there are enough of them to mean something (as ``flags.too_fast`` requires)."""
    if response.class_form_id is None:
        return None
    durations = db.session.scalars(
        sa.select(Response.duration_seconds).where(
            Response.class_form_id == response.class_form_id,
            Response.duration_seconds.is_not(None),
            Response.excluded.is_(False),
        )
    ).all()
    if len(durations) < flags.MIN_RESPONSES_FOR_MEDIAN:
        return None
    return float(statistics.median(durations))
