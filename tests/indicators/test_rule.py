"""The "applies AI effectively" rule: validation, round trip and evaluation edges."""

from dataclasses import replace
from fractions import Fraction

import pytest

from surveyapp.indicators.rule import (
    ACHIEVED,
    DEFAULT_RULE,
    NOT_ASSESSABLE,
    NOT_YET,
    PARTLY,
    PersonEvidence,
    Rule,
    RuleError,
    evaluate,
)

GOOD = PersonEvidence(
    days_after_class=45,
    ai_frequency="weekly_1_2",
    purposes=["writing"],
    example_accepted=True,
    example_quality_gain=False,
    verifies_outputs=4,
    enters_personal_data=1,
    post_percent=70.0,
    safety_share=2 / 3,
    time_saved="m30_60",
)


def outcome(**changes):
    return evaluate(DEFAULT_RULE, replace(GOOD, **changes))


def test_default_rule_matches_the_domain():
    assert DEFAULT_RULE.min_days_after_class == 30
    assert DEFAULT_RULE.frequency_values == ("weekly_1_2", "weekly_3_6", "daily")
    assert DEFAULT_RULE.min_verifies_outputs == 4
    assert DEFAULT_RULE.max_enters_personal_data == 1
    assert DEFAULT_RULE.min_post_percent == 70
    assert DEFAULT_RULE.min_safety_share == Fraction(2, 3)
    assert DEFAULT_RULE.time_saved_values == ("m30_60", "h1_3", "gt3")


def test_all_conditions_at_their_thresholds_achieve():
    result = evaluate(DEFAULT_RULE, GOOD)
    assert result.status == ACHIEVED
    assert result.failed == () and result.counted


@pytest.mark.parametrize(
    ("changes", "failed"),
    [
        ({"ai_frequency": "monthly_1_3"}, ("frequency",)),
        ({"ai_frequency": "never"}, ("frequency",)),
        ({"ai_frequency": None}, ("frequency",)),
        ({"post_percent": 69.99}, ("post_percent",)),
        ({"post_percent": None}, ("post_percent",)),
        ({"safety_share": 0.66}, ("safety_share",)),
        ({"safety_share": None}, ("safety_share",)),
        ({"ai_frequency": "never", "post_percent": 50.0}, ("frequency", "post_percent")),
    ],
)
def test_failing_condition_1_or_4_is_not_yet(changes, failed):
    result = outcome(**changes)
    assert result.status == NOT_YET
    assert result.failed == failed


@pytest.mark.parametrize(
    ("changes", "failed", "conditions"),
    [
        ({"purposes": []}, ("purpose",), (2,)),
        ({"example_accepted": False}, ("example",), (2,)),
        (
            {"example_accepted": False, "example_quality_gain": True, "time_saved": "none"},
            ("example", "benefit"),
            (2, 5),
        ),
        ({"example_accepted": None, "time_saved": "h1_3"}, ("example",), (2,)),
        ({"verifies_outputs": 3}, ("verifies_outputs",), (3,)),
        ({"verifies_outputs": None}, ("verifies_outputs",), (3,)),
        ({"enters_personal_data": 2}, ("personal_data",), (3,)),
        ({"enters_personal_data": None}, ("personal_data",), (3,)),
        ({"time_saved": "lt30"}, ("benefit",), (5,)),
        ({"time_saved": None}, ("benefit",), (5,)),
    ],
)
def test_only_1_and_4_holding_is_partly(changes, failed, conditions):
    result = outcome(**changes)
    assert result.status == PARTLY
    assert result.failed == failed
    assert result.failed_conditions == conditions
    assert result.counted


@pytest.mark.parametrize("frequency", ["weekly_1_2", "weekly_3_6", "daily"])
def test_every_regular_frequency_counts(frequency):
    assert outcome(ai_frequency=frequency).status == ACHIEVED


@pytest.mark.parametrize("time_saved", ["m30_60", "h1_3", "gt3"])
def test_every_counted_time_saving_counts(time_saved):
    assert outcome(time_saved=time_saved).status == ACHIEVED


def test_quality_gain_replaces_time_saved_only_with_an_accepted_example():
    assert outcome(time_saved="none", example_quality_gain=True).status == ACHIEVED
    rejected = outcome(time_saved="none", example_quality_gain=True, example_accepted=False)
    assert rejected.failed == ("example", "benefit")


def test_higher_values_pass_and_exact_fraction_passes():
    assert outcome(verifies_outputs=5, post_percent=100.0, safety_share=1.0).status == ACHIEVED
    # 2 of 3 computed in floating point is a hair below 2/3; it must still pass.
    assert outcome(safety_share=2 / 3, post_percent=0.7 * 100).status == ACHIEVED


def test_follow_up_earlier_than_the_minimum_is_not_assessable():
    assert outcome(days_after_class=30).status == ACHIEVED
    early = outcome(days_after_class=29)
    assert early.status == NOT_ASSESSABLE
    assert early.failed == ("follow_up_too_early",)
    assert not early.counted


