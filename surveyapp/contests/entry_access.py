"""Who may reach a product round, an entry and its files (used by the views only).

- organisers: admins, and coordinators whose scope holds the contest's locality;
- club staff: the trainer leading the team's club, coordinators whose scope holds the club;
- judges: only the entries they are assigned to;
- pupils (no login): their own team's entry, through ``students.current_member()``.

Anything else is a 404, so ids cannot be probed.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from surveyapp.accounts.models import Role, User
from surveyapp.contests.entry_models import Entry, EntryFile, JudgeAssignment
from surveyapp.contests.models import Contest, Round, RoundKind, Team
from surveyapp.contests.students import current_member, team_of
from surveyapp.extensions import db
from surveyapp.security import scope_for


def is_organiser(user: User, contest: Contest) -> bool:
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.COORDINATOR and scope_for().contains(contest.locality)


def is_club_staff(user: User, team: Team) -> bool:
    if user.role == Role.TRAINER:
        return team.club.leader_id == user.id
    return user.role in (Role.ADMIN, Role.COORDINATOR) and scope_for().contains(team.club.locality)


def is_assigned_judge(user: User, entry: Entry) -> bool:
    return user.role == Role.JUDGE and (
        db.session.scalar(
            sa.select(JudgeAssignment.id).where(
                JudgeAssignment.entry_id == entry.id, JudgeAssignment.judge_id == user.id
            )
        )
        is not None
    )


def may_see_entry(user: User, entry: Entry) -> bool:
    return (
        is_organiser(user, entry.round.contest)
        or is_club_staff(user, entry.team)
        or is_assigned_judge(user, entry)
    )


def product_round_or_404(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None or round_.kind != RoundKind.PRODUCT:
        abort(404)
    return round_


def organised_round_or_404(user: User, round_id: int) -> Round:
    round_ = product_round_or_404(round_id)
    if not is_organiser(user, round_.contest):
        abort(404)
    return round_


def entry_for_staff_or_404(user: User, entry_id: int) -> Entry:
    entry = db.session.get(Entry, entry_id)
    if entry is None or not may_see_entry(user, entry):
        abort(404)
    return entry


def file_of_or_404(entry: Entry, file_id: int) -> EntryFile:
    file = db.session.get(EntryFile, file_id)
    if file is None or file.entry_id != entry.id:
        abort(404)
    return file


def pupil_team_or_404(round_: Round):
    """The pupil using this browser and their team in the round's contest, or 404."""
    member = current_member()
    if member is None:
        abort(404)
    team = team_of(member, round_.contest_id)
    if team is None:
        abort(404)
    return member, team


def pupil_entry_or_404(entry_id: int) -> Entry:
    entry = db.session.get(Entry, entry_id)
    if entry is None:
        abort(404)
    _, team = pupil_team_or_404(entry.round)
    if team.id != entry.team_id:
        abort(404)
    return entry
