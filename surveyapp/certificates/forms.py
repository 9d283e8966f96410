"""The small form of the public verification page (a GET form: nothing changes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, ValidationError

from .services import normalise_code


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # read-only lookup sent with GET

    code = StringField(
        _l("Verification code"),
        description=_l("The code printed on the certificate, for example ABCDE-FGHJK."),
        validators=[InputRequired(message=_l("Enter the code.")), Length(max=40)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )

    def validate_code(self, field):
        if not normalise_code(field.data):
            raise ValidationError(_l("Enter the code."))
