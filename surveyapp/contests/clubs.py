"""Schools, AI clubs and their pupils: who sees and manages them, join codes, joining,
consent to publish a pupil's name, and removing a pupil.

Functions take the acting user and scope explicitly, flush but never commit, and raise
``DomainError`` (with the form field it concerns) when a rule is broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import Role, User
from surveyapp.audit.services import record
from surveyapp.classes.services import generate_access_code, normalise_code
from surveyapp.contests.models import Club, ClubMember, School, Team, team_member
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.localities.models import Locality
from surveyapp.security import Scope, compute_scope

NAME_MAX = 200
GRADE_MAX = 20
# The wording pupils and guardians agree to; a new wording gets a new version.
CONSENT_TEXT_VERSION = "2026-1"
SCHOOL_MANAGERS = (Role.ADMIN, Role.COORDINATOR)
CLUB_MANAGERS = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER)


# ---------------------------------------------------------------- visibility


def visible_schools(scope: Scope) -> sa.Select:
    return (
        sa.select(School)
        .join(Locality, School.locality_id == Locality.id)
        .where(scope.condition(Locality.path))
    )


def visible_clubs(user: User, scope: Scope) -> sa.Select:
    """Clubs inside the scope; a trainer sees only the clubs they lead; a judge none."""
    query = sa.select(Club).join(Locality, Club.locality_id == Locality.id)
    if user.role not in (Role.ADMIN, Role.COORDINATOR, Role.TRAINER, Role.EVALUATOR):
        return query.where(sa.false())
    query = query.where(scope.condition(Locality.path))
    if user.role == Role.TRAINER:
        query = query.where(Club.leader_id == user.id)
    return query


def may_manage_club(user: User | None, club: Club, scope: Scope) -> bool:
    """The club's leader, and admins and coordinators whose scope holds the club."""
    if user is None:
        return True
    if user.role == Role.TRAINER:
        return club.leader_id == user.id
    return user.role in SCHOOL_MANAGERS and scope.contains(club.locality)


def check_may_manage_club(user: User | None, club: Club, scope: Scope) -> None:
    if not may_manage_club(user, club, scope):
        raise NotAllowed(_l("Only the club's leader and the coordinators may change it."))


def leader_candidates(scope: Scope) -> list[User]:
    """Active trainers the actor may see (inside the scope or above it)."""
    query = (
        sa.select(User)
        .join(Locality, User.locality_id == Locality.id)
        .where(User.role == Role.TRAINER, User.active.is_(True))
        .order_by(User.name, User.email)
    )
    if not scope.unrestricted:
        query = query.where(
            sa.or_(scope.condition(Locality.path), Locality.id.in_(scope.ancestor_ids or {-1}))
        )
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- schools


def _clean_name(value: str | None, field: str, missing, limit: int = NAME_MAX) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise DomainError(missing, field=field)
    if len(text) > limit:
        raise DomainError(_l("This is too long."), field=field)
    return text


def _check_school_place(actor: User | None, locality: Locality | None, scope: Scope) -> None:
    if actor is not None and actor.role not in SCHOOL_MANAGERS:
        raise NotAllowed(_l("Only coordinators may add or change schools."))
    if locality is None:
        raise DomainError(_l("Choose the school's locality."), field="locality")
    if not scope.contains(locality):
        raise NotAllowed(_l("The locality is outside your scope."), field="locality")


def _check_school_unique(name: str, locality: Locality, school_id: int | None = None) -> None:
    query = sa.select(School.id).where(School.locality_id == locality.id, School.name == name)
    if school_id is not None:
        query = query.where(School.id != school_id)
    if db.session.scalar(query) is not None:
        raise DomainError(_l("This locality already has a school of that name."), field="name")


def create_school(actor: User | None, name: str, locality: Locality | None, *, scope: Scope):
    _check_school_place(actor, locality, scope)
    name = _clean_name(name, "name", _l("Give the school's name."))
    _check_school_unique(name, locality)
    school = School(name=name, locality_id=locality.id)
    db.session.add(school)
    db.session.flush()
    record(actor, "school.created", school, name=name)
    return school


