"""The trainer's page of a class's forms: live counts, open/close, attaching forms at a
moment (the skill test before and after the class), and the list of learners with the
forms each has sent (never their phone)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.instruments.i18n import current_language, tr
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.models_base import utcnow
from surveyapp.responses import bp, class_forms, moments
from surveyapp.responses.access import FORM_MANAGERS, managed_class_or_404
from surveyapp.responses.models import ClassForm
from surveyapp.security import roles_required, scope_for

KIND_LABELS = {
    "pre_survey": _l("Pre-class survey"),
    "skill_test": _l("Skill test"),
    "post_survey": _l("End-of-class survey"),
    "follow_up": _l("Follow-up survey"),
    "contest_quiz": _l("Contest quiz"),
}


@bp.context_processor
def _template_helpers():
    return {"tr": tr, **moments.template_helpers()}


class ToggleForm(FlaskForm):
    open = HiddenField(validators=[AnyOf(["1", "0"])])


class AttachForm(FlaskForm):
    version = SelectField(_l("Form to add"), coerce=int, validators=[InputRequired()])
    moment = SelectField(
        _l("When learners answer it"),
        description=_l("A skill test is given twice: before and after the class."),
        choices=moments.moment_choices(),
        default="",
    )


class DefaultsForm(FlaskForm):
    pass


def _attach_form(cls, scope) -> AttachForm:
    form = AttachForm()
    locale = current_language()
    form.version.choices = [
        SelectChoice(
            v.id,
            f"{tr(v.instrument.title, locale)} · v{v.number}"
            f" ({KIND_LABELS.get(v.instrument.kind, v.instrument.kind)})",
        )
        for v in class_forms.candidate_versions(cls, scope)
    ]
    return form


def _page(cls, attach_form=None, status=200):
    forms = class_forms.forms_of(cls.id)
    return render_template(
        "responses/forms.html",
        cls=cls,
        forms=forms,
        counts=class_forms.response_counts(cls.id),
        learners=class_forms.learners(cls.id),
        attach_form=attach_form or _attach_form(cls, scope_for()),
        toggle_form=ToggleForm(),
        defaults_form=DefaultsForm(),
        missing_defaults=class_forms.missing_defaults(cls.id),
        kind_labels=KIND_LABELS,
        locale=current_language(),
    ), status


@bp.route("/classes/<int:class_id>/forms")
@roles_required(*FORM_MANAGERS)
def class_forms_page(class_id: int):
    return _page(managed_class_or_404(class_id))


@bp.route("/classes/<int:class_id>/forms/<int:form_id>/toggle", methods=["POST"])
@roles_required(*FORM_MANAGERS)
def toggle(class_id: int, form_id: int):
    cls = managed_class_or_404(class_id)
    class_form = db.session.get(ClassForm, form_id)
    if class_form is None or class_form.class_id != cls.id:
        abort(404)
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    is_open = form.open.data == "1"
    class_forms.set_open(
        current_user._get_current_object(),
        cls,
        class_form,
        is_open,
        scope=scope_for(),
        now=utcnow(),
    )
    db.session.commit()
    title = moments.form_title(class_form, current_language())
    if is_open:
        flash(_("“%(form)s” is open: learners can answer it now.", form=title), "success")
    else:
        flash(_("“%(form)s” is closed.", form=title), "success")
    return redirect(url_for("responses.class_forms_page", class_id=cls.id))


@bp.route("/classes/<int:class_id>/forms/attach", methods=["POST"])
@roles_required(*FORM_MANAGERS)
def attach(class_id: int):
    cls = managed_class_or_404(class_id)
    scope = scope_for()
    form = _attach_form(cls, scope)
    if not form.validate_on_submit():
        return _page(cls, form, 400)
    version = db.session.get(InstrumentVersion, form.version.data)
    try:
        class_forms.attach(
            current_user._get_current_object(),
            cls,
            [version],
            scope=scope,
            moment=form.moment.data or None,
        )
    except DomainError as error:
        target = getattr(form, error.field or "", None)
        (target.errors if target is not None else form.form_errors).append(str(error.message))
        return _page(cls, form, 400)
    db.session.commit()
    flash(_("The form was added. Open it when learners should answer it."), "success")
    return redirect(url_for("responses.class_forms_page", class_id=cls.id))


@bp.route("/classes/<int:class_id>/forms/defaults", methods=["POST"])
@roles_required(*FORM_MANAGERS)
def attach_defaults(class_id: int):
    cls = managed_class_or_404(class_id)
    if not DefaultsForm().validate_on_submit():
        abort(400)
    added = class_forms.attach_defaults(current_user._get_current_object(), cls, scope=scope_for())
    db.session.commit()
    if added:
        flash(
            _("%(n)s standard forms were added. Open each one when it is time.", n=len(added)),
            "success",
        )
    else:
        flash(_("No standard form could be added: none is loaded yet."), "warning")
    return redirect(url_for("responses.class_forms_page", class_id=cls.id))
