"""Contests and their judges: who sees and organises them, and the rules of setup (rounds
are in ``rounds.py``).

Organisers are admins and the coordinators whose scope holds the contest's locality.
Functions take the actor, scope and ``now`` explicitly, flush but never commit, and raise
``DomainError`` (with the form field it concerns) when a rule is broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import Role, User
from surveyapp.audit.services import record
from surveyapp.campaigns.models import Campaign, CampaignStatus
from surveyapp.contests.models import (
    Contest,
    ContestJudge,
    ContestStatus,
    School,
    Team,
    team_member,
)
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.localities.models import Locality, subtree_filter
from surveyapp.security import Scope

TITLE_MAX = 300
MAX_TEAM_SIZE = 5
ORGANISERS = (Role.ADMIN, Role.COORDINATOR)
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ContestStatus.DRAFT: (ContestStatus.OPEN,),
    ContestStatus.OPEN: (ContestStatus.CLOSED,),
    ContestStatus.CLOSED: (ContestStatus.OPEN,),
    ContestStatus.PUBLISHED: (),
}


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back (stored in UTC); PostgreSQL aware ones."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# ---------------------------------------------------------------- visibility


def visible_contests(user: User, scope: Scope) -> sa.Select:
    """Contests of the user's area: held inside the scope, or above it (a province contest
    is seen by the commune's coordinators and club leaders). Judges see none here."""
    query = sa.select(Contest)
    if user.role not in (Role.ADMIN, Role.COORDINATOR, Role.TRAINER, Role.EVALUATOR):
        return query.where(sa.false())
    return query.where(scope.campaign_condition(Contest.locality_id))


def may_organise(user: User | None, contest: Contest, scope: Scope) -> bool:
    if user is None:
        return True
    return user.role in ORGANISERS and scope.contains(contest.locality)


def check_organiser(user: User | None, contest: Contest, scope: Scope) -> None:
    if not may_organise(user, contest, scope):
        raise NotAllowed(_l("Only the contest's organisers may do this."))


def campaigns_for_contests(scope: Scope) -> sa.Select:
    return (
        sa.select(Campaign)
        .where(
            scope.campaign_condition(Campaign.root_locality_id),
            Campaign.status != CampaignStatus.CLOSED,
        )
        .order_by(Campaign.start_date.desc(), Campaign.id.desc())
    )


# ---------------------------------------------------------------- contests


@dataclass
class ContestFields:
    title: str
    description: str
    locality: Locality | None
    max_team_size: int | None = MAX_TEAM_SIZE