def update_school(actor: User | None, school: School, name: str, *, scope: Scope) -> School:
    _check_school_place(actor, school.locality, scope)
    name = _clean_name(name, "name", _l("Give the school's name."))
    _check_school_unique(name, school.locality, school.id)
    before = school.name
    school.name = name
    db.session.flush()
    record(actor, "school.updated", school, before=before, after=name)
    return school


# ---------------------------------------------------------------- clubs


@dataclass
class ClubFields:
    name: str
    school: School | None
    leader: User | None


def _code_taken(code: str) -> bool:
    return db.session.scalar(sa.select(Club.id).where(Club.join_code == code)) is not None


def _check_club(actor: User | None, fields: ClubFields, scope: Scope) -> ClubFields:
    if actor is not None and actor.role not in CLUB_MANAGERS:
        raise NotAllowed(_l("You may not manage clubs."))
    name = _clean_name(fields.name, "name", _l("Give the club a name."))
    if fields.school is None:
        raise DomainError(_l("Choose the school."), field="school")
    if not scope.contains(fields.school.locality):
        raise NotAllowed(_l("The school is outside your scope."), field="school")
    leader = fields.leader
    if actor is not None and actor.role == Role.TRAINER:
        leader = actor  # a teacher who opens a club leads it
    if leader is not None:
        if leader.role != Role.TRAINER or not leader.active:
            raise DomainError(_l("The leader must be an active trainer."), field="leader")
        if not compute_scope(leader).contains(fields.school.locality):
            raise DomainError(_l("The leader does not work where the school is."), field="leader")
    return ClubFields(name, fields.school, leader)


def create_club(actor: User | None, fields: ClubFields, *, scope: Scope) -> Club:
    fields = _check_club(actor, fields, scope)
    club = Club(
        name=fields.name,
        school_id=fields.school.id,
        locality_id=fields.school.locality_id,
        leader=fields.leader,
        join_code=generate_access_code(_code_taken),
    )
    db.session.add(club)
    db.session.flush()
    record(actor, "club.created", club, name=club.name, school_id=club.school_id)
    return club


def update_club(actor: User | None, club: Club, fields: ClubFields, *, scope: Scope) -> Club:
    check_may_manage_club(actor, club, scope)
    if actor is not None and actor.role == Role.TRAINER:
        fields = ClubFields(fields.name, fields.school, club.leader)
    fields = _check_club(actor, fields, scope)
    club.name = fields.name
    club.school_id = fields.school.id
    club.locality_id = fields.school.locality_id
    club.leader = fields.leader
    db.session.flush()
    record(actor, "club.updated", club, name=club.name, leader_id=club.leader_id)
    return club


def renew_join_code(actor: User | None, club: Club, *, scope: Scope) -> Club:
    """A new join code (the old one stops working), e.g. after it was shared too widely."""
    check_may_manage_club(actor, club, scope)
    club.join_code = generate_access_code(_code_taken)
    db.session.flush()
    record(actor, "club.code_renewed", club)
    return club


def delete_club(actor: User | None, club: Club, *, scope: Scope) -> None:
    """Delete a club without pupils (removed pupils' blank rows go with it) or teams."""
    check_may_manage_club(actor, club, scope)
    team = db.session.scalar(sa.select(Team.id).where(Team.club_id == club.id).limit(1))
    pupil = db.session.scalar(
        sa.select(ClubMember.id)
        .where(ClubMember.club_id == club.id, ClubMember.erased_at.is_(None))
        .limit(1)
    )
    if team is not None or pupil is not None:
        raise DomainError(_l("Only a club without pupils or teams can be deleted."))
    record(actor, "club.deleted", club, name=club.name)
    db.session.execute(sa.delete(ClubMember).where(ClubMember.club_id == club.id))
    db.session.expire(club, ["members"])
    db.session.delete(club)
    db.session.flush()


# ---------------------------------------------------------------- pupils


