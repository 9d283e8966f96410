"""Forms of the campaign pages: campaign, targets, populations, imports, members, materials."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from surveyapp.campaigns.models import Metric, Segment
from surveyapp.campaigns.services import MAX_FIGURE
from surveyapp.labels import (
    CAMPAIGN_STATUS_LABELS,
    MATERIAL_KIND_LABELS,
    METRIC_LABELS,
    SEGMENT_LABELS,
    choices,
)

WHOLE_NUMBER = _l("Enter a whole number of at least 0.")
PERCENT = _l("The rate is a percentage from 0 to 100.")
DATE = _l("Enter a date.")


class InRange(NumberRange):
    """NumberRange that stays quiet when the value could not even be read (the field's own
    'not a number' message is enough)."""

    def __call__(self, form, field):
        if field.data is None:
            return
        super().__call__(form, field)


def _locality_code():
    return StringField(
        _l("Locality code"),
        description=_l("Official code of the locality in the campaign's administrative scheme."),
        validators=[InputRequired(), Length(max=20)],
    )


def _count(label):
    return IntegerField(
        label,
        validators=[Optional(), InRange(min=0, max=MAX_FIGURE, message=WHOLE_NUMBER)],
    )


class CampaignForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    scheme = SelectField(_l("Administrative scheme"))
    root_code = StringField(
        _l("Root locality code"),
        description=_l("Official code of the province or commune the campaign covers."),
        validators=[InputRequired(), Length(max=20)],
    )
    start_date = DateField(_l("Start date"), validators=[InputRequired(message=DATE)])
    end_date = DateField(_l("End date"), validators=[InputRequired(message=DATE)])
    status = SelectField(_l("Status"), choices=choices(CAMPAIGN_STATUS_LABELS))
    parent_body = StringField(
        _l("Parent body"),
        description=_l("For the printed report, e.g. %(example)s", example="UBND TỈNH LÀO CAI"),
        validators=[Optional(), Length(max=200)],
    )
    issuing_body = StringField(
        _l("Issuing body"),
        description=_l(
            "For the printed report, e.g. %(example)s", example="SỞ KHOA HỌC VÀ CÔNG NGHỆ"
        ),
        validators=[Optional(), Length(max=200)],
    )


class TargetsForm(FlaskForm):
    """One whole number per metric for one locality; an empty field removes the target."""


for _metric in Metric:
    setattr(TargetsForm, f"target_{_metric}", _count(METRIC_LABELS[_metric]))


class PopulationsForm(FlaskForm):
    """Population and target rate per segment for one locality; both empty removes it."""


for _segment in Segment:
    setattr(PopulationsForm, f"population_{_segment}", _count(_l("Population")))
    setattr(
        PopulationsForm,
        f"rate_{_segment}",
        DecimalField(
            _l("Target rate (%)"),
            places=2,
            validators=[Optional(), InRange(min=0, max=100, message=PERCENT)],
        ),
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("File (CSV or XLSX)"),
        description=_l("CSV saved as UTF-8, or an Excel workbook (first sheet)."),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Only CSV or XLSX files can be imported.")),
        ],
    )


class MemberForm(FlaskForm):
    locality_code = _locality_code()
    full_name = StringField(_l("Full name"), validators=[InputRequired(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    segment = SelectField(_l("Group"), choices=choices(SEGMENT_LABELS))
    joined_on = DateField(
        _l("Joined on"), default=date.today, validators=[InputRequired(message=DATE)]
    )


class MaterialForm(FlaskForm):
    locality_code = _locality_code()
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=choices(MATERIAL_KIND_LABELS))
    url = URLField(
        _l("Web address"),
        description=_l("Needed for videos and links, e.g. https://..."),
        validators=[Optional(), Length(max=500)],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    published_on = DateField(
        _l("Published on"), default=date.today, validators=[InputRequired(message=DATE)]
    )


class LocalityFilterForm(FlaskForm):
    """The GET filter of the member and material lists."""

    class Meta:
        csrf = False

    locality = StringField(_l("Locality code"), validators=[Optional(), Length(max=20)])