def test_missing_follow_up_is_not_assessable():
    result = evaluate(DEFAULT_RULE, PersonEvidence())
    assert result.status == NOT_ASSESSABLE
    assert result.failed == ("no_follow_up",)
    assert result.failed_conditions == ()


def test_changed_thresholds_change_the_outcome():
    strict = replace(
        DEFAULT_RULE,
        version=2,
        min_days_after_class=60,
        frequency_values=("daily",),
        min_verifies_outputs=5,
        max_enters_personal_data=2,
        min_post_percent=80,
        min_safety_share=Fraction(3, 4),
        time_saved_values=("gt3",),
    )
    assert evaluate(strict, GOOD).status == NOT_ASSESSABLE
    person = replace(GOOD, days_after_class=60, enters_personal_data=2)
    assert evaluate(strict, person).failed == (
        "frequency",
        "verifies_outputs",
        "post_percent",
        "safety_share",
        "benefit",
    )
    person = replace(
        person,
        ai_frequency="daily",
        verifies_outputs=5,
        post_percent=80.0,
        safety_share=0.75,
        time_saved="gt3",
    )
    assert evaluate(strict, person).status == ACHIEVED


def test_optional_purpose_and_example():
    lenient = replace(DEFAULT_RULE, require_purpose=False, require_accepted_example=False)
    assert evaluate(lenient, replace(GOOD, purposes=[], example_accepted=None)).status == ACHIEVED


def test_round_trip():
    data = DEFAULT_RULE.to_dict()
    assert data["min_safety_share"] == {"numerator": 2, "denominator": 3}
    assert Rule.from_dict(data) == DEFAULT_RULE
    other = replace(DEFAULT_RULE, version=3, min_post_percent=72.5, time_saved_values=())
    assert Rule.from_dict(other.to_dict()) == other


def _bad(**changes):
    data = DEFAULT_RULE.to_dict()
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (_bad(min_days_after_class=-1), "min_days_after_class", "at least 0"),
        (_bad(min_days_after_class="30"), "min_days_after_class", "whole number"),
        (_bad(min_days_after_class=30.0), "min_days_after_class", "whole number"),
        (_bad(version=0), "version", "at least 1"),
        (_bad(version=True), "version", "whole number"),
        (_bad(min_post_percent=100.5), "min_post_percent", "between 0 and 100"),
        (_bad(min_post_percent=-1), "min_post_percent", "between 0 and 100"),
        (_bad(min_post_percent="70"), "min_post_percent", "must be a number"),
        (_bad(frequency_values=["weekly"]), "frequency_values", "“weekly” is not a known"),
        (_bad(frequency_values=[]), "frequency_values", "at least one value"),
        (_bad(frequency_values="daily"), "frequency_values", "must be a list"),
        (_bad(frequency_values=["daily", "daily"]), "frequency_values", "twice"),
        (_bad(frequency_values=[1]), "frequency_values", "list of answer values"),
        (_bad(time_saved_values=["lots"]), "time_saved_values", "“lots” is not a known"),
        (_bad(require_purpose="yes"), "require_purpose", "true or false"),
        (_bad(require_accepted_example=1), "require_accepted_example", "true or false"),
        (_bad(min_verifies_outputs=6), "min_verifies_outputs", "between 1 and 5"),
        (_bad(max_enters_personal_data=0), "max_enters_personal_data", "between 1 and 5"),
        (_bad(min_safety_share=0.6667), "min_safety_share", "numerator and a denominator"),
        (
            _bad(min_safety_share={"numerator": 4, "denominator": 3}),
            "min_safety_share",
            "between 0 and 1",
        ),
        (
            _bad(min_safety_share={"numerator": 1, "denominator": 0}),
            "min_safety_share",
            "between 0 and 1",
        ),
        (
            _bad(min_safety_share={"numerator": 2.0, "denominator": 3}),
            "min_safety_share",
            "whole numbers",
        ),
        (_bad(colour="red"), "colour", "Unknown field"),
        ({k: v for k, v in DEFAULT_RULE.to_dict().items() if k != "version"}, "version", "lacks"),
    ],
)
def test_invalid_rules_are_rejected_with_a_message(ctx, data, field, words):
    with pytest.raises(RuleError) as caught:
        Rule.from_dict(data)
    assert caught.value.field == field
    assert words in str(caught.value.message)


def test_not_a_dict_is_rejected(ctx):
    with pytest.raises(RuleError, match="set of named fields"):
        Rule.from_dict([1, 2])


def test_constructing_directly_is_validated_too(ctx):
    with pytest.raises(RuleError) as caught:
        Rule(min_post_percent=101)
    assert caught.value.field == "min_post_percent"
    assert "Minimum post-test score" in caught.value.message
