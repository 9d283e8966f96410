"""The follow-up link /f/<token>: weeks after the class, the person opens the follow-up
form of their class (the class form at the ``follow_up`` moment) without identifying
again. The pages greet them by their given name only and show nothing else about them
(no class, no place, no phone)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, redirect, render_template, url_for

from surveyapp.extensions import db
from surveyapp.instruments.i18n import current_language
from surveyapp.journey import bp, results, runner
from surveyapp.journey.access import check_not_waiting, count_wrong_code
from surveyapp.journey.forms import CodeForm
from surveyapp.participants import services as participants
from surveyapp.participants.identity import given_name
from surveyapp.participants.models import Enrolment, Participant
from surveyapp.responses import services
from surveyapp.responses.models import ClassForm, Moment, Response
from surveyapp.security import public


def _person_or_404(token: str) -> Participant:
    check_not_waiting()
    person = participants.by_follow_up_token(token)
    if person is None:
        count_wrong_code("journey/not_found_follow_up.html")
    return person


def follow_up_forms(person: Participant) -> list[ClassForm]:
    """Forms at the follow-up moment of the person's classes, most recent enrolment first."""
    return list(
        db.session.scalars(
            sa.select(ClassForm)
            .join(Enrolment, Enrolment.class_id == ClassForm.class_id)
            .where(
                Enrolment.participant_id == person.id,
                ClassForm.moment == Moment.FOLLOW_UP.value,
            )
            .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc(), ClassForm.id.desc())
        )
    )


def _choose(
    person: Participant, forms: list[ClassForm]
) -> tuple[ClassForm | None, Response | None]:
    """The open form still to answer; else the answer already sent; else nothing."""
    answered = None
    for form in forms:
        earlier = services.previous_response(person.id, form)
        if earlier is None and form.is_open:
            return form, None
        answered = answered or earlier
    return None, answered


def _target(person: Participant, form: ClassForm) -> runner.Target:
    token = person.follow_up_token
    return runner.Target(
        form=form,
        participant=person,
        action_url=url_for("journey.follow_up_fill", token=token, form_id=form.id),
        receipt_url=lambda r: url_for(
            "journey.follow_up_receipt", token=token, receipt=r.receipt_code
        ),
        back_url=url_for("journey.follow_up", token=token),
        heading=given_name(person.full_name),
    )


@bp.route("/f", methods=["GET", "POST"])
@public
def follow_up_enter():
    form = CodeForm()
    if form.validate_on_submit():
        person = _person_or_404(form.code.data)
        return redirect(url_for("journey.follow_up", token=person.follow_up_token))
    status = 400 if form.is_submitted() else 200
    return render_template("journey/enter.html", form=form, follow_up=True), status


@bp.route("/f/<token>")
@public
def follow_up(token: str):
    person = _person_or_404(token)
    form, answered = _choose(person, follow_up_forms(person))
    if form is not None:
        return runner.serve(_target(person, form))
    if answered is not None:
        return redirect(
            url_for(
                "journey.follow_up_receipt",
                token=person.follow_up_token,
                receipt=answered.receipt_code,
            )
        )
    return render_template(
        "journey/follow_up_waiting.html", first_name=given_name(person.full_name)
    )


@bp.route("/f/<token>/form/<int:form_id>", methods=["GET", "POST"])
@public
def follow_up_fill(token: str, form_id: int):
    person = _person_or_404(token)
    form = next((f for f in follow_up_forms(person) if f.id == form_id), None)
    if form is None:
        abort(404)
    return runner.serve(_target(person, form))


@bp.route("/f/<token>/receipt/<receipt>")
@public
def follow_up_receipt(token: str, receipt: str):
    person = _person_or_404(token)
    response = db.session.scalar(
        sa.select(Response).where(
            Response.receipt_code == receipt.upper(), Response.participant_id == person.id
        )
    )
    if response is None:
        abort(404)
    return render_template(
        "journey/receipt.html",
        response=response,
        outcome=results.outcome(response, current_language()),
        back_url=url_for("journey.follow_up", token=person.follow_up_token),
        forget_url=None,
        follow_up_code="",
        follow_up_link="",
        first_name=given_name(person.full_name),
        locale=current_language(),
    )
