"""Contest pages for organisers and staff: the list, create/edit, status, rounds setup,
judges, and the public results page of a contest. Club, team and pupil pages live in
``club_views`` and ``pupil_views``."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from surveyapp.accounts.models import User
from surveyapp.campaigns.models import Campaign, CampaignStatus
from surveyapp.contests import bp, clubs, contests
from surveyapp.contests.forms import (
    CONTEST_STATUS_LABELS,
    ConfirmForm,
    ContestForm,
    JudgeForm,
    StatusForm,
)
from surveyapp.contests.lookups import (
    contest_judge_or_404,
    contest_or_404,
    organised_contest_or_404,
    show_error,
    user,
    visible_club_ids,
)
from surveyapp.contests.models import (
    Club,
    Contest,
    ContestJudge,
    ContestStatus,
    RoundKind,
    School,
    Team,
)
from surveyapp.contests.public_results import round_sections
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.lookup import subtree_choices
from surveyapp.localities.models import Locality, subtree_filter
from surveyapp.security import STAFF, Scope, public, roles_required, scope_for

ORGANISERS = contests.ORGANISERS


@bp.app_template_filter("contest_status_label")
def contest_status_label(value) -> str:
    return str(CONTEST_STATUS_LABELS.get(value, value))


@bp.app_template_filter("contest_time")
def contest_time(value) -> str:
    """dd/mm/yyyy hh:mm in Vietnam's time (SQLite's naive datetimes are UTC)."""
    if value is None:
        return ""
    return format_datetime(contests.as_utc(value), "dd/MM/yyyy HH:mm")


# ---------------------------------------------------------------- list and create


@bp.route("/contests")
@roles_required(*STAFF)
def index():
    scope = scope_for()
    query = (
        contests.visible_contests(user(), scope)
        .options(joinedload(Contest.campaign), joinedload(Contest.locality))
        .order_by(Contest.created_at.desc(), Contest.id.desc())
    )
    page = db.paginate(
        query, page=request.args.get("page", 1, type=int), per_page=30, error_out=False
    )
    campaigns = []
    if user().role in ORGANISERS:
        campaigns = db.session.scalars(contests.campaigns_for_contests(scope)).all()
    return render_template("contests/index.html", page=page, campaigns=campaigns)


def _campaign_or_404(campaign_id: int, scope: Scope) -> Campaign:
    campaign = db.session.scalar(
        sa.select(Campaign).where(
            Campaign.id == campaign_id, scope.campaign_condition(Campaign.root_locality_id)
        )
    )
    if campaign is None:
        abort(404)
    return campaign


def _contest_form(campaign: Campaign, scope: Scope, contest: Contest | None) -> ContestForm:
    data = None
    if contest is not None:
        data = {
            "title": contest.title,
            "description": contest.description,
            "locality": contest.locality_id,
            "max_team_size": contest.max_team_size,
        }
    form = ContestForm(data=data)
    form.locality.choices = subtree_choices(campaign.root_locality, scope)
    return form


def _contest_fields(form: ContestForm) -> contests.ContestFields:
    return contests.ContestFields(
        title=form.title.data,
        description=form.description.data or "",
        locality=db.session.get(Locality, form.locality.data),
        max_team_size=form.max_team_size.data,
    )


@bp.route("/campaigns/<int:campaign_id>/contests/new", methods=["GET", "POST"])
@roles_required(*ORGANISERS)
def new_contest(campaign_id: int):
    scope = scope_for()
    campaign = _campaign_or_404(campaign_id, scope)
    if campaign.status == CampaignStatus.CLOSED:
        raise DomainError(_("The campaign is closed; no contest can be added."))
    form = _contest_form(campaign, scope, None)
    if form.validate_on_submit():
        try:
            contest = contests.create_contest(user(), campaign, _contest_fields(form), scope=scope)
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The contest was created as a draft."), "success")
            return redirect(url_for("contests.detail", contest_id=contest.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "contests/contest_form.html", form=form, campaign=campaign, contest=None
    ), status


@bp.route("/contests/<int:contest_id>/edit", methods=["GET", "POST"])
@roles_required(*ORGANISERS)
def edit_contest(contest_id: int):
    contest = organised_contest_or_404(contest_id)
    scope = scope_for()
    form = _contest_form(contest.campaign, scope, contest)
    if form.validate_on_submit():
        try:
            contests.update_contest(user(), contest, _contest_fields(form), scope=scope)
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The contest was saved."), "success")
            return redirect(url_for("contests.detail", contest_id=contest.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "contests/contest_form.html",
        form=form,
        campaign=contest.campaign,
        contest=contest,
        confirm=ConfirmForm(),
    ), status


@bp.route("/contests/<int:contest_id>/delete", methods=["POST"])
@roles_required(*ORGANISERS)
def delete_contest(contest_id: int):
    contest = organised_contest_or_404(contest_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("contests.edit_contest", contest_id=contest.id))
    try:
        contests.delete_contest(user(), contest, scope=scope_for())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("contests.detail", contest_id=contest_id))
    db.session.commit()
    flash(_("The contest was deleted."), "success")
    return redirect(url_for("contests.index"))


# ---------------------------------------------------------------- detail and status


def _status_form(contest: Contest) -> StatusForm:
    form = StatusForm()
    form.status.choices = [
        SelectChoice(s, CONTEST_STATUS_LABELS[s]) for s in contests.next_statuses(contest)
    ]
    return form


def _entering_clubs(contest: Contest) -> list[Club]:
    """Clubs of the contest's area that the user manages (to make teams)."""
    me = user()
    if me.role not in clubs.CLUB_MANAGERS:
        return []
    return list(
        db.session.scalars(
            clubs.visible_clubs(me, scope_for())
            .where(subtree_filter(Locality.path, contest.locality.path))
            .options(joinedload(Club.school))
            .order_by(Club.name)
            .limit(200)
        )
    )


