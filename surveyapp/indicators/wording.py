"""Plain-language wording of an "applies AI effectively" rule, generated from its data.

Reports footnote the rule with ``title(rule)`` and ``describe(rule, locale)``; because the
text is built from the thresholds and answer lists, changing the rule changes the text.
"""

from __future__ import annotations

from babel.lists import format_list
from flask_babel import force_locale, format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .rule import NO_FOLLOW_UP, TOO_EARLY, Rule

FREQUENCY_LABELS = {
    "never": _l("not at all"),
    "monthly_1_3": _l("1–3 times a month"),
    "weekly_1_2": _l("1–2 times a week"),
    "weekly_3_6": _l("3–6 times a week"),
    "daily": _l("every day"),
}
TIME_SAVED_LABELS = {
    "none": _l("no time"),
    "lt30": _l("less than 30 minutes"),
    "m30_60": _l("30 to 60 minutes"),
    "h1_3": _l("1 to 3 hours"),
    "gt3": _l("more than 3 hours"),
}
VERIFIES_LABELS = {
    1: _l("never"),
    2: _l("rarely"),
    3: _l("sometimes"),
    4: _l("usually"),
    5: _l("always"),
}
PERSONAL_DATA_LABELS = {
    1: _l("never"),
    2: _l("rarely"),
    3: _l("sometimes"),
    4: _l("often"),
    5: _l("very often"),
}
# Short explanations of a failed check (``Outcome.failed``), for per-person detail.
CHECK_LABELS = {
    "frequency": _l("does not use AI regularly enough"),
    "purpose": _l("named no concrete purpose"),
    "example": _l("has no accepted example"),
    "verifies_outputs": _l("does not check AI outputs often enough"),
    "personal_data": _l("enters other people's personal data"),
    "post_percent": _l("post-test score too low"),
    "safety_share": _l("too few safety questions right"),
    "benefit": _l("no time saved or quality gain shown"),
    NO_FOLLOW_UP: _l("no follow-up survey"),
    TOO_EARLY: _l("follow-up too soon after the class"),
}


def _or_list(labels: dict, values) -> str:
    return format_list([str(labels[v]) for v in values], style="or", locale=get_locale())


def _number(value) -> str:
    return format_decimal(value, format="#,##0.##")


def title(rule: Rule, locale: str | None = None) -> str:
    """One line naming the rule and its version, e.g. "Rule v3: applies AI effectively"."""
    with force_locale(locale or str(get_locale())):
        return _("Rule v%(version)s: applies AI effectively", version=rule.version)


def describe(rule: Rule, locale: str | None = None) -> list[str]:
    """The rule as plain sentences: an introduction, the five conditions, how people are counted."""
    with force_locale(locale or str(get_locale())):
        return [
            _(
                "A trainee applies AI effectively when, in a follow-up survey at least "
                "%(days)s days after the class, all of the following hold:",
                days=rule.min_days_after_class,
            ),
            "1. " + _regular_use(rule),
            "2. " + _purpose_and_example(rule),
            "3. " + _safe_practice(rule),
            "4. " + _post_test(rule),
            "5. " + _benefit(rule),
            _("“Partly achieved” means conditions 1 and 4 hold but not all five."),
            _(
                "Only completed follow-ups at least %(days)s days after the class are counted; "
                "people who did not answer are left out.",
                days=rule.min_days_after_class,
            ),
        ]


def explain(failed) -> list[str]:
    """Translated reasons for the checks in ``Outcome.failed``."""
    return [str(CHECK_LABELS[key]) for key in failed]


def _regular_use(rule: Rule) -> str:
    return _(
        "In the past 30 days they used AI for a real task %(frequencies)s.",
        frequencies=_or_list(FREQUENCY_LABELS, rule.frequency_values),
    )


def _purpose_and_example(rule: Rule) -> str:
    if rule.require_purpose and rule.require_accepted_example:
        return _(
            "They named at least one concrete purpose and gave an example of their use "
            "that a trainer or reviewer accepted."
        )
    if rule.require_purpose:
        return _("They named at least one concrete purpose.")
    if rule.require_accepted_example:
        return _("They gave an example of their use that a trainer or reviewer accepted.")
    return _("No purpose or example is required.")


def _safe_practice(rule: Rule) -> str:
    verifies = _(
        "They check important information from AI against official sources at least "
        "“%(label)s” (%(value)s on a scale of 1 to 5).",
        label=VERIFIES_LABELS[rule.min_verifies_outputs],
        value=rule.min_verifies_outputs,
    )
    if rule.max_enters_personal_data == 1:
        personal = _("They never type other people's personal details into a public AI tool.")
    else:
        personal = _(
            "They type other people's personal details into a public AI tool at most "
            "“%(label)s” (%(value)s on a scale of 1 to 5).",
            label=PERSONAL_DATA_LABELS[rule.max_enters_personal_data],
            value=rule.max_enters_personal_data,
        )
    return verifies + " " + personal


def _post_test(rule: Rule) -> str:
    share = rule.min_safety_share
    return _(
        "Their post-test score is at least %(percent)s%% overall and they answer at least "
        "%(numerator)s in %(denominator)s of the safety questions correctly.",
        percent=_number(rule.min_post_percent),
        numerator=share.numerator,
        denominator=share.denominator,
    )


def _benefit(rule: Rule) -> str:
    if not rule.time_saved_values:
        return _("Their accepted example describes a gain in the quality of their work.")
    return _(
        "AI saves them %(amounts)s a week, or their accepted example describes a gain in "
        "the quality of their work.",
        amounts=_or_list(TIME_SAVED_LABELS, rule.time_saved_values),
    )
