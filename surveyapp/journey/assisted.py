"""Assisted mode: a trainer of the class collects answers for learners without a
smartphone, one after another, on the trainer's own device.

Nothing about the learner is kept in the session: each page names the learner in its URL
(checked against the class's enrolments), so answers of two learners can never mix, and
"next learner" is one tap. Each learner is identified with their own consent and every
form gets its own ``submission_id``; stored responses record ``assisted_by_id``.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.instruments.i18n import current_language
from surveyapp.journey import bp, results, runner
from surveyapp.journey.forms import IdentifyForm
from surveyapp.journey.identifying import (
    consent_texts,
    identify_from_form,
    prepare_identify_form,
)
from surveyapp.participants import services as participants
from surveyapp.participants.models import Participant
from surveyapp.responses import class_forms
from surveyapp.responses.access import FORM_MANAGERS, managed_class_or_404
from surveyapp.responses.models import ClassForm, Response
from surveyapp.security import roles_required


def _learner_or_404(cls: TrainingClass, participant_id: int) -> Participant:
    person = db.session.get(Participant, participant_id)
    if person is None or person.erased_at is not None:
        abort(404)
    if not participants.is_enrolled(person.id, cls.id):
        abort(404)
    return person


def _first_form_to_do(cls: TrainingClass, person: Participant) -> ClassForm | None:
    done = class_forms.done_form_ids(person.id, cls.id)
    return next((f for f in class_forms.forms_of(cls.id) if f.is_open and f.id not in done), None)


@bp.route("/classes/<int:class_id>/assisted")
@roles_required(*FORM_MANAGERS)
def assisted(class_id: int):
    cls = managed_class_or_404(class_id)
    forms = [f for f in class_forms.forms_of(cls.id) if f.is_open]
    return render_template(
        "journey/assisted.html",
        cls=cls,
        forms=forms,
        learners=class_forms.learners(cls.id),
        locale=current_language(),
    )


@bp.route("/classes/<int:class_id>/assisted/identify", methods=["GET", "POST"])
@roles_required(*FORM_MANAGERS)
def assisted_identify(class_id: int):
    cls = managed_class_or_404(class_id)
    form = IdentifyForm()
    prepare_identify_form(form, cls)
    back = url_for("journey.assisted", class_id=cls.id)
    if form.is_submitted() and form.consent_evaluation.data == "no":
        return render_template("journey/declined.html", cls=cls, back_url=back)
    if form.validate_on_submit():
        person = identify_from_form(form, cls)
        if person is not None:
            db.session.commit()
            first = _first_form_to_do(cls, person)
            if first is None:
                return redirect(back)
            return redirect(
                url_for(
                    "journey.assisted_fill",
                    class_id=cls.id,
                    participant_id=person.id,
                    form_id=first.id,
                )
            )
    status = 400 if form.is_submitted() else 200
    return render_template(
        "journey/identify.html",
        cls=cls,
        form=form,
        assisted=True,
        back_url=back,
        action=url_for("journey.assisted_identify", class_id=cls.id),
        locale=current_language(),
        consents=consent_texts(current_language()),
    ), status


@bp.route(
    "/classes/<int:class_id>/assisted/<int:participant_id>/form/<int:form_id>",
    methods=["GET", "POST"],
)
@roles_required(*FORM_MANAGERS)
def assisted_fill(class_id: int, participant_id: int, form_id: int):
    cls = managed_class_or_404(class_id)
    person = _learner_or_404(cls, participant_id)
    form = db.session.get(ClassForm, form_id)
    if form is None or form.class_id != cls.id:
        abort(404)
    target = runner.Target(
        form=form,
        participant=person,
        action_url=request.path,
        receipt_url=lambda r: url_for(
            "journey.assisted_receipt", class_id=cls.id, receipt=r.receipt_code
        ),
        back_url=url_for("journey.assisted", class_id=cls.id),
        assisted_by=current_user._get_current_object(),
        heading=person.full_name,
    )
    return runner.serve(target)


@bp.route("/classes/<int:class_id>/assisted/receipt/<receipt>")
@roles_required(*FORM_MANAGERS)
def assisted_receipt(class_id: int, receipt: str):
    cls = managed_class_or_404(class_id)
    response = db.session.scalar(
        sa.select(Response).where(
            Response.receipt_code == receipt.upper(), Response.class_id == cls.id
        )
    )
    if response is None or response.participant_id is None:
        abort(404)
    person = db.session.get(Participant, response.participant_id)
    following = _first_form_to_do(cls, person)
    return render_template(
        "journey/receipt.html",
        response=response,
        outcome=results.outcome(response, current_language()),
        back_url=url_for("journey.assisted", class_id=cls.id),
        forget_url=None,
        follow_up_code=person.follow_up_token if results.gives_follow_up_code(response) else "",
        follow_up_link="",
        assisted=True,
        learner=person,
        next_form_url=(
            url_for(
                "journey.assisted_fill",
                class_id=cls.id,
                participant_id=person.id,
                form_id=following.id,
            )
            if following
            else ""
        ),
        locale=current_language(),
    )
