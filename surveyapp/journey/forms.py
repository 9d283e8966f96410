"""Forms of the trainee journey: entering a code, and identifying with consent."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from surveyapp.labels import choices
from surveyapp.participants.services import NAME_MAX, ORGANISATION_MAX

GENDER_LABELS = {
    "female": _l("Female"),
    "male": _l("Male"),
    "other": _l("Other"),
    "undisclosed": _l("I prefer not to say"),
}

# The learner groups as a person says them of themselves ("I am a teacher").
PERSON_SEGMENT_LABELS = {
    "official": _l("Public official or civil servant"),
    "business": _l("Business owner or employee, cooperative member"),
    "resident": _l("Resident, farmer, other worker"),
    "student": _l("Pupil or student"),
    "teacher": _l("Teacher"),
    "other": _l("Other"),
}

YES, NO = "yes", "no"
OTHER_PLACE = "other"


def no_control_characters(_form, field) -> None:
    """Refuse invisible control characters (NUL, escapes...): no name or code holds them,
    and PostgreSQL cannot store NUL."""
    if isinstance(field.data, str) and any(unicodedata.category(ch) == "Cc" for ch in field.data):
        raise ValidationError(_l("Remove the special characters: letters and digits only."))


def _yes_no() -> list[SelectChoice]:
    return [SelectChoice(YES, _l("Yes, I agree")), SelectChoice(NO, _l("No, I do not agree"))]


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        description=_l("The code written on the board or the class sheet, for example K7QM2P."),
        validators=[
            InputRequired(message=_l("Enter the code.")),
            Length(max=40),
            no_control_characters,
        ],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class IdentifyForm(FlaskForm):
    full_name = StringField(
        _l("Full name"),
        validators=[
            InputRequired(message=_l("Please write your full name.")),
            Length(max=NAME_MAX),
            no_control_characters,
        ],
        render_kw={"autocomplete": "name"},
    )
    birth_year = IntegerField(
        _l("Year of birth"),
        description=_l("For example 1985."),
        validators=[InputRequired(message=_l("Enter your year of birth."))],
        render_kw={"inputmode": "numeric", "autocomplete": "bday-year"},
    )
    gender = RadioField(
        _l("Gender"),
        choices=choices(GENDER_LABELS),
        validators=[InputRequired(message=_l("Choose an answer."))],
    )
    segment = SelectField(
        _l("You are"),
        choices=choices(PERSON_SEGMENT_LABELS),
        validators=[InputRequired(message=_l("Choose an answer."))],
    )
    organisation = StringField(
        _l("Workplace or organisation"),
        description=_l("For example: People's Committee of Văn Yên commune. May be left empty."),
        validators=[Optional(), Length(max=ORGANISATION_MAX), no_control_characters],
    )
    commune = SelectField(
        _l("Commune or ward where you live or work"),
        validators=[InputRequired(message=_l("Choose your commune."))],
    )
    consent_evaluation = RadioField(
        _l("Do you agree?"),
        choices=_yes_no(),
        validators=[InputRequired(message=_l("Please answer yes or no."))],
    )
    consent_follow_up = RadioField(
        _l("Do you agree?"),
        choices=_yes_no(),
        validators=[InputRequired(message=_l("Please answer yes or no."))],
    )
    phone = TelField(
        _l("Phone number (only if you agreed to be contacted)"),
        description=_l("For example 0912 345 678."),
        validators=[Optional(), Length(max=30), no_control_characters],
        render_kw={"inputmode": "tel", "autocomplete": "tel"},
    )
