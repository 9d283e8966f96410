"""Data-quality flags: hand-made cases, with values exactly at each threshold."""

import pytest

from surveyapp.quality.flags import (
    MIN_LIKERT_ITEMS,
    MIN_SECONDS_PER_ITEM,
    SHARE_OF_MEDIAN,
    PersonKey,
    probable_duplicates,
    straight_lining,
    too_fast,
)

# ---------------------------------------------------------------- too_fast


def test_documented_defaults():
    assert (SHARE_OF_MEDIAN, MIN_SECONDS_PER_ITEM, MIN_LIKERT_ITEMS) == (0.3, 2.0, 5)


def test_too_fast_empty_input():
    assert too_fast({}) == set()
    assert too_fast({}, {}) == set()


def test_too_fast_relative_to_median():
    # median of 100, 200, 300, 400, 500 = 300 -> floor 0.3 * 300 = 90
    durations = {"a": 89, "b": 90, "c": 300, "d": 400, "e": 500, "f": 200}
    # with "f" the median is (200 + 300) / 2 = 250 -> floor 75
    assert too_fast(durations) == set()
    durations = {"a": 89.9, "b": 90, "c": 300, "d": 400, "e": 500}
    # median of 89.9, 90, 300, 400, 500 = 300 -> floor 90: "b" is exactly at it
    assert too_fast(durations) == {"a"}


def test_too_fast_custom_share():
    durations = {1: 100, 2: 100, 3: 100, 4: 100, 5: 49, 6: 50}
    # median 100 -> floor 50
    assert too_fast(durations, share_of_median=0.5) == {5}


def test_too_fast_per_item_floor_boundary():
    durations = {"a": 20, "b": 19.5, "c": 19.5}
    n_items = {"a": 10, "b": 10, "c": 9}
    # floors: a 20 (exactly at it), b 20, c 18
    assert too_fast(durations, n_items) == {"b"}


def test_too_fast_custom_seconds_per_item():
    assert too_fast({"a": 30}, {"a": 10}, min_seconds_per_item=3.0) == set()
    assert too_fast({"a": 29}, {"a": 10}, min_seconds_per_item=3.0) == {"a"}


def test_too_fast_single_response_uses_only_item_floor():
    assert too_fast({"a": 1}) == set()
    assert too_fast({"a": 1}, {"a": 1}) == {"a"}


def test_too_fast_four_timed_responses_ignore_median():
    durations = {"a": 10, "b": 300, "c": 300, "d": 300}
    assert too_fast(durations) == set()
    assert too_fast(durations, {"a": 6}) == {"a"}


def test_too_fast_none_durations_ignored_and_not_counted():
    durations = {"a": 10, "b": 300, "c": 300, "d": 300, "e": None, "f": None}
    # only 4 timed responses: the median rule does not apply
    assert too_fast(durations, {"e": 40, "f": 40}) == set()
    durations["e"] = 300
    # 5 timed: median 300 -> floor 90
    assert too_fast(durations) == {"a"}


def test_too_fast_response_missing_from_n_items_has_no_item_floor():
    assert too_fast({"a": 1, "b": 1}, {"b": 5}) == {"b"}


def test_too_fast_zero_items_gives_no_floor():
    assert too_fast({"a": 0}, {"a": 0}) == set()


def test_too_fast_both_rules_together():
    durations = {"a": 50, "b": 95, "c": 300, "d": 310, "e": 320}
    n_items = {"a": 10, "b": 50, "c": 50, "d": 50, "e": 50}
    # median 300 -> floor 90 flags nobody but "a"; "b" is above 90 but under 50 * 2 = 100
    assert too_fast(durations, n_items) == {"a", "b"}


def test_too_fast_rejects_negative_thresholds():
    with pytest.raises(ValueError):
        too_fast({"a": 1}, share_of_median=-0.1)
    with pytest.raises(ValueError):
        too_fast({"a": 1}, min_seconds_per_item=-1)


# ---------------------------------------------------------------- straight_lining


