"""The rule's wording is generated from its data, in English and Vietnamese."""

from dataclasses import replace
from fractions import Fraction

import pytest
from flask_babel import force_locale

from surveyapp.indicators.rule import DEFAULT_RULE, PersonEvidence, evaluate
from surveyapp.indicators.wording import describe, explain, title


def text(rule, locale):
    return "\n".join(describe(rule, locale))


def test_english_wording_of_the_default_rule(ctx):
    lines = describe(DEFAULT_RULE, "en")
    assert len(lines) == 8
    assert "at least 30 days after the class" in lines[0]
    assert lines[1] == (
        "1. In the past 30 days they used AI for a real task "
        "1–2 times a week, 3–6 times a week, or every day."
    )
    assert "accepted" in lines[2]
    assert "at least “usually” (4 on a scale of 1 to 5)" in lines[3]
    assert "They never type other people's personal details" in lines[3]
    assert "at least 70% overall" in lines[4]
    assert "2 in 3 of the safety questions" in lines[4]
    assert "30 to 60 minutes, 1 to 3 hours, or more than 3 hours a week" in lines[5]
    assert "conditions 1 and 4" in lines[6]


def test_title(ctx):
    assert title(DEFAULT_RULE, "en") == "Rule v1: applies AI effectively"
    assert title(replace(DEFAULT_RULE, version=3), "en").startswith("Rule v3:")


CHANGES = [
    {"min_days_after_class": 45},
    {"frequency_values": ("daily",)},
    {"require_purpose": False},
    {"require_accepted_example": False},
    {"min_verifies_outputs": 5},
    {"max_enters_personal_data": 2},
    {"min_post_percent": 72.5},
    {"min_safety_share": Fraction(3, 4)},
    {"time_saved_values": ("gt3",)},
    {"time_saved_values": ()},
]


@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("changes", CHANGES)
def test_changing_a_threshold_changes_the_text(ctx, locale, changes):
    assert text(replace(DEFAULT_RULE, **changes), locale) != text(DEFAULT_RULE, locale)


def test_thresholds_are_rendered(ctx):
    changed = replace(
        DEFAULT_RULE,
        min_days_after_class=45,
        frequency_values=("daily",),
        min_verifies_outputs=5,
        max_enters_personal_data=2,
        min_post_percent=72.5,
        min_safety_share=Fraction(3, 4),
        time_saved_values=("gt3",),
    )
    english = text(changed, "en")
    assert "at least 45 days" in english
    assert "for a real task every day." in english
    assert "at least “always” (5 on a scale of 1 to 5)" in english
    assert "at most “rarely” (2 on a scale of 1 to 5)" in english
    assert "at least 72.5% overall" in english
    assert "3 in 4 of the safety questions" in english
    assert "AI saves them more than 3 hours a week" in english
    # Numbers follow the Vietnamese convention (decimal comma).
    assert "72,5%" in text(changed, "vi")


def test_vietnamese_by_default_in_a_request(app, vietnamese_default):
    with app.test_request_context("/"):
        assert text(DEFAULT_RULE, None) == text(DEFAULT_RULE, "vi")
        with force_locale("vi"):
            assert describe(replace(DEFAULT_RULE, min_post_percent=72.5))[4].count("72,5") == 1


def test_wording_accepts_a_round_tripped_rule(ctx):
    restored = type(DEFAULT_RULE).from_dict(DEFAULT_RULE.to_dict())
    assert describe(restored, "en") == describe(DEFAULT_RULE, "en")


def test_explain_failed_checks(ctx):
    outcome = evaluate(DEFAULT_RULE, PersonEvidence(days_after_class=40, ai_frequency="never"))
    reasons = explain(outcome.failed)
    assert reasons[0] == "does not use AI regularly enough"
    assert len(reasons) == len(outcome.failed)
    assert explain(evaluate(DEFAULT_RULE, PersonEvidence()).failed) == ["no follow-up survey"]
