"""Teams: 1 to ``contest.max_team_size`` pupils of one club entered in a contest.

A pupil is in at most one team per contest; the club must lie inside the contest's area.
The club's leader (and coordinators and admins whose scope holds the club) manage its
teams. Functions flush but never commit and raise ``DomainError`` with the field concerned.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import User
from surveyapp.audit.services import record
from surveyapp.contests.clubs import check_may_manage_club
from surveyapp.contests.entry_models import Entry
from surveyapp.contests.models import Club, ClubMember, Contest, ContestStatus, Team, team_member
from surveyapp.contests.quiz_models import QuizAttempt
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.security import Scope

TEAM_NAME_MAX = 120


def club_may_enter(club: Club, contest: Contest) -> bool:
    return club.locality.path.startswith(contest.locality.path)


def teams_of_club(club: Club, contest: Contest) -> list[Team]:
    return list(
        db.session.scalars(
            sa.select(Team)
            .where(Team.club_id == club.id, Team.contest_id == contest.id)
            .order_by(Team.name)
        )
    )


def _check_open(contest: Contest) -> None:
    if contest.status in (ContestStatus.CLOSED, ContestStatus.PUBLISHED):
        raise DomainError(_l("The contest is closed; its teams can no longer change."))


def _clean_name(contest: Contest, name: str | None, team_id: int | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_l("Give the team a name."), field="name")
    if len(name) > TEAM_NAME_MAX:
        raise DomainError(_l("The team name is too long."), field="name")
    query = sa.select(Team.id).where(Team.contest_id == contest.id, Team.name == name)
    if team_id is not None:
        query = query.where(Team.id != team_id)
    if db.session.scalar(query) is not None:
        raise DomainError(_l("Another team of this contest has that name."), field="name")
    return name


def _check_members(
    contest: Contest, club: Club, members: Sequence[ClubMember], team_id: int | None
) -> list[ClubMember]:
    members = list(dict.fromkeys(members))
    if not 1 <= len(members) <= contest.max_team_size:
        raise DomainError(
            _l("A team has 1 to %(n)s pupils.", n=contest.max_team_size), field="members"
        )
    for member in members:
        if member.club_id != club.id or member.erased_at is not None:
            raise DomainError(_l("Choose pupils of this club."), field="members")
    query = (
        sa.select(ClubMember.full_name)
        .join(team_member, team_member.c.member_id == ClubMember.id)
        .join(Team, Team.id == team_member.c.team_id)
        .where(Team.contest_id == contest.id, ClubMember.id.in_([m.id for m in members]))
    )
    if team_id is not None:
        query = query.where(Team.id != team_id)
    taken = db.session.scalars(query.order_by(ClubMember.full_name)).all()
    if taken:
        raise DomainError(
            _l("Already in another team of this contest: %(names)s.", names=", ".join(taken)),
            field="members",
        )
    return members


def create_team(
    actor: User | None,
    contest: Contest,
    club: Club,
    name: str,
    members: Sequence[ClubMember],
    *,
    scope: Scope,
) -> Team:
    check_may_manage_club(actor, club, scope)
    _check_open(contest)
    if not club_may_enter(club, contest):
        raise DomainError(_l("The club is outside the contest's area."))
    team = Team(
        contest_id=contest.id,
        club_id=club.id,
        name=_clean_name(contest, name, None),
        members=_check_members(contest, club, members, None),
    )
    db.session.add(team)
    db.session.flush()
    record(actor, "team.created", team, locality_id=club.locality_id, name=team.name,
           members=[m.id for m in team.members])  # fmt: skip
    return team


def update_team(
    actor: User | None, team: Team, name: str, members: Sequence[ClubMember], *, scope: Scope
) -> Team:
    check_may_manage_club(actor, team.club, scope)
    _check_open(team.contest)
    team.name = _clean_name(team.contest, name, team.id)
    team.members = _check_members(team.contest, team.club, members, team.id)
    db.session.flush()
    record(actor, "team.updated", team, locality_id=team.club.locality_id, name=team.name,
           members=[m.id for m in team.members])  # fmt: skip
    return team


def team_has_work(team: Team) -> bool:
    attempt = sa.select(QuizAttempt.id).where(QuizAttempt.team_id == team.id).limit(1)
    entry = sa.select(Entry.id).where(Entry.team_id == team.id).limit(1)
    return db.session.scalar(attempt) is not None or db.session.scalar(entry) is not None


def delete_team(actor: User | None, team: Team, *, scope: Scope) -> None:
    check_may_manage_club(actor, team.club, scope)
    _check_open(team.contest)
    if team_has_work(team):
        raise DomainError(_l("The team has taken part in a round; it cannot be deleted."))
    record(actor, "team.deleted", team, locality_id=team.club.locality_id, name=team.name)
    db.session.delete(team)
    db.session.flush()
