"""The dashboard's filter: a GET form read from the query string (no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from surveyapp.indicators.kpi_types import COLLECTED, CURRENT, KpiFilters
from surveyapp.labels import SEGMENT_LABELS

GEOGRAPHY_LABELS = {
    COLLECTED: _l("Units as collected"),
    CURRENT: _l("Today's units"),
}

CHOICE = _l("Choose one of the listed values.")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # what date inputs send, and what people type


def _date(label) -> DateField:
    return DateField(
        label,
        format=DATE_FORMATS,
        validators=[Optional()],
        invalid_value_message=_l("Enter a date, for example 31/12/2026."),
        render_kw={"max": "9999-12-31"},
    )


class DashboardFilterForm(FlaskForm):
    """``?locality_id=&segment=&date_from=&date_to=&geography=``; every value is optional."""

    class Meta:
        csrf = False

    locality_id = HiddenField()
    segment = SelectField(
        _l("Group"),
        invalid_choice_message=CHOICE,
        choices=[
            SelectChoice("", _l("All groups")),
            *(SelectChoice(k, v) for k, v in SEGMENT_LABELS.items()),
        ],
        default="",
        validate_choice=True,
    )
    date_from = _date(_l("From"))
    date_to = _date(_l("To"))
    geography = SelectField(
        _l("Localities"),
        description=_l("Count data where it was collected, or at the units that replaced them."),
        choices=[SelectChoice(k, v) for k, v in GEOGRAPHY_LABELS.items()],
        invalid_choice_message=CHOICE,
        default=COLLECTED,
    )

    def validate_locality_id(self, field):
        value = (field.data or "").strip()
        if value and (not value.isdigit() or len(value) > 12):
            raise ValidationError(_l("Choose a locality from the table."))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    @property
    def chosen_locality_id(self) -> int | None:
        value = (self.locality_id.data or "").strip()
        return int(value) if value else None

    def filters(self) -> KpiFilters:
        return KpiFilters(
            segment=self.segment.data or None,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            geography=self.geography.data or COLLECTED,
        )
