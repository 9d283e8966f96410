"""Staff pages of schools and AI clubs: schools in scope, clubs with their join code and
printable join sheet, the pupils (names, grades, consent recorded from a paper form,
removal) and the club's teams for a contest."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from surveyapp.accounts.models import Role, User
from surveyapp.classes import qr
from surveyapp.contests import bp, clubs
from surveyapp.contests.forms import ClubForm, ConfirmForm, SchoolForm
from surveyapp.contests.lookups import (
    club_or_404,
    managed_club_or_404,
    school_or_404,
    show_error,
    user,
)
from surveyapp.contests.models import Club, Contest, ContestStatus, School, Team
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.lookup import subtree_choices
from surveyapp.localities.models import Locality
from surveyapp.security import roles_required, scope_for

CLUB_PAGES = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER)


# ---------------------------------------------------------------- schools


def _place_choices() -> list[SelectChoice]:
    """Localities under the user's own (an admin: under every province)."""
    scope = scope_for()
    home = db.session.get(Locality, user().locality_id) if user().locality_id else None
    roots = (
        [home]
        if home is not None
        else db.session.scalars(
            sa.select(Locality).where(Locality.depth == 0).order_by(Locality.path)
        )
    )
    return [choice for root in roots for choice in subtree_choices(root, scope)]


@bp.route("/schools", methods=["GET", "POST"])
@roles_required(*clubs.SCHOOL_MANAGERS)
def schools():
    scope = scope_for()
    form = SchoolForm()
    form.locality.choices = _place_choices()
    if form.validate_on_submit():
        place = db.session.get(Locality, form.locality.data)
        try:
            clubs.create_school(user(), form.name.data, place, scope=scope)
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The school was added."), "success")
            return redirect(url_for("contests.schools"))
    page = db.paginate(
        clubs.visible_schools(scope).order_by(Locality.path, School.name),
        page=request.args.get("page", 1, type=int),
        per_page=50,
        error_out=False,
    )
    status = 400 if form.is_submitted() else 200
    return render_template("contests/schools.html", form=form, page=page), status


@bp.route("/schools/<int:school_id>/edit", methods=["GET", "POST"])
@roles_required(*clubs.SCHOOL_MANAGERS)
def edit_school(school_id: int):
    school = school_or_404(school_id)
    form = SchoolForm(data={"name": school.name, "locality": school.locality_id})
    form.locality.choices = [SelectChoice(school.locality_id, school.locality.name)]
    if form.validate_on_submit():
        try:
            clubs.update_school(user(), school, form.name.data, scope=scope_for())
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The school was saved."), "success")
            return redirect(url_for("contests.schools"))
    status = 400 if form.is_submitted() else 200
    return render_template("contests/school_form.html", form=form, school=school), status


# ---------------------------------------------------------------- clubs


@bp.route("/clubs")
@roles_required(*CLUB_PAGES)
def club_list():
    query = (
        clubs.visible_clubs(user(), scope_for())
        .options(joinedload(Club.school), joinedload(Club.leader))
        .order_by(Locality.path, Club.name)
    )
    page = db.paginate(
        query, page=request.args.get("page", 1, type=int), per_page=50, error_out=False
    )
    return render_template("contests/clubs.html", page=page)


def _club_form(club: Club | None) -> ClubForm:
    data = None
    if club is not None:
        data = {"name": club.name, "school": club.school_id, "leader": club.leader_id}
    form = ClubForm(data=data)
    schools_in_scope = db.session.scalars(
        clubs.visible_schools(scope_for()).order_by(School.name).limit(1000)
    ).all()
    form.school.choices = [
        SelectChoice(s.id, f"{s.name} ({s.locality.name})") for s in schools_in_scope
    ]
    leaders = clubs.leader_candidates(scope_for())
    if club is not None and club.leader is not None and club.leader not in leaders:
        leaders.append(club.leader)
    form.leader.choices = [SelectChoice("", _("No leader yet"))] + [
        SelectChoice(u.id, u.name or u.email) for u in leaders
    ]
    return form


