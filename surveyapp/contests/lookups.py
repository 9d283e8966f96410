"""Loading clubs, pupils, teams, contests and rounds for the staff pages, inside the current
user's scope: an object the user may not see is a 404 (ids are not revealed), one they see
but may not change is a 403. Also the small helpers the club and contest views share."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from surveyapp.contests import clubs, contests
from surveyapp.contests.models import Club, ClubMember, Contest, ContestJudge, Round, School, Team
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.security import scope_for


def user():
    """The logged-in user object (not the proxy), to hand to services."""
    return current_user._get_current_object()


def show_error(form, error: DomainError, renames: dict | None = None) -> None:
    """Put a service's message next to its field, or above the form."""
    name = (renames or {}).get(error.field, error.field)
    target = getattr(form, name, None) if name else None
    (target.errors if target is not None else form.form_errors).append(str(error.message))


def _one_or_404(query):
    found = db.session.scalar(query)
    if found is None:
        abort(404)
    return found


def contest_or_404(contest_id: int) -> Contest:
    query = contests.visible_contests(user(), scope_for()).where(Contest.id == contest_id)
    return _one_or_404(query)


def organised_contest_or_404(contest_id: int) -> Contest:
    contest = contest_or_404(contest_id)
    if not contests.may_organise(user(), contest, scope_for()):
        abort(403)
    return contest


def organised_round_or_404(round_id: int) -> Round:
    rnd = db.session.get(Round, round_id)
    if rnd is None:
        abort(404)
    organised_contest_or_404(rnd.contest_id)
    return rnd


def contest_judge_or_404(contest: Contest, judge_id: int) -> ContestJudge:
    found = db.session.get(ContestJudge, judge_id)
    if found is None or found.contest_id != contest.id:
        abort(404)
    return found


def school_or_404(school_id: int) -> School:
    return _one_or_404(clubs.visible_schools(scope_for()).where(School.id == school_id))


def club_or_404(club_id: int) -> Club:
    return _one_or_404(clubs.visible_clubs(user(), scope_for()).where(Club.id == club_id))


def managed_club_or_404(club_id: int) -> Club:
    club = club_or_404(club_id)
    if not clubs.may_manage_club(user(), club, scope_for()):
        abort(403)
    return club


def member_or_404(member_id: int) -> ClubMember:
    member = db.session.get(ClubMember, member_id)
    if member is None or member.erased_at is not None:
        abort(404)
    managed_club_or_404(member.club_id)
    return member


def team_or_404(team_id: int) -> Team:
    team = db.session.get(Team, team_id)
    if team is None:
        abort(404)
    managed_club_or_404(team.club_id)
    return team


def visible_club_ids() -> sa.Select:
    return clubs.visible_clubs(user(), scope_for()).with_only_columns(Club.id)