def _render_detail(contest: Contest, status_form: StatusForm, code: int = 200):
    team_list = db.session.scalars(
        sa.select(Team)
        .where(Team.contest_id == contest.id, Team.club_id.in_(visible_club_ids()))
        .options(joinedload(Team.club), joinedload(Team.members))
        .order_by(Team.name)
    ).unique()
    organiser = contests.may_organise(user(), contest, scope_for())
    return render_template(
        "contests/detail.html",
        contest=contest,
        organiser=organiser,
        status_form=status_form,
        teams=list(team_list),
        clubs=_entering_clubs(contest),
        judges_count=len(_judges(contest)) if organiser else 0,
        round_links=round_links,
    ), code


@bp.route("/contests/<int:contest_id>")
@roles_required(*STAFF)
def detail(contest_id: int):
    contest = contest_or_404(contest_id)
    return _render_detail(contest, _status_form(contest))


@bp.route("/contests/<int:contest_id>/status", methods=["POST"])
@roles_required(*ORGANISERS)
def contest_status(contest_id: int):
    contest = organised_contest_or_404(contest_id)
    form = _status_form(contest)
    if form.validate_on_submit():
        try:
            contests.set_contest_status(user(), contest, form.status.data, scope=scope_for())
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The contest's status was changed."), "success")
            return redirect(url_for("contests.detail", contest_id=contest.id))
    return _render_detail(contest, form, 400)


# Pages of the quiz and product modules: (endpoint, argument name, label, organisers only).
ROUND_PAGES = {
    RoundKind.QUIZ: (
        ("contests.leaderboard", "round_id", _l("Leaderboard"), False),
        ("contests.quiz_attempts", "round_id", _l("Attempts"), True),
    ),
    RoundKind.PRODUCT: (
        ("contests.rubric_edit", "product_round_id", _l("Rubric"), True),
        ("contests.round_entries", "product_round_id", _l("Entries"), True),
        ("contests.judge_assign", "product_round_id", _l("Judges' assignments"), True),
        ("contests.results_round", "product_round_id", _l("Results"), True),
    ),
}


def round_links(rnd, organiser: bool) -> list[tuple[str, str]]:
    """Links to the pages of the quiz and product modules that exist for this round and
    that the viewer may open (an organiser's pages only for an organiser)."""
    return [
        (url_for(endpoint, **{argument: rnd.id}), str(label))
        for endpoint, argument, label, organisers_only in ROUND_PAGES.get(rnd.kind, ())
        if endpoint in current_app.view_functions and (organiser or not organisers_only)
    ]


# ---------------------------------------------------------------- judges


def _judges(contest: Contest) -> list[ContestJudge]:
    return list(
        db.session.scalars(
            sa.select(ContestJudge)
            .where(ContestJudge.contest_id == contest.id)
            .options(joinedload(ContestJudge.user), joinedload(ContestJudge.school))
        )
    )


def _judge_form(contest: Contest) -> JudgeForm:
    form = JudgeForm()
    form.judge.choices = [
        SelectChoice(u.id, f"{u.name or u.email} ({u.email})")
        for u in contests.judge_candidates(scope_for())
    ]
    form.school.choices = [SelectChoice("", _("No school (an outside judge)"))] + [
        SelectChoice(s.id, s.name) for s in contests.contest_schools(contest)
    ]
    return form


@bp.route("/contests/<int:contest_id>/judges", methods=["GET", "POST"])
@roles_required(*ORGANISERS)
def judges(contest_id: int):
    contest = organised_contest_or_404(contest_id)
    form = _judge_form(contest)
    if form.validate_on_submit():
        judge = db.session.get(User, form.judge.data)
        school = db.session.get(School, form.school.data) if form.school.data else None
        try:
            contests.add_judge(user(), contest, judge, school, scope=scope_for())
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The judge was saved."), "success")
            return redirect(url_for("contests.judges", contest_id=contest.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "contests/contest_judges.html", contest=contest, form=form, judges=_judges(contest)
    ), status


@bp.route("/contests/<int:contest_id>/judges/<int:judge_id>/remove", methods=["POST"])
@roles_required(*ORGANISERS)
def remove_judge(contest_id: int, judge_id: int):
    contest = organised_contest_or_404(contest_id)
    found = contest_judge_or_404(contest, judge_id)
    contests.remove_judge(user(), contest, found, scope=scope_for())
    db.session.commit()
    flash(_("The judge was removed from the contest."), "success")
    return redirect(url_for("contests.judges", contest_id=contest.id))


# ---------------------------------------------------------------- public results


@bp.route("/contests/<int:contest_id>/results")
@public
def results(contest_id: int):
    contest = db.session.get(Contest, contest_id)
    if contest is None or contest.status == ContestStatus.DRAFT:
        abort(404)
    return render_template(
        "contests/public_results.html", contest=contest, sections=round_sections(contest)
    )


from surveyapp.contests import club_views, pupil_views, round_views  # noqa: E402,F401
