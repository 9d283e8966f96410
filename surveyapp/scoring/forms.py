"""Forms of the scoring pages: marking an open answer and correcting an answer key.

The fields only carry what was typed; the services check it (with translated messages),
so the rules live in one place and the CLI or API would give the same answers.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput

from surveyapp.classes.forms import CheckboxList
from surveyapp.instruments.i18n import tr


class MarkForm(FlaskForm):
    points = StringField(_l("Points"))
    note = StringField(_l("Note (optional)"))


class AnswerKeyForm(FlaskForm):
    """Base class; ``answer_key_form`` adds the ``answer_key`` field that fits the item."""


def _choices(item) -> list[SelectChoice]:
    if item.qtype == "yes_no":
        return [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]
    return [SelectChoice(str(c.get("value")), tr(c.get("label"))) for c in item.choices or []]


def answer_key_form(item, **kwargs) -> AnswerKeyForm:
    """A form whose ``answer_key`` is a choice list, checkboxes or a number, as ``item`` needs."""

    class Form(AnswerKeyForm):
        pass

    label = _l("Correct answer")
    if item.qtype == "multiple_choice":
        field = SelectMultipleField(
            label,
            choices=_choices(item),
            validate_choice=False,
            widget=CheckboxList(prefix_label=False),
            option_widget=CheckboxInput(),
        )
    elif item.qtype in ("single_choice", "yes_no"):
        field = SelectField(label, choices=_choices(item), validate_choice=False)
    else:
        field = StringField(label)
    Form.answer_key = field
    return Form(**kwargs)