def _club_fields(form: ClubForm) -> clubs.ClubFields:
    return clubs.ClubFields(
        name=form.name.data,
        school=db.session.get(School, form.school.data) if form.school.data else None,
        leader=db.session.get(User, form.leader.data) if form.leader.data else None,
    )


@bp.route("/clubs/new", methods=["GET", "POST"])
@roles_required(*CLUB_PAGES)
def new_club():
    form = _club_form(None)
    if form.validate_on_submit():
        try:
            club = clubs.create_club(user(), _club_fields(form), scope=scope_for())
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The club was created. Its join code is %(code)s.", code=club.join_code),
                  "success")  # fmt: skip
            return redirect(url_for("contests.club", club_id=club.id))
    status = 400 if form.is_submitted() else 200
    return render_template("contests/club_form.html", form=form, club=None), status


@bp.route("/clubs/<int:club_id>/edit", methods=["GET", "POST"])
@roles_required(*CLUB_PAGES)
def edit_club(club_id: int):
    club = managed_club_or_404(club_id)
    form = _club_form(club)
    if form.validate_on_submit():
        try:
            clubs.update_club(user(), club, _club_fields(form), scope=scope_for())
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The club was saved."), "success")
            return redirect(url_for("contests.club", club_id=club.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "contests/club_form.html", form=form, club=club, confirm=ConfirmForm()
    ), status


@bp.route("/clubs/<int:club_id>/delete", methods=["POST"])
@roles_required(*CLUB_PAGES)
def delete_club(club_id: int):
    club = managed_club_or_404(club_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("contests.edit_club", club_id=club.id))
    try:
        clubs.delete_club(user(), club, scope=scope_for())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("contests.club", club_id=club_id))
    db.session.commit()
    flash(_("The club was deleted."), "success")
    return redirect(url_for("contests.club_list"))


def join_link(club: Club) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return f"{base.rstrip('/')}{url_for('contests.join', code=club.join_code)}"


def _open_contests(club: Club) -> list[Contest]:
    """Contests (not closed) whose area holds the club: the club may enter teams."""
    ancestors = [int(part) for part in club.locality.path.strip("/").split("/")]
    return list(
        db.session.scalars(
            sa.select(Contest)
            .where(
                Contest.locality_id.in_(ancestors),
                Contest.status.in_((ContestStatus.DRAFT, ContestStatus.OPEN)),
            )
            .order_by(Contest.created_at.desc())
        )
    )


@bp.route("/clubs/<int:club_id>")
@roles_required(*CLUB_PAGES)
def club(club_id: int):
    club = club_or_404(club_id)
    club_teams = db.session.scalars(
        sa.select(Team)
        .where(Team.club_id == club.id)
        .options(joinedload(Team.contest), joinedload(Team.members))
        .order_by(Team.contest_id.desc(), Team.name)
    ).unique()
    return render_template(
        "contests/club.html",
        club=club,
        link=join_link(club),
        members=clubs.active_members(club),
        teams=list(club_teams),
        contests=_open_contests(club),
        may_manage=clubs.may_manage_club(user(), club, scope_for()),
        confirm=ConfirmForm(),
    )


@bp.route("/clubs/<int:club_id>/code", methods=["POST"])
@roles_required(*CLUB_PAGES)
def renew_code(club_id: int):
    club = managed_club_or_404(club_id)
    if ConfirmForm().validate_on_submit():
        clubs.renew_join_code(user(), club, scope=scope_for())
        db.session.commit()
        flash(_("The club has a new join code: %(code)s.", code=club.join_code), "success")
    return redirect(url_for("contests.club", club_id=club.id))


@bp.route("/clubs/<int:club_id>/sheet")
@roles_required(*CLUB_PAGES)
def club_sheet(club_id: int):
    club = club_or_404(club_id)
    link = join_link(club)
    title = _("QR code to join %(club)s", club=club.name)
    svg = Markup(qr.svg_inline(link, title))  # noqa: S704 (segno escapes the title)
    return render_template("contests/club_sheet.html", club=club, link=link, qr_svg=svg)


from surveyapp.contests import member_views  # noqa: E402,F401
