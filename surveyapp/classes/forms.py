"""Forms of the class pages: the class form, the status change and the list filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from surveyapp.classes.services import MAX_CAPACITY, TITLE_MAX, VENUE_MAX
from surveyapp.labels import CLASS_STATUS_LABELS, SEGMENT_LABELS, choices


class CheckboxList(ListWidget):
    """A ``<ul class="checklist">`` of checkboxes: easier on a phone than a multi-select."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("class", "checklist")
        return super().__call__(field, **kwargs)


class ClassForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("For example: Using AI for office work, Văn Yên commune."),
        validators=[InputRequired(), Length(max=TITLE_MAX)],
    )
    segment = SelectField(_l("Learner group"), choices=choices(SEGMENT_LABELS))
    locality = SelectField(_l("Locality"), coerce=int)
    start_date = DateField(_l("First day"), validators=[InputRequired()])
    end_date = DateField(_l("Last day"), validators=[InputRequired()])
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=VENUE_MAX)])
    capacity = IntegerField(
        _l("Capacity (learners)"),
        default=30,
        validators=[
            InputRequired(),
            NumberRange(min=0, max=MAX_CAPACITY, message=_l("Enter a number from 0 to %(max)s.")),
        ],
    )
    trainers = SelectMultipleField(
        _l("Trainers"),
        coerce=int,
        description=_l("Users with the trainer role who work in the class locality."),
        widget=CheckboxList(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def validate_end_date(self, field):
        start = self.start_date.data
        if start is not None and field.data is not None and field.data < start:
            raise ValidationError(_l("The last day cannot be before the first day."))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=choices(CLASS_STATUS_LABELS))


def optional_int(value):
    """Coerce a select value to int, the empty choice ("all") to None."""
    return None if value in ("", None) else int(value)


class FilterForm(FlaskForm):
    """The list filter, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    campaign = SelectField(_l("Campaign"), coerce=optional_int)
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("All")), *choices(CLASS_STATUS_LABELS)],
        default="",
    )
    locality = SelectField(_l("Locality"), coerce=optional_int)
