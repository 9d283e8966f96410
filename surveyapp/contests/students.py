"""The pupil using this browser: pupils have no accounts, they join a club with its code
and are remembered in the (signed) session until they leave or another pupil joins.

Views call ``current_member()``; a pupil only ever reaches their own team's attempts and
entries through it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import session

from surveyapp.contests.models import ClubMember, Team, team_member
from surveyapp.extensions import db

SESSION_KEY = "contest_member_id"


def remember_member(member: ClubMember) -> None:
    session[SESSION_KEY] = member.id


def forget_member() -> None:
    session.pop(SESSION_KEY, None)


def current_member() -> ClubMember | None:
    """The pupil remembered in this session (not erased), or None."""
    member_id = session.get(SESSION_KEY)
    if not isinstance(member_id, int):
        return None
    member = db.session.get(ClubMember, member_id)
    if member is None or member.erased_at is not None:
        forget_member()
        return None
    return member


def team_of(member: ClubMember, contest_id: int) -> Team | None:
    """The member's team in a contest (a pupil is in at most one team per contest)."""
    return db.session.scalar(
        sa.select(Team)
        .join(team_member, team_member.c.team_id == Team.id)
        .where(Team.contest_id == contest_id, team_member.c.member_id == member.id)
    )
