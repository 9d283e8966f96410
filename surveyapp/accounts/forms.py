"""Forms of the accounts pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from surveyapp.labels import ROLE_LABELS, choices


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])
    password = PasswordField(
        _l("New password"), validators=[InputRequired(), Length(min=8, max=200)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired(), Email(), Length(max=254)])
    name = StringField(_l("Full name"), validators=[InputRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS))
    scheme = SelectField(_l("Administrative scheme"), validate_choice=True)
    locality_code = StringField(
        _l("Locality code (scope)"),
        description=_l(
            "Official code of the province, district or commune; empty for administrators."
        ),
        validators=[Optional(), Length(max=20)],
    )
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(
        _l("Password"),
        description=_l("At least 8 characters. Leave empty to keep the current password."),
        validators=[Optional(), Length(min=8, max=200)],
    )
