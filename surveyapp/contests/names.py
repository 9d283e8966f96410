"""The names shown publicly for pupils and teams (results pages, leaderboards, certificates).

Pupils are children: a pupil's own name is published only when both the pupil and a parent
or guardian consented (``ClubMember.may_publish_name``, DOMAIN.md section 7); otherwise the
team's name stands in for it. A team's label lists its members' names only when every one
of them consented.
"""

from __future__ import annotations

from flask_babel import gettext as _

from surveyapp.contests.models import ClubMember, Team


def public_name(member: ClubMember, team: Team | None = None) -> str:
    """The pupil's name if it may be published, else "A member of <team>" (several pupils of
    one team may stand on a leaderboard) or a neutral label."""
    if member.may_publish_name:
        return member.full_name
    if team is not None:
        return _("A member of %(team)s", team=team.name)
    return _("Pupil of %(club)s", club=member.club.name) if member.club else _("A pupil")


def team_label(team: Team) -> str:
    """The team's name, followed by its members' names (sorted) when each of them consented."""
    members = sorted((m for m in team.members if m.erased_at is None), key=lambda m: m.full_name)
    if members and all(m.may_publish_name for m in members):
        return f"{team.name} ({', '.join(m.full_name for m in members)})"
    return team.name
