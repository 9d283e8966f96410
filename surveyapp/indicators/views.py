"""Routes of the indicators blueprint: a campaign's rule (read, edit, history) and the
queue of follow-up examples to review."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from surveyapp.accounts.models import Role
from surveyapp.campaigns.queries import visible_campaigns
from surveyapp.campaigns.view_helpers import campaign_or_404, handle
from surveyapp.extensions import db
from surveyapp.indicators import bp, reviews, rules, wording
from surveyapp.indicators.forms import QueueFilterForm, ReviewForm, RuleForm
from surveyapp.indicators.rule import DEFAULT_RULE, Rule
from surveyapp.security import STAFF, is_safe_redirect, roles_required, scope_for

REVIEWERS = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER)
PER_PAGE = 20
TABS = ("pending", "reviewed")


def _user():
    return current_user._get_current_object()


def _history(campaign_id: int) -> list[dict]:
    """Stored versions newest first, then the default rule (version 1) they started from."""
    rows = [
        {
            "version": r.version,
            "at": r.created_at,
            "by": r.created_by,
            "note": r.note,
            "rule": Rule.from_dict(r.definition),
        }
        for r in rules.rule_history(campaign_id)
    ]
    if not rows or rows[-1]["version"] > DEFAULT_RULE.version:
        rows.append({"version": 1, "at": None, "by": None, "note": None, "rule": DEFAULT_RULE})
    return rows


@bp.route("/campaigns/<int:campaign_id>/indicator-rule", methods=["GET", "POST"])
@roles_required(*STAFF)
def rule(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    user = _user()
    may_edit = rules.may_edit_rule(user, campaign)
    if request.method == "POST" and not may_edit:
        abort(403)
    stored = rules.current_rule(campaign.id)
    form = RuleForm() if may_edit else None
    status = 200
    if form is not None:
        if not form.is_submitted():
            form.fill(stored.rule)
        ok, saved, status = handle(
            form,
            lambda: rules.save_rule(
                campaign, form.rule_data(), user, form.note.data or "",
                expected_version=form.expected_version(),
            ),
        )  # fmt: skip
        if ok:
            flash(_("Version %(version)s of the rule was saved.", version=saved.version), "success")
            return redirect(url_for("indicators.rule", campaign_id=campaign.id))
        form.base_version.data = str(stored.version)  # the version this page shows
    return render_template(
        "indicators/rule.html",
        campaign=campaign,
        stored=stored,
        form=form,
        history=_history(campaign.id),
        wording=wording,
        languages=(("vi", "Tiếng Việt"), ("en", "English")),
    ), status


# ---------------------------------------------------------------- example review queue


def _queue_state(args: MultiDict):
    """The tab, campaign filter and page asked for in the query string ``args``."""
    scope = scope_for()
    filters = QueueFilterForm(args)
    campaigns = db.session.scalars(visible_campaigns(scope)).all()
    filters.campaign.choices = [SelectChoice("", _("All campaigns"))] + [
        SelectChoice(c.id, c.name) for c in campaigns
    ]
    campaign_id = (
        filters.campaign.data if filters.campaign.data in {c.id for c in campaigns} else None
    )
    tab = args.get("tab", "pending")
    return scope, filters, campaign_id, tab if tab in TABS else "pending"


def _render_queue(args: MultiDict, failed=None, status: int = 200):
    """The queue page; ``failed`` is ``(response, form)`` of a review sent with errors."""
    scope, filters, campaign_id, tab = _queue_state(args)
    user = _user()
    query = (reviews.pending_examples if tab == "pending" else reviews.reviewed_examples)(
        scope, user, campaign_id
    )
    page = db.paginate(
        query, page=args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False
    )
    shown = list(page.items)
    forms = {}
    if failed is not None:
        forms[failed[0].id] = failed[1]
        if failed[0] not in shown:
            shown.insert(0, failed[0])
    cards = reviews.example_cards(shown)
    for card in cards:
        forms.setdefault(card.response_id, _review_form(card))
    pending = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            reviews.pending_examples(scope, user, campaign_id).order_by(None).subquery()
        )
    )
    kept = {k: v for k, v in (("campaign", campaign_id), ("tab", tab)) if v}
    return render_template(
        "indicators/reviews.html",
        filters=filters,
        cards=cards,
        forms=forms,
        page=page,
        tab=tab,
        kept=kept,
        pending=pending,
        back=_queue_url(args),
    ), status


def _queue_url(args: MultiDict) -> str:
    wanted = {k: args.get(k) for k in ("campaign", "tab", "page") if args.get(k)}
    return url_for("indicators.examples", **wanted)


def _args_of(target: str | None) -> MultiDict:
    """The query string of the queue page a review was sent from."""
    if not is_safe_redirect(target):
        return MultiDict()
    return MultiDict(parse_qsl(urlsplit(target).query))


def _review_form(card) -> ReviewForm:
    form = ReviewForm(prefix=f"r{card.response_id}", formdata=None)
    if card.review is not None:
        form.decision.data = "accept" if card.review.status == "accepted" else "reject"
        form.quality_gain.data = card.review.quality_gain
        form.note.data = card.review.note
    return form


@bp.route("/reviews/examples")
@roles_required(*REVIEWERS)
def examples():
    return _render_queue(request.args)


@bp.route("/reviews/examples/<int:response_id>", methods=["POST"])
@roles_required(*REVIEWERS)
def review(response_id: int):
    user = _user()
    response = reviews.find_reviewable(scope_for(), user, response_id)
    if response is None:
        abort(404)
    form = ReviewForm(prefix=f"r{response_id}")
    ok, _review, status = handle(
        form,
        lambda: reviews.review_example(
            response, user,
            accepted=form.decision.data == "accept",
            quality_gain=bool(form.quality_gain.data),
            note=form.note.data or "",
        ),
    )  # fmt: skip
    if ok:
        flash(_("Your review was saved."), "success")
        return redirect(_queue_url(_args_of(request.form.get("next"))))
    return _render_queue(_args_of(request.form.get("next")), (response, form), status)
