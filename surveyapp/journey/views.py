"""Public trainee pages: the class page /c/<code>, identification with consent, the forms,
receipts, and the follow-up link /f/<token>. The trainer's assisted mode lives in
``assisted.py`` and is registered with these routes."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from surveyapp.classes.models import TrainingClass
from surveyapp.classes.services import find_by_code, searchable_code
from surveyapp.extensions import db
from surveyapp.instruments.i18n import current_language, tr
from surveyapp.journey import bp, remember, results, runner
from surveyapp.journey.access import check_not_waiting, count_wrong_code
from surveyapp.journey.forms import CodeForm, IdentifyForm
from surveyapp.journey.identifying import (
    consent_texts,
    identify_from_form,
    prepare_identify_form,
)
from surveyapp.participants import services as participants
from surveyapp.participants.identity import given_name
from surveyapp.participants.models import Participant
from surveyapp.responses import class_forms, moments
from surveyapp.responses.models import ClassForm, Response
from surveyapp.responses.services import Place, any_approved
from surveyapp.security import public


@bp.context_processor
def _template_helpers():
    return {"tr": tr, **moments.template_helpers()}


# ---------------------------------------------------------------- lookups


def _class_or_404(code: str) -> TrainingClass:
    """The class of ``code``; a wrong code is counted and, repeated, slowed down."""
    cls = find_by_code(code)
    if cls is not None and remember.remembered(cls.id) is not None:
        return cls  # a trainee already identified here is never held up
    check_not_waiting()
    if cls is None:
        count_wrong_code()
        abort(404)
    return cls


def _person(cls: TrainingClass) -> Participant | None:
    """The participant identified on this device for ``cls`` (still enrolled, not erased)."""
    participant_id = remember.remembered(cls.id)
    if participant_id is None:
        return None
    person = participants.enrolled_person(participant_id, cls.id)
    if person is None:
        remember.forget(cls.id)
    return person


# Built once: every page of a form loads the class with the form and its version, and
# whether the class's campaign has approved figures (what storing a response asks).
_CLASS_FORM = (
    sa.select(TrainingClass, ClassForm, any_approved(TrainingClass.campaign_id))
    .join(ClassForm, ClassForm.class_id == TrainingClass.id)
    .options(joinedload(ClassForm.version))
    .where(
        TrainingClass.access_code == sa.bindparam("code"),
        ClassForm.id == sa.bindparam("form_id"),
    )
)


def _class_and_form_or_404(code: str, form_id: int) -> tuple[TrainingClass, ClassForm, Place]:
    """The class of ``code``, its form ``form_id`` and its ``Place`` (one query), as
    ``_class_or_404``."""
    searched = searchable_code(code)
    row = (
        db.session.execute(_CLASS_FORM, {"code": searched, "form_id": form_id}).first()
        if searched is not None
        else None
    )
    if row is None:
        _class_or_404(code)  # a wrong code is counted there
        abort(404)  # a right code, but not a form of its class
    cls, form, approved = row
    if remember.remembered(cls.id) is None:
        check_not_waiting()
    return cls, form, Place(cls.locality_id, bool(approved))


def _responses_by_form(person: Participant | None, cls: TrainingClass) -> dict[int, Response]:
    """``{class_form_id: response}`` this person sent in ``cls``."""
    if person is None:
        return {}
    rows = db.session.scalars(
        sa.select(Response)
        .join(ClassForm, Response.class_form_id == ClassForm.id)
        .where(Response.participant_id == person.id, ClassForm.class_id == cls.id)
    )
    return {response.class_form_id: response for response in rows}


# ---------------------------------------------------------------- entering a code


@bp.route("/c", methods=["GET", "POST"])
@public
def enter():
    form = CodeForm()
    if form.validate_on_submit():
        cls = _class_or_404(form.code.data)
        return redirect(url_for("journey.landing", code=cls.access_code))
    status = 400 if form.is_submitted() else 200
    return render_template("journey/enter.html", form=form, follow_up=False), status


@bp.route("/c/<code>")
@public
def landing(code: str):
    cls = _class_or_404(code)
    if code != cls.access_code:
        return redirect(url_for("journey.landing", code=cls.access_code))
    person = _person(cls)
    forms = class_forms.forms_of(cls.id)
    done = _responses_by_form(person, cls)
    post_class_done = any(results.gives_follow_up_code(r) for r in done.values())
    return render_template(
        "journey/landing.html",
        cls=cls,
        forms=[f for f in forms if f.is_open or f.id in done],
        done=done,
        person=person,
        first_name=given_name(person.full_name) if person else "",
        show_follow_up=post_class_done,
        follow_up_link=_follow_up_link(person) if post_class_done else "",
        locale=current_language(),
    )


# ---------------------------------------------------------------- identification


def _next_form_id(cls: TrainingClass) -> int | None:
    wanted = request.args.get("form", type=int)
    if wanted is None:
        return None
    form = db.session.get(ClassForm, wanted)
    return form.id if form is not None and form.class_id == cls.id else None


@bp.route("/c/<code>/identify", methods=["GET", "POST"])
@public
def identify(code: str):
    cls = _class_or_404(code)
    form = IdentifyForm()
    prepare_identify_form(form, cls)
    if form.is_submitted() and form.consent_evaluation.data == "no":
        return render_template("journey/declined.html", cls=cls)  # nothing was stored
    if form.validate_on_submit():
        person = identify_from_form(form, cls)
        if person is not None:
            db.session.commit()
            remember.remember(cls.id, person.id)
            next_id = _next_form_id(cls)
            if next_id is not None:
                return redirect(url_for("journey.fill", code=cls.access_code, form_id=next_id))
            return redirect(url_for("journey.landing", code=cls.access_code))
    status = 400 if form.is_submitted() else 200
    action = url_for("journey.identify", code=cls.access_code, form=_next_form_id(cls))
    return render_template(
        "journey/identify.html",
        cls=cls,
        form=form,
        action=action,
        assisted=False,
        locale=current_language(),
        consents=consent_texts(current_language()),
    ), status


@bp.route("/c/<code>/forget", methods=["POST"])
@public
def forget(code: str):
    cls = _class_or_404(code)
    remember.forget(cls.id)
    flash(_("Done. The next person can now tell us who they are."), "success")
    return redirect(url_for("journey.landing", code=cls.access_code))


# ---------------------------------------------------------------- forms and receipts


@bp.route("/c/<code>/form/<int:form_id>", methods=["GET", "POST"])
@public
def fill(code: str, form_id: int):
    cls, form, place = _class_and_form_or_404(code, form_id)
    person = _person(cls)
    if person is None:
        flash(_("Please tell us who you are first."), "info")
        return redirect(url_for("journey.identify", code=cls.access_code, form=form.id), 303)
    target = runner.Target(
        form=form,
        participant=person,
        action_url=url_for("journey.fill", code=cls.access_code, form_id=form.id),
        receipt_url=lambda r: url_for(
            "journey.receipt", code=cls.access_code, receipt=r.receipt_code
        ),
        back_url=url_for("journey.landing", code=cls.access_code),
        heading=cls.title,
        place=place,
    )
    return runner.serve(target)


@bp.route("/c/<code>/receipt/<receipt>")
@public
def receipt(code: str, receipt: str):
    cls = _class_or_404(code)
    person = _person(cls)
    response = db.session.scalar(
        sa.select(Response).where(
            Response.receipt_code == receipt.upper(),
            Response.class_id == cls.id,
            Response.participant_id == (person.id if person else -1),
        )
    )
    if response is None:
        abort(404)
    follow_up = results.gives_follow_up_code(response)
    return render_template(
        "journey/receipt.html",
        response=response,
        outcome=results.outcome(response, current_language()),
        back_url=url_for("journey.landing", code=cls.access_code),
        forget_url=url_for("journey.forget", code=cls.access_code),
        follow_up_code=person.follow_up_token if follow_up else "",
        follow_up_link=_follow_up_link(person) if follow_up else "",
        locale=current_language(),
    )


def _follow_up_link(person: Participant | None) -> str:
    if person is None:
        return ""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + url_for("journey.follow_up", token=person.follow_up_token)


# Attach the routes of the assisted mode and of the follow-up link to the blueprint.
from surveyapp.journey import assisted as _assisted  # noqa: E402,F401
from surveyapp.journey import follow_up as _follow_up  # noqa: E402,F401