def find_club_by_code(code: str | None) -> Club | None:
    code = normalise_code(code)
    if not code:
        return None
    return db.session.scalar(sa.select(Club).where(Club.join_code == code))


def join_club(code: str | None, full_name: str | None, grade: str | None, *, now: datetime):
    """A pupil joins the club of ``code`` with only their name and grade."""
    club = find_club_by_code(code)
    if club is None:
        raise DomainError(_l("No club has this code. Check it with your teacher."), field="code")
    member = ClubMember(
        club=club,
        full_name=_clean_name(full_name, "full_name", _l("Write your name.")),
        grade=_clean_name(grade, "grade", _l("Write your class or grade."), GRADE_MAX),
        joined_at=now,
    )
    db.session.add(member)
    db.session.flush()
    record(None, "club.pupil_joined", member, locality_id=club.locality_id)
    return member


def update_member(actor: User | None, member: ClubMember, full_name, grade, *, scope: Scope):
    check_may_manage_club(actor, member.club, scope)
    member.full_name = _clean_name(full_name, "full_name", _l("Write the pupil's name."))
    member.grade = _clean_name(grade, "grade", _l("Write the class or grade."), GRADE_MAX)
    db.session.flush()
    record(actor, "club.pupil_updated", member, locality_id=member.club.locality_id)
    return member


@dataclass
class Consent:
    """What was agreed: by the pupil, and by a parent or guardian (named)."""

    pupil: bool
    guardian: bool
    guardian_name: str = ""
    on_paper: bool = False


def record_consent(
    actor: User | None, member: ClubMember, consent: Consent, *, now: datetime, scope=None
) -> ClubMember:
    """Record (or withdraw) consent to publish the pupil's name with results.

    ``actor`` None is the pupil in their browser; a club leader records a signed paper form.
    Unticking withdraws a consent given before.
    """
    if actor is not None:
        check_may_manage_club(actor, member.club, scope)
    if member.erased_at is not None:
        raise DomainError(_l("This pupil was removed from the club."))
    guardian_name = " ".join((consent.guardian_name or "").split())
    if consent.guardian and not guardian_name:
        raise DomainError(_l("Write the parent's or guardian's name."), field="guardian_name")
    if len(guardian_name) > NAME_MAX:
        raise DomainError(_l("This is too long."), field="guardian_name")
    member.pupil_consent_at = (member.pupil_consent_at or now) if consent.pupil else None
    member.guardian_consent_at = (member.guardian_consent_at or now) if consent.guardian else None
    member.guardian_name = guardian_name if consent.guardian else ""
    if consent.pupil or consent.guardian:
        member.consent_text_version = CONSENT_TEXT_VERSION
    db.session.flush()
    record(
        actor, "club.pupil_consent", member, locality_id=member.club.locality_id,
        pupil=consent.pupil, guardian=consent.guardian, on_paper=consent.on_paper,
        text_version=CONSENT_TEXT_VERSION, at=now,
    )  # fmt: skip
    return member


def erase_member(actor: User | None, member: ClubMember, *, now: datetime, scope: Scope):
    """Remove a pupil: their name and consent are wiped and they leave every team."""
    check_may_manage_club(actor, member.club, scope)
    member.full_name = ""
    member.grade = ""
    member.guardian_name = ""
    member.pupil_consent_at = None
    member.guardian_consent_at = None
    member.erased_at = now
    teams = db.session.scalars(
        sa.select(Team)
        .join(team_member, team_member.c.team_id == Team.id)
        .where(team_member.c.member_id == member.id)
    )
    for team in teams:
        team.members.remove(member)
    db.session.flush()
    record(actor, "club.pupil_removed", member, locality_id=member.club.locality_id)
    return member


def active_members(club: Club) -> list[ClubMember]:
    return list(
        db.session.scalars(
            sa.select(ClubMember)
            .where(ClubMember.club_id == club.id, ClubMember.erased_at.is_(None))
            .order_by(ClubMember.full_name, ClubMember.id)
        )
    )
