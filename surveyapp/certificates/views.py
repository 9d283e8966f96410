"""Routes of certificates: the public verification page, the PDF by code, the trainee's
claim after passing, and the trainer's list of a class's certificates.

The certificate code is the secret of the PDF link (the trainee has no account): it is
unguessable, and wrong codes are counted and slowed down like class codes
(``surveyapp.journey.access``).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from surveyapp.accounts.models import Role
from surveyapp.certificates import bp, printing, services
from surveyapp.certificates.forms import VerifyForm
from surveyapp.certificates.models import Certificate
from surveyapp.classes import services as classes
from surveyapp.classes.models import TrainingClass
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.journey import remember
from surveyapp.journey.access import check_not_waiting, count_wrong_code
from surveyapp.participants.models import Participant
from surveyapp.participants.services import is_enrolled
from surveyapp.responses.models import Moment, Response
from surveyapp.security import public, roles_required, scope_for

MANAGE = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER)
NOT_FOUND = "certificates/not_found.html"


@bp.app_context_processor
def _template_helpers():
    return {"certificate_offer_url": offer_url}


def offer_url(response: Response | None) -> str:
    """Where the trainee asks for their certificate after ``response``, when it was the
    post-class test and they passed; else ``""`` (used by the journey's receipt page)."""
    if response is None or response.moment != Moment.POST.value:
        return ""
    if response.participant_id is None or response.class_id is None:
        return ""
    cls = db.session.get(TrainingClass, response.class_id)
    person = db.session.get(Participant, response.participant_id)
    if cls is None or not services.eligible_for_completion(person, cls):
        return ""
    return url_for("certificates.claim", code=cls.access_code)


# ---------------------------------------------------------------- public pages


def _certificate_or_404(code: str) -> Certificate:
    """The certificate of ``code``; a wrong code is counted and, repeated, slowed down."""
    check_not_waiting()
    certificate = services.find_by_code(code)
    if certificate is None:
        count_wrong_code(NOT_FOUND)
    return certificate


@bp.route("/verify")
@public
def verify_form():
    sent = "code" in request.args
    form = VerifyForm(formdata=request.args if sent else None)
    if sent and form.validate():
        return redirect(
            url_for("certificates.verify", code=services.normalise_code(form.code.data))
        )
    return render_template("certificates/verify_form.html", form=form), 400 if sent else 200


@bp.route("/verify/<code>")
@public
def verify(code: str):
    certificate = _certificate_or_404(code)
    if code != certificate.code:
        return redirect(url_for("certificates.verify", code=certificate.code))
    return render_template("certificates/verify.html", certificate=certificate)


@bp.route("/certificates/<code>.pdf")
@public
def pdf(code: str):
    certificate = _certificate_or_404(code)
    if certificate.revoked:
        return render_template("certificates/verify.html", certificate=certificate), 410
    return printing.pdf_download(certificate)


@bp.route("/c/<code>/certificate", methods=["POST"])
@public
def claim(code: str):
    """The trainee identified on this device for the class gets their certificate."""
    cls = classes.find_by_code(code)
    if cls is None or remember.remembered(cls.id) is None:
        check_not_waiting()  # a trainee already identified here is never held up
    if cls is None:
        count_wrong_code()
    landing = url_for("journey.landing", code=cls.access_code)
    person_id = remember.remembered(cls.id)
    person = db.session.get(Participant, person_id) if person_id is not None else None
    if person is None or person.erased_at is not None or not is_enrolled(person.id, cls.id):
        flash(_("Please tell us who you are first."), "info")
        return redirect(landing, 303)
    try:
        certificate = services.issue_completion(person, cls)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(landing, 303)
    db.session.commit()
    return redirect(url_for("certificates.pdf", code=certificate.code), 303)


# ---------------------------------------------------------------- staff pages


def _class_or_404(class_id: int) -> TrainingClass:
    """A class the current user manages (a trainer: one they teach); 404 otherwise."""
    user = current_user._get_current_object()
    query = classes.visible_classes(user, scope_for()).where(TrainingClass.id == class_id)
    cls = db.session.scalar(query)
    if cls is None:
        abort(404)
    return cls


@bp.route("/classes/<int:class_id>/certificates")
@roles_required(*MANAGE)
def class_list(class_id: int):
    cls = _class_or_404(class_id)
    return render_template(
        "certificates/class_list.html",
        cls=cls,
        certificates=services.class_certificates(cls),
        waiting=len(services.eligible_without_certificate(cls)),
    )


@bp.route("/classes/<int:class_id>/certificates/issue", methods=["POST"])
@roles_required(*MANAGE)
def issue_all(class_id: int):
    cls = _class_or_404(class_id)
    issued = services.issue_for_class(cls, current_user._get_current_object())
    db.session.commit()
    if issued:
        flash(
            ngettext("%(num)s certificate issued.", "%(num)s certificates issued.", len(issued)),
            "success",
        )
    else:
        flash(_("Nobody is waiting for a certificate."), "info")
    return redirect(url_for("certificates.class_list", class_id=cls.id), 303)


@bp.route("/classes/<int:class_id>/certificates/<code>/revoke", methods=["POST"])
@roles_required(*MANAGE)
def revoke(class_id: int, code: str):
    cls = _class_or_404(class_id)
    certificate = services.find_by_code(code)
    if certificate is None or certificate.class_id != cls.id:
        abort(404)
    try:
        services.revoke(certificate, current_user._get_current_object())
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The certificate %(code)s was revoked.", code=certificate.display_code), "success")
    return redirect(url_for("certificates.class_list", class_id=cls.id), 303)
