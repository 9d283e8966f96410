"""Routes of the approvals blueprint: the list, submitting a locality's figures for a
period, one submission (snapshot, changes since, history) and the decisions on it.

Reading: admins, coordinators and evaluators, within scope. Submitting and deciding:
coordinators and admins; the services check who is at the level above.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload

from surveyapp.audit.models import AuditEntry
from surveyapp.campaigns import queries
from surveyapp.campaigns.models import Metric
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.models_base import utcnow
from surveyapp.security import MANAGERS, READERS, get_in_scope_or_404, roles_required, scope_for

from . import bp, locks, services, snapshot
from .forms import DecisionForm, ResubmitForm, SubmitForm
from .models import ApprovalStatus, FigureApproval

PER_PAGE = 20
STATUS_LABELS = {
    ApprovalStatus.SUBMITTED: _l("Awaiting approval"),
    ApprovalStatus.APPROVED: _l("Approved"),
    ApprovalStatus.RETURNED: _l("Returned"),
}
STAT_LABELS = {
    "learners": _l("Learners"),
    "respondents": _l("Follow-ups counted"),
    "too_early": _l("Follow-ups too early"),
    "achieved": _l("Achieved"),
    "partly": _l("Partly achieved"),
    "not_yet": _l("Not yet achieved"),
}
TO_DECIDE = "to_decide"


def _user():
    return current_user._get_current_object()


@bp.app_template_global("approval_state")
def _approval_state(campaign, head, filters=None):
    """For the dashboard: the approval state of ``head`` for the filters' period."""
    start = getattr(filters, "date_from", None)
    end = getattr(filters, "date_to", None)
    return services.approval_state(campaign, head, start, end)


@bp.app_template_filter("approval_status_label")
def _status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


@bp.app_template_global("response_is_held")
def _response_is_held(response) -> bool:
    return locks.is_held(response)


@bp.context_processor
def _helpers():
    return {
        "status_labels": STATUS_LABELS,
        "stat_labels": STAT_LABELS,
        "metrics": [m.value for m in Metric],
    }


# ---------------------------------------------------------------- list


@bp.route("/approvals")
@roles_required(*READERS)
def index():
    scope = scope_for()
    status = request.args.get("status", "")
    if status == TO_DECIDE:
        query = services.awaiting_decision(_user(), scope)
    else:
        query = services.visible_approvals(scope)
        if status in set(ApprovalStatus):
            query = query.where(FigureApproval.status == status)
        else:
            status = ""
    page = db.paginate(
        query.options(joinedload(FigureApproval.campaign), joinedload(FigureApproval.locality)),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    waiting = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            services.awaiting_decision(_user(), scope).order_by(None).subquery()
        )
    )
    return render_template(
        "approvals/index.html", page=page, status=status, waiting=waiting, to_decide=TO_DECIDE
    )


# ---------------------------------------------------------------- submitting


