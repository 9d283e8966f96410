"""Forms of the approval pages: submitting figures, deciding on them, resubmitting."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from .services import NOTE_MAX


class SubmitForm(FlaskForm):
    """The period whose figures are submitted; the locality comes from the dashboard."""

    locality_id = HiddenField()
    period_start = DateField(_l("First day of the period"), validators=[Optional()])
    period_end = DateField(_l("Last day of the period"), validators=[Optional()])
    note = TextAreaField(
        _l("Note for the approver"),
        validators=[Length(max=NOTE_MAX)],
        description=_l("Optional. At most %(n)s characters.", n=NOTE_MAX),
    )


class DecisionForm(FlaskForm):
    """Approve or return; a comment is required to return (checked by the service)."""

    action = HiddenField()
    comment = TextAreaField(
        _l("Comment"),
        validators=[Length(max=NOTE_MAX)],
        description=_l("Required to return the figures: say what to correct."),
    )


class ResubmitForm(FlaskForm):
    note = TextAreaField(
        _l("What was corrected"),
        validators=[Length(max=NOTE_MAX)],
        description=_l("Optional. At most %(n)s characters.", n=NOTE_MAX),
    )
