"""Forms of the club, team, contest, round and judge pages, and the pupils' join and
consent forms. Round times are typed in Vietnam's local time and stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput

from surveyapp.classes.forms import CheckboxList, optional_int
from surveyapp.contests.contests import MAX_TEAM_SIZE
from surveyapp.contests.models import ContestStatus, LateRule
from surveyapp.contests.rounds import MAX_FILE_MB

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CONTEST_STATUS_LABELS = {
    ContestStatus.DRAFT: _l("Draft"),
    ContestStatus.OPEN: _l("Open"),
    ContestStatus.CLOSED: _l("Closed"),
    ContestStatus.PUBLISHED: _l("Results published"),
}
LATE_RULE_LABELS = {
    LateRule.ZERO: _l("Recorded as late, scored 0"),
    LateRule.PENALTY: _l("Recorded as late, score reduced by the penalty"),
    LateRule.ACCEPT: _l("Recorded as late, scored as usual"),
}


def local_to_utc(value: datetime | None) -> datetime | None:
    """A naive local time typed in a form -> an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=LOCAL_ZONE).astimezone(UTC)


def utc_to_local(value: datetime | None) -> datetime | None:
    """An aware (or SQLite's naive UTC) datetime -> naive local time for a form field."""
    if value is None:
        return None
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return aware.astimezone(LOCAL_ZONE).replace(tzinfo=None)


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (easier on a phone than a multi-select)."""

    widget = CheckboxList(prefix_label=False)
    option_widget = CheckboxInput()


class SchoolForm(FlaskForm):
    name = StringField(_l("School name"), validators=[InputRequired(), Length(max=200)])
    locality = SelectField(_l("Locality"), coerce=int)


class ClubForm(FlaskForm):
    name = StringField(
        _l("Club name"),
        description=_l("For example: AI club of Văn Yên secondary school."),
        validators=[InputRequired(), Length(max=200)],
    )
    school = SelectField(_l("School"), coerce=int)
    leader = SelectField(_l("Leader (teacher)"), coerce=optional_int)


class JoinForm(FlaskForm):
    code = StringField(
        _l("Club code"),
        description=_l("The 6 letters and digits your teacher gave you."),
        validators=[InputRequired(), Length(max=20)],
    )
    full_name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=200)])
    grade = StringField(
        _l("Class or grade"),
        description=_l("For example: 8A."),
        validators=[InputRequired(), Length(max=20)],
    )


class ConsentForm(FlaskForm):
    pupil = BooleanField(_l("The pupil agrees that their name is published with results."))
    guardian = BooleanField(
        _l("A parent or guardian agrees that the pupil's name is published with results.")
    )
    guardian_name = StringField(
        _l("Name of the parent or guardian"), validators=[Optional(), Length(max=200)]
    )


class MemberForm(FlaskForm):
    full_name = StringField(_l("Pupil's name"), validators=[InputRequired(), Length(max=200)])
    grade = StringField(_l("Class or grade"), validators=[InputRequired(), Length(max=20)])


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[InputRequired(), Length(max=120)])
    members = CheckboxesField(_l("Pupils"), coerce=int)


class ContestForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    locality = SelectField(
        _l("Organised for"),
        coerce=int,
        description=_l("Clubs of schools inside this locality may enter."),
    )
    max_team_size = IntegerField(
        _l("Largest team (pupils)"),
        default=MAX_TEAM_SIZE,
        validators=[
            InputRequired(),
            NumberRange(min=1, max=MAX_TEAM_SIZE, message=_l("Enter a number from 1 to 5.")),
        ],
    )


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"))


def _count(label, low: int, high: int, description=None, default=None):
    return IntegerField(
        label,
        default=default,
        description=description,
        validators=[
            Optional(),
            NumberRange(min=low, max=high, message=_l("Enter a number from %(min)s to %(max)s.")),
        ],
    )


class RoundForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    opens_at = DateTimeLocalField(
        _l("Opens at"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()]
    )
    closes_at = DateTimeLocalField(
        _l("Closes at"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()]
    )
    # Quiz rounds
    version = SelectField(_l("Contest quiz"), coerce=optional_int)
    time_limit_minutes = _count(_l("Time limit (minutes)"), 1, 240, default=15)
    team_attempts = BooleanField(_l("One attempt per team (not per pupil)"))
    attempts_allowed = _count(_l("Attempts allowed"), 1, 10, default=1)
    late_rule = SelectField(
        _l("Answers sent after the time limit"),
        choices=[SelectChoice(k, v) for k, v in LATE_RULE_LABELS.items()],
        default=LateRule.ZERO,
    )
    late_penalty_percent = _count(_l("Late penalty (%)"), 0, 100, default=0)
    grace_seconds = _count(
        _l("Grace for slow connections (seconds)"), 0, 300, default=5,
        description=_l("Answers arriving within this time after the limit are not late."),
    )  # fmt: skip
    freeze_minutes = _count(
        _l("Freeze the public leaderboard for the last minutes"), 0, 100000, default=0
    )
    # Product rounds
    categories = TextAreaField(
        _l("Categories"),
        description=_l("One per line, for example: Education, Agriculture."),
        validators=[Optional(), Length(max=3000)],
    )
    max_file_mb = _count(_l("Largest file (MB)"), 1, MAX_FILE_MB, default=20)
    standardise_scores = BooleanField(
        _l("Standardise each judge's scores (z-scores), so a harsh judge does not sink entries")
    )


class JudgeForm(FlaskForm):
    judge = SelectField(_l("Judge"), coerce=int)
    school = SelectField(
        _l("The judge's school"),
        coerce=optional_int,
        description=_l("A judge is never assigned to entries of their own school's teams."),
    )


class ConfirmForm(FlaskForm):
    """An empty form: a button that only carries the CSRF token."""
