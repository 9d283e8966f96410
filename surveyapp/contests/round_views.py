"""Round setup pages for organisers: add, edit and delete the quiz and product rounds of a
contest (the rubric editor, attempts and judging pages belong to other modules)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from surveyapp.contests import bp, contests, rounds
from surveyapp.contests.forms import ConfirmForm, RoundForm, local_to_utc, utc_to_local
from surveyapp.contests.lookups import (
    organised_contest_or_404,
    organised_round_or_404,
    show_error,
    user,
)
from surveyapp.contests.models import Contest, LateRule, Round, RoundKind
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.instruments.i18n import tr
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.security import roles_required, scope_for

RENAMES = {"time_limit_seconds": "time_limit_minutes", "kind": None}


def _round_form(rnd: Round | None) -> RoundForm:
    form = RoundForm(data=_initial(rnd) if rnd is not None else None)
    versions = db.session.scalars(rounds.quiz_versions(scope_for())).all()
    form.version.choices = [SelectChoice("", _("Choose a contest quiz"))] + [
        SelectChoice(v.id, f"{tr(v.title) or tr(v.instrument.title)} (v{v.number})")
        for v in versions
    ]
    return form


def _initial(rnd: Round) -> dict:
    limit = rnd.time_limit_seconds
    return {
        "title": rnd.title,
        "opens_at": utc_to_local(rnd.opens_at),
        "closes_at": utc_to_local(rnd.closes_at),
        "version": rnd.version_id,
        "time_limit_minutes": limit // 60 if limit else None,
        "team_attempts": rnd.team_attempts,
        "attempts_allowed": rnd.attempts_allowed,
        "late_rule": rnd.late_rule,
        "late_penalty_percent": rnd.late_penalty_percent,
        "grace_seconds": rnd.grace_seconds,
        "freeze_minutes": rnd.freeze_minutes,
        "categories": "\n".join(rnd.categories or []),
        "max_file_mb": rnd.max_file_mb,
        "standardise_scores": rnd.standardise_scores,
    }


def _fields(form: RoundForm, kind: str) -> rounds.RoundFields:
    minutes = form.time_limit_minutes.data
    version = db.session.get(InstrumentVersion, form.version.data) if form.version.data else None
    return rounds.RoundFields(
        kind=kind,
        title=form.title.data,
        opens_at=local_to_utc(form.opens_at.data),
        closes_at=local_to_utc(form.closes_at.data),
        version=version,
        time_limit_seconds=minutes * 60 if minutes is not None else None,
        team_attempts=bool(form.team_attempts.data),
        attempts_allowed=form.attempts_allowed.data,
        late_rule=form.late_rule.data or LateRule.ZERO,
        late_penalty_percent=form.late_penalty_percent.data,
        grace_seconds=form.grace_seconds.data,
        freeze_minutes=form.freeze_minutes.data,
        categories=(form.categories.data or "").splitlines(),
        max_file_mb=form.max_file_mb.data,
        standardise_scores=bool(form.standardise_scores.data),
    )


def _render(form, contest: Contest, kind: str, rnd: Round | None, code: int):
    return render_template(
        "contests/round_form.html",
        form=form,
        contest=contest,
        kind=kind,
        rnd=rnd,
        delete_form=ConfirmForm(),
    ), code


@bp.route("/contests/<int:contest_id>/rounds/new", methods=["GET", "POST"])
@roles_required(*contests.ORGANISERS)
def new_round(contest_id: int):
    contest = organised_contest_or_404(contest_id)
    kind = RoundKind.PRODUCT if request.args.get("kind") == "product" else RoundKind.QUIZ
    form = _round_form(None)
    if form.validate_on_submit():
        try:
            rounds.create_round(user(), contest, _fields(form, kind), scope=scope_for())
        except DomainError as error:
            show_error(form, error, RENAMES)
        else:
            db.session.commit()
            flash(_("The round was added."), "success")
            return redirect(url_for("contests.detail", contest_id=contest.id))
    return _render(form, contest, kind, None, 400 if form.is_submitted() else 200)


@bp.route("/contests/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@roles_required(*contests.ORGANISERS)
def edit_round(round_id: int):
    rnd = organised_round_or_404(round_id)
    form = _round_form(rnd)
    if form.validate_on_submit():
        try:
            rounds.update_round(user(), rnd, _fields(form, rnd.kind), scope=scope_for())
        except DomainError as error:
            show_error(form, error, RENAMES)
        else:
            db.session.commit()
            flash(_("The round was saved."), "success")
            return redirect(url_for("contests.detail", contest_id=rnd.contest_id))
    return _render(form, rnd.contest, rnd.kind, rnd, 400 if form.is_submitted() else 200)


@bp.route("/contests/rounds/<int:round_id>/delete", methods=["POST"])
@roles_required(*contests.ORGANISERS)
def delete_round(round_id: int):
    rnd = organised_round_or_404(round_id)
    contest_id = rnd.contest_id
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _render(_round_form(rnd), rnd.contest, rnd.kind, rnd, 400)
    try:
        rounds.delete_round(user(), rnd, scope=scope_for())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("contests.edit_round", round_id=round_id))
    db.session.commit()
    flash(_("The round was deleted."), "success")
    return redirect(url_for("contests.detail", contest_id=contest_id))
