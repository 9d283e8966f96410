"""Data-quality pages: the queue of flagged responses and the review of one response."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from surveyapp.audit.models import AuditEntry
from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import TrainingClass
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.models_base import utcnow
from surveyapp.participants.models import Participant
from surveyapp.quality import bp, review
from surveyapp.quality.duplicates import same_person_candidates
from surveyapp.quality.forms import FilterForm, ReviewForm
from surveyapp.responses import moments
from surveyapp.responses.models import Response
from surveyapp.security import is_safe_redirect, roles_required, scope_for

PER_PAGE = 20
FILTER_ARGS = ("tab", "campaign", "class_id", "flag")


@bp.context_processor
def _template_helpers():
    return {"duration": format_duration, "when": when, **moments.template_helpers()}


def when(value) -> str:
    """Date and time in the app's time zone (Vietnam): "01/03/2026 16:00"."""
    return format_datetime(value, "dd/MM/yyyy HH:mm") if value is not None else ""


def format_duration(seconds: float | None) -> str:
    """A duration as people say it: "45 s", "3 min 20 s", "1 h 05 min"."""
    if seconds is None:
        return _("not timed")
    seconds = int(round(seconds))
    if seconds < 60:
        return _("%(s)s s", s=seconds)
    if seconds < 3600:
        return _("%(m)s min %(s)s s", m=seconds // 60, s=f"{seconds % 60:02d}")
    return _("%(h)s h %(m)s min", h=seconds // 3600, m=f"{seconds % 3600 // 60:02d}")


def _user():
    return current_user._get_current_object()


def _filter_form() -> FilterForm:
    form = FilterForm(formdata=request.args)
    classes = review.reviewable_class_ids(_user(), scope_for())
    campaigns = db.session.scalars(
        sa.select(Campaign)
        .where(
            Campaign.id.in_(
                sa.select(TrainingClass.campaign_id).where(TrainingClass.id.in_(classes))
            )
        )
        .order_by(Campaign.start_date.desc(), Campaign.id.desc())
    ).all()
    form.campaign.choices = [SelectChoice("", _("All campaigns"))] + [
        SelectChoice(c.id, c.name) for c in campaigns
    ]
    class_query = sa.select(TrainingClass).where(TrainingClass.id.in_(classes))
    chosen = request.args.get("campaign", type=int)
    if chosen is not None:
        class_query = class_query.where(TrainingClass.campaign_id == chosen)
    form.class_id.choices = [SelectChoice("", _("All classes"))] + [
        SelectChoice(c.id, f"{c.access_code} · {c.title}")
        for c in db.session.scalars(class_query.order_by(TrainingClass.start_date.desc()))
    ]
    form.validate()
    return form


def _chosen(form: FilterForm, name: str):
    field = getattr(form, name)
    return None if field.errors else (field.data or None)


@bp.route("/quality")
@roles_required(*review.REVIEWERS)
def index():
    form = _filter_form()
    tab = form.tab.data
    query = review.review_queue(
        _user(),
        scope_for(),
        tab=tab,
        campaign_id=_chosen(form, "campaign"),
        class_id=_chosen(form, "class_id"),
        flag=_chosen(form, "flag"),
    ).options(joinedload(Response.version))
    page = db.paginate(
        query, page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False
    )
    rows = _rows(page.items)
    kept = {k: request.args[k] for k in FILTER_ARGS if request.args.get(k)}
    return render_template(
        "quality/index.html",
        form=form,
        tab=tab,
        tabs=_tab_links(kept),
        page=page,
        rows=rows,
        kept=kept,
        here=request.full_path if request.query_string else request.path,
        pending=review.flagged_pending_count(scope_for(), _user()),
        flag_labels=review.FLAG_LABELS,
    ), 400 if form.errors else 200


def _tab_links(kept: dict) -> list[tuple[str, str, str]]:
    labels = {
        review.Tab.PENDING: _("To review"),
        review.Tab.REVIEWED: _("Kept"),
        review.Tab.EXCLUDED: _("Excluded"),
    }
    others = {k: v for k, v in kept.items() if k not in ("tab", "page")}
    return [
        (tab, label, url_for("quality.index", tab=tab, **others)) for tab, label in labels.items()
    ]


def _rows(responses: list[Response]) -> list[dict]:
    """What each row shows: class, person (never a phone), pace, flags."""
    answered = review.answered_counts([r.id for r in responses])
    classes = _by_id(TrainingClass, {r.class_id for r in responses})
    people = _by_id(Participant, {r.participant_id for r in responses})
    return [
        {
            "response": r,
            "cls": classes.get(r.class_id),
            "person": people.get(r.participant_id),
            "pace": review.pace_of(r, answered.get(r.id, 0)),
        }
        for r in responses
    ]


def _by_id(model, ids) -> dict:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    return {obj.id: obj for obj in db.session.scalars(sa.select(model).where(model.id.in_(ids)))}


# ---------------------------------------------------------------- one response


def _response_or_404(response_id: int) -> Response:
    response = review.reviewable_response(_user(), scope_for(), response_id)
    if response is None:
        abort(404)
    return response


def _render_detail(response: Response, form: ReviewForm, status: int = 200):
    cls = db.session.get(TrainingClass, response.class_id)
    person = (
        db.session.get(Participant, response.participant_id) if response.participant_id else None
    )
    answered = review.answered_counts([response.id]).get(response.id, 0)
    candidates = []
    if person is not None:
        visible = review.reviewable_class_ids(_user(), scope_for()).where(
            TrainingClass.campaign_id == cls.campaign_id
        )
        candidates = same_person_candidates(person, visible)
    history = db.session.scalars(
        sa.select(AuditEntry)
        .options(joinedload(AuditEntry.actor))
        .where(AuditEntry.object_type == "response", AuditEntry.object_id == response.id)
        .where(AuditEntry.action.like("response.%"))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ).all()
    return render_template(
        "quality/detail.html",
        response=response,
        cls=cls,
        person=person,
        pace=review.pace_of(response, answered, review.form_median(response)),
        candidates=candidates,
        history=history,
        form=form,
        back=form.next.data if is_safe_redirect(form.next.data) else url_for("quality.index"),
        flag_labels=review.FLAG_LABELS,
    ), status


@bp.route("/quality/responses/<int:response_id>")
@roles_required(*review.REVIEWERS)
def detail(response_id: int):
    response = _response_or_404(response_id)
    form = ReviewForm(formdata=None, data={"next": request.args.get("next", "")})
    return _render_detail(response, form)


@bp.route("/quality/responses/<int:response_id>", methods=["POST"])
@roles_required(*review.REVIEWERS)
def act(response_id: int):
    response = _response_or_404(response_id)
    form = ReviewForm()
    try:
        review.apply_action(
            response, _user(), form.action.data or "", reason=form.reason.data or "", now=utcnow()
        )
    except DomainError as error:
        db.session.rollback()
        target = form.reason if error.field == "reason" else None
        if target is not None:
            target.errors = [str(error.message)]
        else:
            form.form_errors.append(str(error.message))
        return _render_detail(_response_or_404(response_id), form, 400)
    db.session.commit()
    flash(_DONE[form.action.data](), "success")
    target = form.next.data
    return redirect(target if is_safe_redirect(target) else url_for("quality.index"), 303)


_DONE = {
    review.Action.CONFIRM: lambda: _("The response is kept and counts in every figure."),
    review.Action.EXCLUDE: lambda: _("The response is excluded from every figure."),
    review.Action.RESTORE: lambda: _("The response counts again."),
}
