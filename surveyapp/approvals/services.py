"""Submitting a locality's figures, approving or returning them, and reading approvals.

Who: a coordinator (or admin) whose scope holds the locality submits its figures; a
coordinator or admin whose scope holds the locality's PARENT decides (a top-level
locality has no parent: only an admin decides), never the person who submitted them.
An approved submission can be returned (reopened) by whoever may decide, which unlocks
its period. Every step is audited. Functions flush but never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from surveyapp.accounts.models import Role, User
from surveyapp.audit.services import record
from surveyapp.campaigns.models import Campaign
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.localities.models import Locality
from surveyapp.security import MANAGERS, Scope
from surveyapp.templating import dmy

from . import locks, snapshot
from .models import ApprovalStatus, FigureApproval

NOTE_MAX = 1000


class Conflict(DomainError):
    status_code = 409


# ---------------------------------------------------------------- who may do what


def may_submit(user: User, scope: Scope, locality: Locality) -> bool:
    return user.role in MANAGERS and scope.contains(locality)


def may_decide(user: User, scope: Scope, approval: FigureApproval) -> bool:
    """Whether ``user`` is at the level above the approval's locality."""
    if user.role not in MANAGERS:
        return False
    parent = approval.locality.parent
    if parent is None:
        return user.role == Role.ADMIN
    return scope.contains(parent)


# ---------------------------------------------------------------- checks


def clean_note(text: str | None, *, required: bool = False, field_name: str = "note") -> str:
    cleaned = (text or "").strip()
    if required and not cleaned:
        raise DomainError(_("Please write a comment for the locality."), field=field_name)
    if len(cleaned) > NOTE_MAX:
        raise DomainError(_("Write at most %(n)s characters.", n=NOTE_MAX), field=field_name)
    return cleaned


def check_period(campaign: Campaign, start: date | None, end: date | None) -> None:
    if start is None:
        raise DomainError(_("Enter the first day of the period."), field="period_start")
    if end is None:
        raise DomainError(_("Enter the last day of the period."), field="period_end")
    if start > end:
        raise DomainError(_("The last day must not be before the first day."), field="period_end")
    if end < campaign.start_date or start > campaign.end_date:
        raise DomainError(
            _(
                "The period must overlap the campaign (%(start)s to %(end)s).",
                start=dmy(campaign.start_date),
                end=dmy(campaign.end_date),
            ),
            field="period_start",
        )


def _in_campaign_tree(campaign: Campaign, locality: Locality) -> bool:
    return locality.path.startswith(campaign.root_locality.path)


def _summary(approval: FigureApproval) -> dict:
    head = (approval.snapshot.get("rows") or [{}])[0]
    return {
        "campaign_id": approval.campaign_id,
        "period": [approval.period_start.isoformat(), approval.period_end.isoformat()],
        "round": approval.round,
        "figures": {m: v.get("actual") for m, v in head.get("kpis", {}).items()},
    }


# ---------------------------------------------------------------- submitting


def find(campaign: Campaign, locality: Locality, start: date, end: date) -> FigureApproval | None:
    return db.session.scalar(
        sa.select(FigureApproval).where(
            FigureApproval.campaign_id == campaign.id,
            FigureApproval.locality_id == locality.id,
            FigureApproval.period_start == start,
            FigureApproval.period_end == end,
        )
    )


def submit_figures(
    campaign: Campaign,
    locality: Locality,
    start: date | None,
    end: date | None,
    *,
    actor: User,
    scope: Scope,
    now: datetime,
    note: str = "",
) -> FigureApproval:
    """Submit ``locality``'s figures of ``campaign`` for the period (a snapshot is taken).
    A period returned earlier is resubmitted; one submitted or approved is a conflict."""
    if not may_submit(actor, scope, locality):
        raise NotAllowed(_("You may not submit the figures of this locality."))
    if not _in_campaign_tree(campaign, locality):
        raise DomainError(_("This locality is not part of the campaign."), field="locality_id")
    check_period(campaign, start, end)
    note = clean_note(note)
    existing = find(campaign, locality, start, end)
    if existing is not None:
        if existing.status == ApprovalStatus.RETURNED:
            return resubmit(existing, actor=actor, scope=scope, now=now, note=note)
        raise Conflict(_("The figures of this locality for this period were already submitted."))
    approval = FigureApproval(
        campaign_id=campaign.id,
        locality_id=locality.id,
        period_start=start,
        period_end=end,
        status=ApprovalStatus.SUBMITTED,
        snapshot=snapshot.take(campaign, locality, start, end),
        submitted_at=now,
        submitted_by_id=actor.id,
        submission_note=note,
    )
    try:
        with db.session.begin_nested():
            db.session.add(approval)
            db.session.flush()
    except IntegrityError:
        raise Conflict(
            _("The figures of this locality for this period were already submitted.")
        ) from None
    record(actor, "approval.submitted", approval, note=note, **_summary(approval))
    return approval


def resubmit(
    approval: FigureApproval, *, actor: User, scope: Scope, now: datetime, note: str = ""
) -> FigureApproval:
    """Submit a returned period again, with the figures as they are now."""
    if not may_submit(actor, scope, approval.locality):
        raise NotAllowed(_("You may not submit the figures of this locality."))
    if approval.status != ApprovalStatus.RETURNED:
        raise Conflict(_("Only figures that were returned can be submitted again."))
    note = clean_note(note)
    approval.snapshot = snapshot.take(
        approval.campaign, approval.locality, approval.period_start, approval.period_end
    )
    approval.status = ApprovalStatus.SUBMITTED
    approval.round += 1
    approval.submitted_at = now
    approval.submitted_by_id = actor.id
    approval.submission_note = note
    approval.decided_at = approval.decided_by_id = None
    approval.decision_comment = ""
    db.session.flush()
    record(actor, "approval.resubmitted", approval, note=note, **_summary(approval))
    return approval


