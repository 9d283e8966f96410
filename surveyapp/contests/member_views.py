"""Club leaders' pages for their pupils and teams: edit a pupil, record consent from a
signed paper form, remove a pupil, and make, change or delete the club's teams."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from surveyapp.accounts.models import Role
from surveyapp.contests import bp, clock, clubs, teams
from surveyapp.contests.forms import ConfirmForm, ConsentForm, MemberForm, TeamForm
from surveyapp.contests.lookups import (
    contest_or_404,
    managed_club_or_404,
    member_or_404,
    show_error,
    team_or_404,
    user,
)
from surveyapp.contests.models import Club, ClubMember, Contest, Team
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.security import roles_required, scope_for

CLUB_PAGES = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER)


# ---------------------------------------------------------------- pupils


@bp.route("/clubs/members/<int:member_id>/edit", methods=["GET", "POST"])
@roles_required(*CLUB_PAGES)
def edit_member(member_id: int):
    member = member_or_404(member_id)
    form = MemberForm(data={"full_name": member.full_name, "grade": member.grade})
    if form.validate_on_submit():
        try:
            clubs.update_member(
                user(), member, form.full_name.data, form.grade.data, scope=scope_for()
            )
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The pupil was saved."), "success")
            return redirect(url_for("contests.club", club_id=member.club_id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "contests/member_form.html", form=form, member=member, confirm=ConfirmForm()
    ), status


@bp.route("/clubs/members/<int:member_id>/consent", methods=["GET", "POST"])
@roles_required(*CLUB_PAGES)
def member_consent(member_id: int):
    member = member_or_404(member_id)
    form = ConsentForm(
        data={
            "pupil": member.pupil_consent_at is not None,
            "guardian": member.guardian_consent_at is not None,
            "guardian_name": member.guardian_name,
        }
    )
    if form.validate_on_submit():
        consent = clubs.Consent(
            form.pupil.data, form.guardian.data, form.guardian_name.data or "", on_paper=True
        )
        try:
            clubs.record_consent(user(), member, consent, now=clock.now(), scope=scope_for())
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The consent from the paper form was recorded."), "success")
            return redirect(url_for("contests.club", club_id=member.club_id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "contests/member_consent.html",
        form=form,
        member=member,
        version=clubs.CONSENT_TEXT_VERSION,
    ), status


@bp.route("/clubs/members/<int:member_id>/remove", methods=["POST"])
@roles_required(*CLUB_PAGES)
def remove_member(member_id: int):
    member = member_or_404(member_id)
    club_id = member.club_id
    if ConfirmForm().validate_on_submit():
        clubs.erase_member(user(), member, now=clock.now(), scope=scope_for())
        db.session.commit()
        flash(_("The pupil was removed from the club and their name erased."), "success")
    return redirect(url_for("contests.club", club_id=club_id))


# ---------------------------------------------------------------- teams


def _team_form(club: Club, team: Team | None) -> TeamForm:
    data = None
    if team is not None:
        data = {"name": team.name, "members": [m.id for m in team.members]}
    form = TeamForm(data=data)
    form.members.choices = [
        SelectChoice(m.id, f"{m.full_name} ({m.grade})") for m in clubs.active_members(club)
    ]
    return form


def _chosen(club: Club, ids) -> list[ClubMember]:
    members = {m.id: m for m in clubs.active_members(club)}
    return [members[i] for i in ids or [] if i in members]


def _entered_contest_or_404(club: Club, contest_id: int) -> Contest:
    contest = contest_or_404(contest_id)
    if not teams.club_may_enter(club, contest):
        abort(404)
    return contest


@bp.route("/clubs/<int:club_id>/contests/<int:contest_id>/teams", methods=["GET", "POST"])
@roles_required(*CLUB_PAGES)
def club_teams(club_id: int, contest_id: int):
    club = managed_club_or_404(club_id)
    contest = _entered_contest_or_404(club, contest_id)
    form = _team_form(club, None)
    if form.validate_on_submit():
        try:
            teams.create_team(
                user(), contest, club, form.name.data, _chosen(club, form.members.data),
                scope=scope_for(),
            )  # fmt: skip
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The team was made."), "success")
            return redirect(url_for("contests.club_teams", club_id=club.id, contest_id=contest.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "contests/club_teams.html",
        form=form,
        club=club,
        contest=contest,
        teams=teams.teams_of_club(club, contest),
    ), status


@bp.route("/contests/teams/<int:team_id>/edit", methods=["GET", "POST"])
@roles_required(*CLUB_PAGES)
def edit_team(team_id: int):
    team = team_or_404(team_id)
    form = _team_form(team.club, team)
    if form.validate_on_submit():
        members = _chosen(team.club, form.members.data)
        try:
            teams.update_team(user(), team, form.name.data, members, scope=scope_for())
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The team was saved."), "success")
            return redirect(
                url_for("contests.club_teams", club_id=team.club_id, contest_id=team.contest_id)
            )
    status = 400 if form.is_submitted() else 200
    return render_template(
        "contests/team_form.html", form=form, team=team, confirm=ConfirmForm()
    ), status


@bp.route("/contests/teams/<int:team_id>/delete", methods=["POST"])
@roles_required(*CLUB_PAGES)
def delete_team(team_id: int):
    team = team_or_404(team_id)
    back = url_for("contests.club_teams", club_id=team.club_id, contest_id=team.contest_id)
    if ConfirmForm().validate_on_submit():
        try:
            teams.delete_team(user(), team, scope=scope_for())
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("The team was deleted."), "success")
    return redirect(back)
