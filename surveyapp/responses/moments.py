"""Names of the moments of a class (before, after, follow-up) and the titles of class forms
as people see them: "Skill test – before the class", "Skill test – after the class".

The moment is added to a title only for kinds given at more than one moment (the skill
test); "Pre-class survey – before the class" would say the same thing twice.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from surveyapp.instruments.i18n import current_language, tr
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.responses.models import ClassForm, Moment, Response, moments_of

MOMENT_ORDER = (Moment.PRE, Moment.POST, Moment.FOLLOW_UP)

MOMENT_LABELS = {
    Moment.PRE.value: _l("before the class"),
    Moment.POST.value: _l("after the class"),
    Moment.FOLLOW_UP.value: _l("follow-up"),
}


def moment_label(moment: str) -> str:
    return str(MOMENT_LABELS.get(moment, moment))


def several_moments(kind: str) -> bool:
    """Whether forms of ``kind`` are given at more than one moment (the skill test)."""
    return len(moments_of(kind)) > 1


def moment_choices() -> list[SelectChoice]:
    """Choices of the attach form: automatic (the first moment of the kind not used yet in
    the class), or before or after the class."""
    return [
        SelectChoice("", _l("Automatic")),
        SelectChoice(Moment.PRE.value, _l("Before the class")),
        SelectChoice(Moment.POST.value, _l("After the class")),
    ]


def titled(version: InstrumentVersion, moment: str, locale: str | None = None) -> str:
    """The version's title, with the moment when its kind is given at several moments."""
    locale = locale or current_language()
    title = tr(version.title, locale) or tr(version.instrument.title, locale)
    if moment and several_moments(version.instrument.kind):
        return f"{title} – {moment_label(moment)}"
    return title


def form_title(form: ClassForm, locale: str | None = None) -> str:
    return titled(form.version, form.moment, locale)


def response_title(response: Response, locale: str | None = None) -> str:
    return titled(response.version, response.moment, locale)


def template_helpers() -> dict:
    """Helpers for the templates of class forms and of the trainee journey."""
    return {
        "form_title": form_title,
        "response_title": response_title,
        "moment_label": moment_label,
        "several_moments": several_moments,
    }