# ---------------------------------------------------------------- deciding


def _check_decider(approval: FigureApproval, actor: User, scope: Scope) -> None:
    if not may_decide(actor, scope, approval):
        raise NotAllowed(_("Only the level above this locality decides on its figures."))


def approve(
    approval: FigureApproval, *, actor: User, scope: Scope, now: datetime, comment: str = ""
) -> FigureApproval:
    """Approve the submitted figures; their period is locked from now on. Refused when the
    figures changed since they were submitted (the approver signs what is counted)."""
    _check_decider(approval, actor, scope)
    if approval.status != ApprovalStatus.SUBMITTED:
        raise Conflict(_("Only submitted figures can be approved."))
    if approval.submitted_by_id == actor.id:
        raise NotAllowed(_("You submitted these figures; someone else must approve them."))
    comment = clean_note(comment, field_name="comment")
    current = snapshot.take(
        approval.campaign, approval.locality, approval.period_start, approval.period_end
    )
    if snapshot.differences(approval.snapshot, current):
        raise Conflict(
            _(
                "The figures changed after they were submitted. Return them so that the"
                " locality submits them again."
            )
        )
    approval.status = ApprovalStatus.APPROVED
    approval.decided_at = now
    approval.decided_by_id = actor.id
    approval.decision_comment = comment
    db.session.flush()
    record(actor, "approval.approved", approval, comment=comment, **_summary(approval))
    return approval


def return_figures(
    approval: FigureApproval, *, actor: User, scope: Scope, now: datetime, comment: str
) -> FigureApproval:
    """Return submitted figures with a comment, or reopen approved ones (unlocks them)."""
    _check_decider(approval, actor, scope)
    if approval.status not in (ApprovalStatus.SUBMITTED, ApprovalStatus.APPROVED):
        raise Conflict(_("These figures were already returned."))
    comment = clean_note(comment, required=True, field_name="comment")
    reopened = approval.is_approved
    approval.status = ApprovalStatus.RETURNED
    approval.decided_at = now
    approval.decided_by_id = actor.id
    approval.decision_comment = comment
    db.session.flush()
    if reopened:
        released = locks.release_learners(approval)
        db.session.flush()
        record(
            actor,
            "approval.reopened",
            approval,
            comment=comment,
            learners_released=released,
            **_summary(approval),
        )
    else:
        record(actor, "approval.returned", approval, comment=comment, **_summary(approval))
    return approval


# ---------------------------------------------------------------- reading


def visible_approvals(scope: Scope) -> sa.Select:
    """``select(FigureApproval)`` of the localities inside ``scope``, latest first."""
    return (
        sa.select(FigureApproval)
        .join(Locality, Locality.id == FigureApproval.locality_id)
        .where(scope.condition(Locality.path))
        .order_by(FigureApproval.submitted_at.desc(), FigureApproval.id.desc())
    )


def awaiting_decision(user: User, scope: Scope) -> sa.Select:
    """Submitted figures that ``user`` may decide on (they did not submit them)."""
    if user.role not in MANAGERS:
        return visible_approvals(scope).where(sa.false())
    query = visible_approvals(scope).where(
        FigureApproval.status == ApprovalStatus.SUBMITTED,
        sa.or_(FigureApproval.submitted_by_id.is_(None), FigureApproval.submitted_by_id != user.id),
    )
    if user.role == Role.ADMIN:
        return query
    return query.where(Locality.parent_id.in_(scope.locality_ids()))


@dataclass
class ApprovalState:
    """What the dashboard and the report say about approval for ``locality``: the
    submission of exactly the period shown (if any), and every approved period of the
    locality and of its children."""

    locality: Locality
    shown: FigureApproval | None = None
    approved: list[FigureApproval] = field(default_factory=list)
    pending: list[FigureApproval] = field(default_factory=list)

    @property
    def head_approved(self) -> list[FigureApproval]:
        return [a for a in self.approved if a.locality_id == self.locality.id]

    def covering(self, start: date, end: date) -> FigureApproval | None:
        """An approved period of the locality itself that covers ``start``..``end``."""
        return next(
            (a for a in self.head_approved if a.period_start <= start and a.period_end >= end),
            None,
        )


def approval_state(
    campaign: Campaign,
    locality: Locality,
    date_from: date | None = None,
    date_to: date | None = None,
) -> ApprovalState:
    """The approval state of ``locality``'s figures (one query)."""
    rows = db.session.scalars(
        sa.select(FigureApproval)
        .join(Locality, Locality.id == FigureApproval.locality_id)
        .where(
            FigureApproval.campaign_id == campaign.id,
            sa.or_(Locality.id == locality.id, Locality.parent_id == locality.id),
        )
        .order_by(Locality.depth, Locality.code, FigureApproval.period_start)
    ).all()
    state = ApprovalState(locality)
    for row in rows:
        if row.locality_id == locality.id and (row.period_start, row.period_end) == (
            date_from,
            date_to,
        ):
            state.shown = row
        if row.status == ApprovalStatus.APPROVED:
            state.approved.append(row)
        elif row.status == ApprovalStatus.SUBMITTED and row.locality_id == locality.id:
            state.pending.append(row)
    return state
