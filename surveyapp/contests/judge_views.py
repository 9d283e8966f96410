"""Routes of judging product rounds: the rubric editor and judge assignment (organisers),
the judges' own list and score form."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from surveyapp.accounts.models import Role, User
from surveyapp.contests import bp, entries, judging, rubric
from surveyapp.contests import entry_access as access
from surveyapp.contests.clock import now
from surveyapp.contests.entry_forms import (
    ActionForm,
    AssignForm,
    AutoAssignForm,
    CriterionForm,
    score_form,
)
from surveyapp.contests.entry_models import Entry, JudgeAssignment, RubricCriterion
from surveyapp.contests.entry_views import me, show_error
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.security import roles_required

ORGANISERS = (Role.ADMIN, Role.COORDINATOR)


# ---------------------------------------------------------------- rubric


def _criterion_fields(form: CriterionForm) -> dict:
    return {
        "name": form.name.data,
        "description": form.description.data,
        "weight": form.weight.data,
        "min_score": form.min_score.data,
        "max_score": form.max_score.data,
    }


@bp.route("/contests/product-rounds/<int:product_round_id>/rubric", methods=["GET", "POST"])
@roles_required(*ORGANISERS)
def rubric_edit(product_round_id):
    round_ = access.organised_round_or_404(me(), product_round_id)
    form = CriterionForm()
    if form.validate_on_submit():
        try:
            rubric.add_criterion(round_, **_criterion_fields(form))
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The criterion was added."), "success")
            return redirect(url_for("contests.rubric_edit", product_round_id=round_.id))
    return render_template(
        "contests/judge_rubric.html",
        round=round_,
        criteria=rubric.criteria(round_),
        locked=rubric.has_scores(round_),
        form=form,
        action_form=ActionForm(),
    ), (400 if form.is_submitted() else 200)


def _criterion_or_404(criterion_id):
    criterion = db.session.get(RubricCriterion, criterion_id)
    if criterion is None:
        abort(404)
    return criterion, access.organised_round_or_404(me(), criterion.round_id)


@bp.route("/contests/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@roles_required(*ORGANISERS)
def criterion_edit(criterion_id):
    criterion, round_ = _criterion_or_404(criterion_id)
    form = CriterionForm(obj=criterion)
    if not form.is_submitted():
        form.weight.data = judging.plain(criterion.weight)
        form.min_score.data = judging.plain(criterion.min_score)
        form.max_score.data = judging.plain(criterion.max_score)
    if form.validate_on_submit():
        try:
            rubric.update_criterion(criterion, round_, **_criterion_fields(form))
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The criterion was saved."), "success")
            return redirect(url_for("contests.rubric_edit", product_round_id=round_.id))
    return render_template(
        "contests/judge_criterion.html", round=round_, criterion=criterion, form=form
    ), (400 if form.is_submitted() else 200)


@bp.route("/contests/criteria/<int:criterion_id>/delete", methods=["POST"])
@roles_required(*ORGANISERS)
def criterion_delete(criterion_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    criterion, round_ = _criterion_or_404(criterion_id)
    try:
        rubric.delete_criterion(criterion, round_)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The criterion was removed."), "success")
    return redirect(url_for("contests.rubric_edit", product_round_id=round_.id))


# ---------------------------------------------------------------- assignment


def _assign_forms(round_, assign_form=None, auto_form=None):
    assign_form = assign_form or AssignForm(formdata=None)
    assign_form.entry.choices = [
        SelectChoice(e.id, f"{e.title} ({e.team.name})") for e in entries.round_entries(round_)
    ]
    assign_form.judge.choices = [
        SelectChoice(j.user_id, j.user.name or j.user.email)
        for j in judging.contest_judges(round_.contest_id)
    ]
    return assign_form, auto_form or AutoAssignForm(formdata=None)


def _judging_page(round_, assign_form, auto_form, status=200):
    return render_template(
        "contests/judge_assign.html",
        round=round_,
        assignments=judging.round_assignments(round_),
        judges=judging.contest_judges(round_.contest_id),
        entries=entries.round_entries(round_),
        assign_form=assign_form,
        auto_form=auto_form,
        action_form=ActionForm(),
    ), status


@bp.route("/contests/product-rounds/<int:product_round_id>/judges", methods=["GET", "POST"])
@roles_required(*ORGANISERS)
def judge_assign(product_round_id):
    round_ = access.organised_round_or_404(me(), product_round_id)
    assign_form, auto_form = _assign_forms(
        round_, AssignForm() if request.method == "POST" else None
    )
    if assign_form.validate_on_submit():
        entry = db.session.get(Entry, assign_form.entry.data)
        judge = db.session.get(User, assign_form.judge.data)
        try:
            if entry is None or entry.round_id != round_.id or judge is None:
                raise DomainError(_("Choose an entry and a judge of this round."), field="entry")
            judging.assign(entry, judge, now=now())
        except DomainError as error:
            db.session.rollback()
            show_error(assign_form, error)
        else:
            db.session.commit()
            flash(_("The judge was assigned."), "success")
            return redirect(url_for("contests.judge_assign", product_round_id=round_.id))
    status = 400 if assign_form.is_submitted() else 200
    return _judging_page(round_, assign_form, auto_form, status)


@bp.route("/contests/product-rounds/<int:product_round_id>/judges/auto", methods=["POST"])
@roles_required(*ORGANISERS)
def judge_auto_assign(product_round_id):
    round_ = access.organised_round_or_404(me(), product_round_id)
    auto_form = AutoAssignForm()
    assign_form, _auto = _assign_forms(round_, None, auto_form)
    if auto_form.validate_on_submit():
        try:
            added = judging.auto_assign(round_, auto_form.k.data, now=now())
        except DomainError as error:
            db.session.rollback()
            show_error(auto_form, error)
        else:
            db.session.commit()
            flash(_("%(n)s assignments were added.", n=added), "success")
            return redirect(url_for("contests.judge_assign", product_round_id=round_.id))
    return _judging_page(round_, assign_form, auto_form, 400)


@bp.route("/contests/assignments/<int:assignment_id>/delete", methods=["POST"])
@roles_required(*ORGANISERS)
def judge_unassign(assignment_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    assignment = db.session.get(JudgeAssignment, assignment_id)
    if assignment is None:
        abort(404)
    round_ = access.organised_round_or_404(me(), assignment.entry.round_id)
    try:
        judging.unassign(assignment)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The assignment was removed."), "success")
    return redirect(url_for("contests.judge_assign", product_round_id=round_.id))


# ---------------------------------------------------------------- the judge's pages


@bp.route("/contests/judging")
@roles_required(Role.JUDGE)
def judge_home():
    return render_template("contests/judge_home.html", assignments=judging.my_assignments(me()))


@bp.route("/contests/assignments/<int:assignment_id>/score", methods=["GET", "POST"])
@roles_required(Role.JUDGE, *ORGANISERS)
def judge_score(assignment_id):
    """The assigned judge scores; organisers of the contest may only read the scores."""
    user = me()
    assignment = db.session.get(JudgeAssignment, assignment_id)
    if assignment is None:
        abort(404)
    entry = assignment.entry
    own = user.role == Role.JUDGE and assignment.judge_id == user.id
    if not own and not (user.role != Role.JUDGE and access.is_organiser(user, entry.round.contest)):
        abort(404)
    if request.method == "POST" and not own:
        abort(403)
    criteria = rubric.criteria(entry.round)
    form = score_form(criteria, assignment)
    if own and form.validate_on_submit():
        scores = {c.id: getattr(form, f"c{c.id}").data for c in criteria}
        try:
            judging.submit_scores(assignment, scores, form.comment.data, now=now())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Your scores were saved."), "success")
            return redirect(url_for("contests.judge_home"))
    return render_template(
        "contests/judge_score.html",
        assignment=assignment,
        entry=entry,
        criteria=criteria,
        form=form,
        editable=own and entry.round.results_published_at is None,
    ), (400 if form.is_submitted() else 200)
