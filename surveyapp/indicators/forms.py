"""Forms of the indicator pages: a campaign's rule and the review of a follow-up example.

The rule form's fields carry the names of the rule's own fields (``Rule.to_dict()``), so
a ``RuleError`` naming a field lands next to it; the safety share is typed as a
numerator (field ``min_safety_share``) over a denominator.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput

from surveyapp.classes.forms import CheckboxList, optional_int

from .rule import FIELD_LABELS, FREQUENCY_VALUES, TIME_SAVED_VALUES, Rule
from .rules import NOTE_MAX
from .wording import (
    FREQUENCY_LABELS,
    PERSONAL_DATA_LABELS,
    TIME_SAVED_LABELS,
    VERIFIES_LABELS,
)

WHOLE = _l("Enter a whole number.")
PERCENT = _l("Enter a percentage from 0 to 100.")
MAX_DAYS = 3650
MAX_QUESTIONS = 1000


class WholeNumberField(IntegerField):
    """An integer field whose "not a number" message is our own (translated) one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(WHOLE)) from None


class PercentField(DecimalField):
    """A decimal field refusing text, NaN and infinities with our own message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(PERCENT)) from None
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(str(PERCENT))


def _scale(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, f"{value} – {label}") for value, label in labels.items()]


def _checkboxes(label, values, labels, description=None):
    return SelectMultipleField(
        label,
        choices=[SelectChoice(v, labels[v]) for v in values],
        description=description,
        widget=CheckboxList(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class RuleForm(FlaskForm):
    min_days_after_class = WholeNumberField(
        FIELD_LABELS["min_days_after_class"],
        description=_l("A follow-up sent earlier after the class is not counted."),
        validators=[
            InputRequired(message=WHOLE),
            NumberRange(
                min=0, max=MAX_DAYS, message=_l("Enter a number of days from 0 to %(max)s.")
            ),
        ],
    )
    frequency_values = _checkboxes(
        FIELD_LABELS["frequency_values"], FREQUENCY_VALUES, FREQUENCY_LABELS,
        _l("Answers to “How often did you use an AI tool in the past 30 days?” "
           "that count as regular use."),
    )  # fmt: skip
    require_purpose = BooleanField(FIELD_LABELS["require_purpose"])
    require_accepted_example = BooleanField(FIELD_LABELS["require_accepted_example"])
    min_verifies_outputs = SelectField(
        FIELD_LABELS["min_verifies_outputs"], coerce=int, choices=_scale(VERIFIES_LABELS)
    )
    max_enters_personal_data = SelectField(
        FIELD_LABELS["max_enters_personal_data"], coerce=int, choices=_scale(PERSONAL_DATA_LABELS)
    )
    min_post_percent = PercentField(
        FIELD_LABELS["min_post_percent"],
        places=None,
        validators=[
            InputRequired(message=_l("Enter a percentage.")),
            NumberRange(min=0, max=100, message=PERCENT),
        ],
    )
    min_safety_share = WholeNumberField(
        _l("Safety questions right (at least)"),
        validators=[
            InputRequired(message=WHOLE),
            NumberRange(min=0, max=MAX_QUESTIONS, message=WHOLE),
        ],
    )
    safety_denominator = WholeNumberField(
        _l("out of"),
        validators=[
            InputRequired(message=WHOLE),
            NumberRange(
                min=1, max=MAX_QUESTIONS, message=_l("Enter a whole number of at least 1.")
            ),
        ],
    )
    time_saved_values = _checkboxes(
        FIELD_LABELS["time_saved_values"], TIME_SAVED_VALUES, TIME_SAVED_LABELS,
        _l("Answers to “How much time does AI save you each week?” that count as a benefit. "
           "An accepted example describing better work always counts."),
    )  # fmt: skip
    note = TextAreaField(
        _l("Why the change (kept in the history)"),
        validators=[Optional(), Length(max=NOTE_MAX)],
    )
    base_version = HiddenField()

    def fill(self, rule: Rule) -> None:
        """Show ``rule`` in the form (on a first display)."""
        for name, value in rule.to_dict().items():
            if name in self._fields and name != "min_safety_share":
                self[name].data = list(value) if isinstance(value, list) else value
        self.min_safety_share.data = rule.min_safety_share.numerator
        self.safety_denominator.data = rule.min_safety_share.denominator
        self.min_post_percent.data = Decimal(str(rule.min_post_percent))
        self.base_version.data = str(rule.version)

    def rule_data(self) -> dict:
        """The submitted rule as ``Rule.from_dict`` reads it (without the version)."""
        percent = self.min_post_percent.data
        return {
            "min_days_after_class": self.min_days_after_class.data,
            "frequency_values": list(self.frequency_values.data or []),
            "require_purpose": bool(self.require_purpose.data),
            "require_accepted_example": bool(self.require_accepted_example.data),
            "min_verifies_outputs": self.min_verifies_outputs.data,
            "max_enters_personal_data": self.max_enters_personal_data.data,
            "min_post_percent": int(percent) if percent == int(percent) else float(percent),
            "min_safety_share": {
                "numerator": self.min_safety_share.data,
                "denominator": self.safety_denominator.data,
            },
            "time_saved_values": list(self.time_saved_values.data or []),
        }

    def expected_version(self) -> int | None:
        value = (self.base_version.data or "").strip()
        return int(value) if value.isdigit() else None


DECISIONS = {"accept": _l("Accept the example"), "reject": _l("Reject the example")}


class ReviewForm(FlaskForm):
    """One example's review; each card of the queue uses the prefix ``r<response id>``."""

    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice(k, v) for k, v in DECISIONS.items()],
        validators=[InputRequired(message=_l("Choose to accept or reject the example."))],
    )
    quality_gain = BooleanField(_l("Describes better quality of work"))
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=NOTE_MAX)])


class QueueFilterForm(FlaskForm):
    """The queue's campaign filter, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    campaign = SelectField(_l("Campaign"), coerce=optional_int, validate_choice=False)
