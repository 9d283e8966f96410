"""The identification form and the participants service, glued together once for the
trainee's own phone and for the trainer's assisted mode."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from surveyapp import transactions
from surveyapp.classes.models import TrainingClass
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.journey.forms import OTHER_PLACE, YES, IdentifyForm
from surveyapp.localities.models import Locality
from surveyapp.models_base import utcnow
from surveyapp.participants import services as participants
from surveyapp.participants.consent import CONSENT_TEXTS, consent_text
from surveyapp.participants.models import Participant


def consent_texts(locale: str) -> dict[str, dict]:
    """The consent texts to show, by purpose (title and body in ``locale``)."""
    return {purpose: consent_text(purpose, locale) for purpose in CONSENT_TEXTS}


def prepare_identify_form(form: IdentifyForm, cls: TrainingClass) -> None:
    """Communes of the class's area to choose from; the class's learner group preselected."""
    area = participants.area_of(cls)
    communes = db.session.execute(
        participants.communes_of(area).with_only_columns(Locality.id, Locality.name)
    ).all()
    form.commune.choices = (
        [SelectChoice("", _("Choose…"))]
        + [SelectChoice(str(row.id), row.name) for row in communes]
        + [SelectChoice(OTHER_PLACE, _("Another place (not in this list)"))]
    )
    if not form.is_submitted():
        form.segment.data = form.segment.data or cls.segment


def _locality(form: IdentifyForm) -> Locality | None:
    if form.commune.data in ("", OTHER_PLACE, None):
        return None
    return db.session.scalar(sa.select(Locality).where(Locality.id == int(form.commune.data)))


def _fields(form: IdentifyForm) -> participants.IdentityFields:
    return participants.IdentityFields(
        full_name=form.full_name.data or "",
        birth_year=form.birth_year.data,
        gender=form.gender.data,
        segment=form.segment.data,
        organisation=form.organisation.data or "",
        locality=_locality(form),
        phone=form.phone.data or "",
        follow_up=form.consent_follow_up.data == YES,
    )


def identify_from_form(form: IdentifyForm, cls: TrainingClass) -> Participant | None:
    """Run the service; on a broken rule put its message next to the field, return None.

    A whole class identifies within minutes: on SQLite the write lock is taken first
    (``transactions.start_writing``), so that concurrent people queue instead of failing."""
    transactions.start_writing()
    try:
        return participants.identify(
            cls,
            _fields(form),
            evaluation_consent=form.consent_evaluation.data == YES,
            secret=current_app.config["SECRET_KEY"],
            now=utcnow(),
        )
    except DomainError as error:
        target = getattr(form, error.field, None) if error.field else None
        if target is None:
            form.form_errors.append(str(error.message))
        else:
            target.errors = [*target.errors, str(error.message)]
        return None