def test_straight_lining_empty_input():
    assert straight_lining({}) == set()


@pytest.mark.parametrize(
    ("answers", "flagged"),
    [
        ([3, 3, 3, 3, 3], True),  # exactly min_items answered
        ([3, 3, 3, 3], False),  # one short
        ([5, 5, 5, 5, 5, 5, 5], True),
        ([1, 1, 1, 1, 2], False),
        ([4, None, 4, 4, None, 4, 4], True),  # skipped items ignored, 5 answered
        ([4, None, 4, 4, None, 4], False),  # only 4 answered
        ([None] * 8, False),  # all missing
        ([], False),
    ],
)
def test_straight_lining_cases(answers, flagged):
    assert straight_lining({"r": answers}) == ({"r"} if flagged else set())


def test_straight_lining_mixed_block():
    block = {
        "same": [2, 2, 2, 2, 2, 2],
        "varied": [1, 2, 3, 4, 5, 4],
        "skipper": [None, None, 5, None, None, None],
        "mostly": [4, 4, 4, 4, 4, 3],
        "gaps": [1, None, 1, 1, 1, 1],
    }
    assert straight_lining(block) == {"same", "gaps"}


def test_straight_lining_custom_min_items():
    block = {"a": [3, 3, 3], "b": [3, 3]}
    assert straight_lining(block, min_items=3) == {"a"}
    assert straight_lining(block, min_items=2) == {"a", "b"}


def test_straight_lining_rejects_min_items_below_two():
    with pytest.raises(ValueError):
        straight_lining({"a": [1]}, min_items=1)


# ---------------------------------------------------------------- probable_duplicates


def person(pid, name="nguyen thi lan", year=1985, locality=7, phone=None):
    return PersonKey(pid, name, year, locality, phone)


def test_duplicates_empty_and_single():
    assert probable_duplicates([]) == []
    assert probable_duplicates([person(1)]) == []


def test_duplicates_without_phones():
    assert probable_duplicates([person(1), person(2), person(3)]) == [{1, 2, 3}]


def test_duplicates_with_different_or_missing_phones():
    people = [person(1, phone="84912345678"), person(2, phone="84987654321"), person(3)]
    assert probable_duplicates(people) == [{1, 2, 3}]


def test_duplicates_same_phone_still_grouped():
    assert probable_duplicates([person(1, phone="p"), person(2, phone="p")]) == [{1, 2}]


@pytest.mark.parametrize(
    "other",
    [
        person(2, name="nguyen thi lanh"),
        person(2, name="nguyen van lan"),
        person(2, year=1986),
        person(2, locality=8),
    ],
)
def test_duplicates_need_all_three_keys_equal(other):
    assert probable_duplicates([person(1), other]) == []


@pytest.mark.parametrize(
    "incomplete",
    [person(2, name=""), person(2, year=None), person(2, locality=None)],
)
def test_duplicates_ignore_incomplete_keys(incomplete):
    twin = PersonKey(3, incomplete.name_key, incomplete.birth_year, incomplete.locality_id)
    assert probable_duplicates([person(1), incomplete, twin]) == []


def test_duplicates_same_id_listed_twice_is_not_a_duplicate():
    assert probable_duplicates([person(5), person(5, phone="p")]) == []


def test_duplicates_deterministic_order():
    people = [
        person(9, name="hoang van yen", year=1990),
        person(4, name="lo thi mai", year=2001, locality=3),
        person(2, name="hoang van yen", year=1990),
        person(8),
        person(6, name="lo thi mai", year=2001, locality=3),
        person(1),
        person(3, name="mua a chai", year=1970),
    ]
    expected = [{1, 8}, {2, 9}, {4, 6}]
    assert probable_duplicates(people) == expected
    assert probable_duplicates(list(reversed(people))) == expected


def test_duplicates_string_ids():
    people = [person("p-b"), person("p-a"), person("p-c", name="giang a pao")]
    assert probable_duplicates(people) == [{"p-a", "p-b"}]