def _arg_date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _locality_id(raw) -> int | None:
    text = str(raw or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 12:
        abort(404)
    return int(text)


@bp.route("/campaigns/<int:campaign_id>/approvals/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new(campaign_id: int):
    scope = scope_for()
    campaign = queries.find_visible_campaign(scope, campaign_id)
    if campaign is None:
        abort(404)
    form = SubmitForm() if request.method == "POST" else _prefilled(campaign)
    locality = queries.drill_locality(campaign, scope, _locality_id(form.locality_id.data))
    if locality is None:
        abort(404)
    form.locality_id.data = str(locality.id)
    if not form.is_submitted():
        return _render_new(campaign, locality, form, 200)
    if not form.validate():
        return _render_new(campaign, locality, form, 400)
    try:
        approval = services.submit_figures(
            campaign,
            locality,
            form.period_start.data,
            form.period_end.data,
            actor=_user(),
            scope=scope,
            now=utcnow(),
            note=form.note.data or "",
        )
    except DomainError as error:
        db.session.rollback()
        _show_error(form, error)
        return _render_new(campaign, locality, form, error.status_code)
    db.session.commit()
    flash(_("The figures were submitted for approval."), "success")
    return redirect(url_for("approvals.detail", approval_id=approval.id), 303)


def _prefilled(campaign) -> SubmitForm:
    """The form as the dashboard opens it: its locality and period (or the campaign's)."""
    return SubmitForm(
        formdata=None,
        data={
            "locality_id": request.args.get("locality_id", ""),
            "period_start": _arg_date("date_from") or campaign.start_date,
            "period_end": _arg_date("date_to") or campaign.end_date,
        },
    )


def _show_error(form, error: DomainError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is not None and hasattr(target, "errors") and target.name != "locality_id":
        target.errors = [*target.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def _render_new(campaign, locality, form, status):
    start, end = form.period_start.data, form.period_end.data
    preview = None
    if start and end and start <= end:
        preview = snapshot.take(campaign, locality, start, end)
    state = services.approval_state(campaign, locality, start, end)
    return render_template(
        "approvals/new.html",
        campaign=campaign,
        locality=locality,
        form=form,
        preview=preview,
        state=state,
    ), status


# ---------------------------------------------------------------- one submission


def _approval_or_404(approval_id: int) -> FigureApproval:
    return get_in_scope_or_404(FigureApproval, approval_id)


def _render_detail(approval, decision=None, resubmit_form=None, status=200):
    scope = scope_for()
    current = snapshot.take(
        approval.campaign, approval.locality, approval.period_start, approval.period_end
    )
    history = db.session.scalars(
        sa.select(AuditEntry)
        .options(joinedload(AuditEntry.actor))
        .where(AuditEntry.object_type == "figure_approval", AuditEntry.object_id == approval.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ).all()
    return render_template(
        "approvals/detail.html",
        approval=approval,
        changes=snapshot.differences(approval.snapshot, current),
        held_learners=locks.held_learner_count(approval),
        history=history,
        may_decide=services.may_decide(_user(), scope, approval),
        may_submit=services.may_submit(_user(), scope, approval.locality),
        decision=decision or DecisionForm(formdata=None),
        resubmit_form=resubmit_form or ResubmitForm(formdata=None),
    ), status


def _form_problem(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@bp.route("/approvals/<int:approval_id>")
@roles_required(*READERS)
def detail(approval_id: int):
    return _render_detail(_approval_or_404(approval_id))


@bp.route("/approvals/<int:approval_id>/decision", methods=["POST"])
@roles_required(*MANAGERS)
def decide(approval_id: int):
    approval = _approval_or_404(approval_id)
    form = DecisionForm()
    action = form.action.data
    try:
        if not form.validate():
            raise DomainError(_form_problem(form), field="comment")
        kwargs = dict(actor=_user(), scope=scope_for(), now=utcnow(), comment=form.comment.data)
        if action == "approve":
            services.approve(approval, **kwargs)
        elif action == "return":
            services.return_figures(approval, **kwargs)
        else:
            raise DomainError(_("Choose approve or return."))
    except DomainError as error:
        db.session.rollback()
        if error.field == "comment":
            form.comment.errors = [str(error.message)]
        else:
            form.form_errors.append(str(error.message))
        return _render_detail(
            _approval_or_404(approval_id), decision=form, status=error.status_code
        )
    db.session.commit()
    if action == "approve":
        flash(_("The figures were approved; their period is now locked."), "success")
    else:
        flash(_("The figures were returned to the locality."), "success")
    return redirect(url_for("approvals.detail", approval_id=approval.id), 303)


@bp.route("/approvals/<int:approval_id>/resubmit", methods=["POST"])
@roles_required(*MANAGERS)
def resubmit(approval_id: int):
    approval = _approval_or_404(approval_id)
    form = ResubmitForm()
    try:
        if not form.validate():
            raise DomainError(_form_problem(form), field="note")
        services.resubmit(
            approval, actor=_user(), scope=scope_for(), now=utcnow(), note=form.note.data or ""
        )
    except DomainError as error:
        db.session.rollback()
        if error.field == "note":
            form.note.errors = [str(error.message)]
        else:
            form.form_errors.append(str(error.message))
        return _render_detail(
            _approval_or_404(approval_id), resubmit_form=form, status=error.status_code
        )
    db.session.commit()
    flash(_("The figures were submitted again."), "success")
    return redirect(url_for("approvals.detail", approval_id=approval.id), 303)