def _clean_contest(campaign: Campaign, fields: ContestFields, scope: Scope) -> ContestFields:
    title = " ".join((fields.title or "").split())
    if not title:
        raise DomainError(_l("Give the contest a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(_l("The title is too long."), field="title")
    place = fields.locality
    if place is None:
        raise DomainError(_l("Choose the locality of the contest."), field="locality")
    if not place.path.startswith(campaign.root_locality.path):
        raise DomainError(_l("The locality is outside the campaign's area."), field="locality")
    if not scope.contains(place):
        raise NotAllowed(_l("The locality is outside your scope."), field="locality")
    size = fields.max_team_size
    if size is None or not 1 <= size <= MAX_TEAM_SIZE:
        raise DomainError(
            _l("A team has 1 to %(n)s pupils.", n=MAX_TEAM_SIZE), field="max_team_size"
        )
    return ContestFields(title, (fields.description or "").strip(), place, size)


def create_contest(actor: User | None, campaign: Campaign, fields: ContestFields, *, scope):
    if actor is not None and actor.role not in ORGANISERS:
        raise NotAllowed(_l("Only coordinators may organise contests."))
    if campaign.status == CampaignStatus.CLOSED:
        raise DomainError(_l("The campaign is closed; no contest can be added."))
    fields = _clean_contest(campaign, fields, scope)
    contest = Contest(
        title=fields.title,
        description=fields.description,
        campaign_id=campaign.id,
        locality_id=fields.locality.id,
        max_team_size=fields.max_team_size,
        status=ContestStatus.DRAFT,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(contest)
    db.session.flush()
    record(actor, "contest.created", contest, title=contest.title)
    return contest


def update_contest(actor: User | None, contest: Contest, fields: ContestFields, *, scope):
    check_organiser(actor, contest, scope)
    fields = _clean_contest(contest.campaign, fields, scope)
    if _largest_team(contest.id) > fields.max_team_size:
        raise DomainError(
            _l("Some teams have more pupils than this; make them smaller first."),
            field="max_team_size",
        )
    contest.title = fields.title
    contest.description = fields.description
    contest.locality_id = fields.locality.id
    contest.max_team_size = fields.max_team_size
    db.session.flush()
    record(actor, "contest.updated", contest, title=contest.title)
    return contest


def _largest_team(contest_id: int) -> int:
    sizes = (
        sa.select(sa.func.count().label("n"))
        .select_from(team_member)
        .join(Team, Team.id == team_member.c.team_id)
        .where(Team.contest_id == contest_id)
        .group_by(team_member.c.team_id)
        .subquery()
    )
    return db.session.scalar(sa.select(sa.func.max(sizes.c.n))) or 0


def next_statuses(contest: Contest) -> tuple[str, ...]:
    return STATUS_TRANSITIONS.get(contest.status, ())


def set_contest_status(actor: User | None, contest: Contest, status: str, *, scope) -> Contest:
    check_organiser(actor, contest, scope)
    if status not in next_statuses(contest):
        raise DomainError(_l("This status change is not allowed."), field="status")
    before, contest.status = contest.status, status
    db.session.flush()
    record(actor, "contest.status_changed", contest, before=before, after=status)
    return contest


def delete_contest(actor: User | None, contest: Contest, *, scope) -> None:
    """Delete a draft contest that has no teams yet, with its rounds and judges."""
    from surveyapp.contests.rounds import round_has_work

    check_organiser(actor, contest, scope)
    if contest.status != ContestStatus.DRAFT:
        raise DomainError(_l("Only a draft contest can be deleted."))
    has_team = db.session.scalar(sa.select(Team.id).where(Team.contest_id == contest.id).limit(1))
    if has_team is not None or any(round_has_work(rnd) for rnd in contest.rounds):
        raise DomainError(_l("Teams have entered this contest; it cannot be deleted."))
    record(actor, "contest.deleted", contest, title=contest.title)
    db.session.execute(sa.delete(ContestJudge).where(ContestJudge.contest_id == contest.id))
    for rnd in list(contest.rounds):
        db.session.delete(rnd)
    db.session.delete(contest)
    db.session.flush()


# ---------------------------------------------------------------- judges


def judge_candidates(scope: Scope) -> list[User]:
    query = (
        sa.select(User)
        .outerjoin(Locality, User.locality_id == Locality.id)
        .where(User.role == Role.JUDGE, User.active.is_(True))
        .order_by(User.name, User.email)
    )
    if not scope.unrestricted:
        query = query.where(
            sa.or_(scope.condition(Locality.path), Locality.id.in_(scope.ancestor_ids or {-1}))
        )
    return list(db.session.scalars(query))


def contest_schools(contest: Contest) -> list[School]:
    """Schools inside the contest's area (for a judge's school)."""
    return list(
        db.session.scalars(
            sa.select(School)
            .join(Locality, School.locality_id == Locality.id)
            .where(subtree_filter(Locality.path, contest.locality.path))
            .order_by(School.name)
        )
    )


def add_judge(actor, contest: Contest, judge: User | None, school: School | None, *, scope):
    check_organiser(actor, contest, scope)
    if judge is None or judge not in judge_candidates(scope):
        raise DomainError(_l("Choose a user with the judge role."), field="judge")
    if school is not None and school not in contest_schools(contest):
        raise DomainError(_l("The school is outside the contest's area."), field="school")
    found = db.session.scalar(
        sa.select(ContestJudge).where(
            ContestJudge.contest_id == contest.id, ContestJudge.user_id == judge.id
        )
    )
    if found is None:
        found = ContestJudge(contest_id=contest.id, user_id=judge.id)
        db.session.add(found)
    found.school_id = school.id if school is not None else None
    db.session.flush()
    record(actor, "contest.judge_set", contest, judge_id=judge.id, school_id=found.school_id)
    return found


def remove_judge(actor, contest: Contest, contest_judge: ContestJudge, *, scope) -> None:
    check_organiser(actor, contest, scope)
    if contest_judge.contest_id != contest.id:
        raise DomainError(_l("This judge is not in the contest."))
    record(actor, "contest.judge_removed", contest, judge_id=contest_judge.user_id)
    db.session.delete(contest_judge)
    db.session.flush()
