"""Forms and labels of the personal-data pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from surveyapp.participants.models import ConsentPurpose
from surveyapp.privacy.models import RequestKind
from surveyapp.privacy.services import NOTE_MAX, WITHDRAWABLE
from surveyapp.privacy.workdays import LOCAL_ZONE

KIND_LABELS = {
    RequestKind.ACCESS: _l("See or receive their data"),
    RequestKind.ERASURE: _l("Erase their data"),
    RequestKind.WITHDRAW_CONSENT: _l("Withdraw a consent"),
}
PURPOSE_LABELS = {
    ConsentPurpose.EVALUATION: _l("Evaluation of the class"),
    ConsentPurpose.FOLLOW_UP: _l("Follow-up contact"),
    ConsentPurpose.PUBLICATION: _l("Publishing contest results"),
}


def _optional_int(value):
    try:
        return int(value) if value not in ("", None) else None
    except (TypeError, ValueError):
        return None


class SearchForm(FlaskForm):
    """Read from the query string; changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Name, phone number or code"),
        validators=[Optional(), Length(max=200)],
        description=_l("The name as written, with its accents; or a phone; or the person's code."),
    )


class RequestForm(FlaskForm):
    kind = SelectField(
        _l("The person asks to"),
        choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()],
        validators=[InputRequired()],
    )
    purpose = SelectField(
        _l("Consent concerned (for a withdrawal)"),
        choices=[SelectChoice("", _l("Not a withdrawal"))]
        + [SelectChoice(k, v) for k, v in PURPOSE_LABELS.items()],
        default="",
    )
    received_at = DateTimeLocalField(
        _l("Received at"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        tz=LOCAL_ZONE,
        validators=[InputRequired(message=_l("Enter the date and time the request arrived."))],
        description=_l("Vietnam time. The answer is due two working days later."),
    )
    note = TextAreaField(
        _l("Note"),
        validators=[Optional(), Length(max=NOTE_MAX)],
        description=_l("How the request came (letter, phone, in person). No personal data."),
    )


class WithdrawForm(FlaskForm):
    purpose = SelectField(
        _l("Consent to withdraw"),
        choices=[SelectChoice(p, PURPOSE_LABELS[p]) for p in WITHDRAWABLE],
        validators=[InputRequired()],
    )


class DoneForm(FlaskForm):
    request_id = HiddenField(filters=[_optional_int])


class EraseForm(FlaskForm):
    request_id = HiddenField(filters=[_optional_int])
    confirm = BooleanField(
        _l("I understand that the name, birth year, workplace and phone are erased for good"),
        validators=[DataRequired(message=_l("Tick the box to confirm the erasure."))],
    )
