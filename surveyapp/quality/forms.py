"""Forms of the data-quality pages: the list filter and the reviewer's action."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice

from surveyapp.quality.review import FLAG_LABELS, REASON_MAX, Tab


def optional_int(value):
    """Coerce a select value to int, the empty choice ("all") to None."""
    return None if value in ("", None) else int(value)


class FilterForm(FlaskForm):
    """The queue filter, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    tab = HiddenField(default=Tab.PENDING)
    campaign = SelectField(_l("Campaign"), coerce=optional_int)
    class_id = SelectField(_l("Class"), coerce=optional_int)
    flag = SelectField(
        _l("Reason"),
        choices=[SelectChoice("", _l("All reasons"))]
        + [SelectChoice(code, label) for code, label in FLAG_LABELS.items()],
        default="",
    )

    def validate_tab(self, field):
        if field.data not in set(Tab):
            field.data = Tab.PENDING


class ReviewForm(FlaskForm):
    """One reviewer action; the reason is required to exclude (checked by the service)."""

    action = HiddenField()
    reason = TextAreaField(
        _l("Why is this response excluded?"),
        description=_l(
            "For example: the person answered twice under two phone numbers. "
            "At most %(n)s characters.",
            n=REASON_MAX,
        ),
    )
    next = HiddenField()
