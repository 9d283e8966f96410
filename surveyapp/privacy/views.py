"""Pages of personal data: find a participant, see their consents and requests, record a
request, withdraw a consent; administrators also export everything held and erase.

Coordinators work inside their scope; exporting and erasing are for administrators only
(Law 91/2025: a data subject's request is answered by the controller), and both are
audited. Phones are never printed on these pages, only their last three digits.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.accounts.models import Role
from surveyapp.errors import DomainError
from surveyapp.exports.writers import content_disposition
from surveyapp.extensions import db
from surveyapp.instruments.i18n import current_language
from surveyapp.participants.models import Participant
from surveyapp.privacy import bp, dossier, erasure, services
from surveyapp.privacy.forms import (
    KIND_LABELS,
    PURPOSE_LABELS,
    DoneForm,
    EraseForm,
    RequestForm,
    SearchForm,
    WithdrawForm,
)
from surveyapp.privacy.workdays import local_date
from surveyapp.security import roles_required, scope_for

HANDLERS = (Role.ADMIN, Role.COORDINATOR)


def _actor():
    return current_user._get_current_object()


def _now() -> datetime:
    return datetime.now(UTC)


def masked_phone(phone: str | None) -> str:
    """A phone as ``••• 678``: enough to confirm it with the person, never to read it."""
    return "••• " + phone[-3:] if phone else ""


@bp.app_context_processor
def _labels():
    return {"request_kind_labels": KIND_LABELS, "consent_purpose_labels": PURPOSE_LABELS}


@bp.route("/")
@roles_required(*HANDLERS)
def index():
    form = SearchForm(request.args)
    text = form.q.data or ""
    found = services.search(scope_for(), text) if form.validate() and text.strip() else []
    status = 400 if form.errors else 200
    return render_template(
        "privacy/index.html",
        form=form,
        searched=bool(text.strip()),
        found=found,
        pending=services.open_requests(scope_for()),
        today=local_date(_now()),
        masked_phone=masked_phone,
    ), status


def _detail(person: Participant, *, status: int = 200, **forms):
    now = _now()
    received = RequestForm(formdata=None, received_at=now.replace(second=0, microsecond=0))
    return render_template(
        "privacy/participant.html",
        person=person,
        consents=services.consents_of(person),
        active=services.active_purposes(person),
        requests=services.requests_of(person),
        request_form=forms.get("request_form") or received,
        withdraw_form=forms.get("withdraw_form") or WithdrawForm(formdata=None, prefix="withdraw"),
        erase_form=forms.get("erase_form") or EraseForm(formdata=None),
        done_form=DoneForm(formdata=None),
        today=local_date(now),
        masked_phone=masked_phone,
        is_admin=current_user.role == Role.ADMIN,
    ), status


@bp.route("/participants/<int:participant_id>")
@roles_required(*HANDLERS)
def participant(participant_id: int):
    return _detail(services.participant_or_404(participant_id, scope_for()))


def _back(person: Participant):
    return redirect(url_for("privacy.participant", participant_id=person.id), 303)


def _failed(person: Participant, form, name: str, error: DomainError):
    target = getattr(form, error.field, None) if error.field else None
    if target is not None and target.type != "HiddenField":
        target.errors = [*target.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))
    return _detail(person, status=error.status_code, **{name: form})


@bp.route("/participants/<int:participant_id>/requests", methods=["POST"])
@roles_required(*HANDLERS)
def record_request(participant_id: int):
    person = services.participant_or_404(participant_id, scope_for())
    form = RequestForm()
    if not form.validate():
        return _detail(person, status=400, request_form=form)
    received = form.received_at.data.astimezone(UTC)
    try:
        made = services.record_request(
            person,
            form.kind.data,
            received_at=received,
            actor=_actor(),
            now=_now(),
            purpose=form.purpose.data or "",
            note=form.note.data or "",
        )
    except DomainError as error:
        return _failed(person, form, "request_form", error)
    db.session.commit()
    flash(_("Request recorded. Answer it by %(d)s.", d=made.due_on.strftime("%d/%m/%Y")), "success")
    return _back(person)


@bp.route("/participants/<int:participant_id>/requests/done", methods=["POST"])
@roles_required(*HANDLERS)
def request_done(participant_id: int):
    person = services.participant_or_404(participant_id, scope_for())
    form = DoneForm()
    form.validate()
    try:
        services.complete_request(person, form.request_id.data, actor=_actor(), now=_now())
    except DomainError as error:
        flash(str(error.message), "error")
        return _back(person)
    db.session.commit()
    flash(_("The request is marked done."), "success")
    return _back(person)


@bp.route("/participants/<int:participant_id>/consents/withdraw", methods=["POST"])
@roles_required(*HANDLERS)
def withdraw(participant_id: int):
    person = services.participant_or_404(participant_id, scope_for())
    form = WithdrawForm(prefix="withdraw")
    if not form.validate():
        return _detail(person, status=400, withdraw_form=form)
    try:
        services.withdraw_consent(person, form.purpose.data, actor=_actor(), now=_now())
    except DomainError as error:
        return _failed(person, form, "withdraw_form", error)
    db.session.commit()
    flash(_("The consent is withdrawn."), "success")
    return _back(person)


def _download(participant_id: int, fmt: str) -> Response:
    person = services.participant_or_404(participant_id, scope_for())
    data = dossier.dossier(person, current_language())
    dossier.record_export(person, actor=_actor(), fmt=fmt)
    db.session.commit()
    body = dossier.to_json(data) if fmt == "json" else dossier.to_csv(data)
    mimetype = "application/json" if fmt == "json" else "text/csv; charset=utf-8"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(
        f"personal-data-{person.public_id}.{fmt}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/participants/<int:participant_id>/export.json")
@roles_required(Role.ADMIN)
def export_json(participant_id: int):
    return _download(participant_id, "json")


@bp.route("/participants/<int:participant_id>/export.csv")
@roles_required(Role.ADMIN)
def export_csv(participant_id: int):
    return _download(participant_id, "csv")


@bp.route("/participants/<int:participant_id>/erase", methods=["POST"])
@roles_required(Role.ADMIN)
def erase(participant_id: int):
    person = services.participant_or_404(participant_id, scope_for())
    form = EraseForm()
    if not form.validate():
        return _detail(person, status=400, erase_form=form)
    try:
        erasure.erase(person, actor=_actor(), now=_now(), request_id=form.request_id.data)
    except DomainError as error:
        return _failed(person, form, "erase_form", error)
    db.session.commit()
    flash(_("The person's data is erased. Their answers stay as anonymous rows."), "success")
    return _back(person)
