"""Routes of product-round results: the organisers' page (with inter-rater agreement),
publishing, awarding prizes, and the public standings once published."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from surveyapp.accounts.models import Role
from surveyapp.contests import awards, bp
from surveyapp.contests import entry_access as access
from surveyapp.contests.clock import now
from surveyapp.contests.entries import has_closed, round_entries
from surveyapp.contests.entry_forms import ActionForm, AwardForm
from surveyapp.contests.entry_views import me, show_error
from surveyapp.contests.results import round_results
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.security import public, roles_required

ORGANISERS = (Role.ADMIN, Role.COORDINATOR)


def _page(round_, award_form=None, status=200):
    return render_template(
        "contests/results_round.html",
        round=round_,
        results=round_results(round_, organiser=True),
        action_form=ActionForm(),
        award_form=award_form or AwardForm(formdata=None),
        awarded=any(e.awarded_at is not None for e in round_entries(round_)),
        closed=has_closed(round_, now()),
    ), status


@bp.route("/contests/product-rounds/<int:product_round_id>/results")
@roles_required(*ORGANISERS)
def results_round(product_round_id):
    return _page(access.organised_round_or_404(me(), product_round_id))


@bp.route("/contests/product-rounds/<int:product_round_id>/results/publish", methods=["POST"])
@roles_required(*ORGANISERS)
def results_publish(product_round_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    round_ = access.organised_round_or_404(me(), product_round_id)
    try:
        awards.publish_results(round_, me(), now=now())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The results are published."), "success")
    return redirect(url_for("contests.results_round", product_round_id=round_.id))


@bp.route("/contests/product-rounds/<int:product_round_id>/awards", methods=["POST"])
@roles_required(*ORGANISERS)
def results_award(product_round_id):
    form = AwardForm()
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400)
    round_ = access.organised_round_or_404(me(), product_round_id)
    if form.errors:
        return _page(round_, form, 400)
    try:
        issued = awards.award_prizes(round_, me(), consolation=form.consolation.data, now=now())
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return _page(round_, form, 400)
    db.session.commit()
    flash(_("The prizes were awarded: %(n)s certificates issued.", n=issued), "success")
    return redirect(url_for("contests.results_round", product_round_id=round_.id))


@bp.route("/contests/product-rounds/<int:product_round_id>/standings")
@public
def results_public(product_round_id):
    round_ = access.product_round_or_404(product_round_id)
    if round_.results_published_at is None:
        abort(404)
    return render_template(
        "contests/results_public.html", round=round_, results=round_results(round_)
    )
