"""Forms of product rounds: the team's entry and its files, the rubric, judge assignment,
scoring, publishing and prizes. Numbers are checked by the services (they accept a decimal
comma), so their messages appear next to the field they concern."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

REQUIRED = _l("This field is required.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ActionForm(FlaskForm):
    """A button-only form (CSRF token only)."""


class EntryForm(FlaskForm):
    title = StringField(
        _l("Title of the product"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(max=300)],
    )
    category = SelectField(_l("Category"), choices=[], validate_choice=False)
    description = TextAreaField(
        _l("What the product does"),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(max=5000)],
    )
    ai_usage = TextAreaField(
        _l("How AI was used"),
        description=_l("Which AI tools you used, for what, and what you did yourselves."),
        filters=[_strip],
        validators=[InputRequired(REQUIRED), Length(max=5000)],
    )
    link = StringField(
        _l("Link (optional)"),
        description=_l("A web address starting with https://, e.g. a video or a demo."),
        filters=[_strip],
        validators=[Optional(), Length(max=500)],
    )

    def set_categories(self, categories) -> None:
        self.category.choices = [SelectChoice("", _l("Choose a category"))] + [
            SelectChoice(c, c) for c in categories
        ]


class FileForm(FlaskForm):
    file = FileField(
        _l("Add a file"),
        description=_l("PDF, picture (PNG, JPEG, WebP) or short video (MP4, WebM)."),
        validators=[FileRequired(_l("Choose a file."))],
    )


class CriterionForm(FlaskForm):
    name = StringField(
        _l("Criterion"), filters=[_strip], validators=[InputRequired(REQUIRED), Length(max=200)]
    )
    description = TextAreaField(
        _l("What judges look for"), filters=[_strip], validators=[Length(max=2000)]
    )
    weight = StringField(_l("Weight"), default="1", validators=[InputRequired(REQUIRED)])
    min_score = StringField(_l("Lowest score"), default="0", validators=[InputRequired(REQUIRED)])
    max_score = StringField(_l("Highest score"), default="10", validators=[InputRequired(REQUIRED)])


class AssignForm(FlaskForm):
    entry = SelectField(_l("Entry"), coerce=int, validators=[InputRequired(REQUIRED)])
    judge = SelectField(_l("Judge"), coerce=int, validators=[InputRequired(REQUIRED)])


class AutoAssignForm(FlaskForm):
    k = IntegerField(
        _l("Judges per entry"),
        default=3,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(1, 20, _l("Give a number from %(min)s to %(max)s.")),
        ],
    )


class AwardForm(FlaskForm):
    consolation = IntegerField(
        _l("Consolation prizes"),
        default=0,
        description=_l("How many entries after the first three ranks get a consolation prize."),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(0, 50, _l("Give a number from %(min)s to %(max)s.")),
        ],
    )


class ScoreFormBase(FlaskForm):
    comment = TextAreaField(
        _l("Comment for the organisers"), filters=[_strip], validators=[Length(max=3000)]
    )


def score_form(criteria, assignment=None, formdata=None):
    """A form with one field ``c<id>`` per criterion, filled with the judge's scores."""

    class ScoreForm(ScoreFormBase):
        pass

    for criterion in criteria:
        label = _l(
            "%(name)s (from %(low)s to %(high)s, weight %(weight)s)",
            name=criterion.name,
            low=_plain(criterion.min_score),
            high=_plain(criterion.max_score),
            weight=_plain(criterion.weight),
        )
        field = StringField(
            label,
            description=criterion.description or None,
            validators=[InputRequired(REQUIRED)],
            render_kw={"inputmode": "decimal", "autocomplete": "off"},
        )
        setattr(ScoreForm, f"c{criterion.id}", field)
    data = {}
    if assignment is not None:
        data = {f"c{s.criterion_id}": _plain(s.score) for s in assignment.scores}
        data["comment"] = assignment.comment
    return ScoreForm(formdata=formdata, data=data) if formdata is not None else ScoreForm(data=data)


def _plain(value) -> str:
    from surveyapp.contests.judging import plain

    return plain(value)
