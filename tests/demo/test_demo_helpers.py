"""Pure helpers of the demo: fair splits, person names, unit words."""

from __future__ import annotations

import random

import pytest

from surveyapp.demo.common import apportion
from surveyapp.demo.names import PersonNamer, short_name, unit_phrase


@pytest.mark.parametrize(
    ("total", "weights", "parts"),
    [
        (10, [1, 1], [5, 5]),
        (10, [1, 1, 1], [4, 3, 3]),
        (151, [3.0, 1.0], [113, 38]),
        (0, [1, 2], [0, 0]),
        (7, [0, 1], [0, 7]),
    ],
)
def test_apportion_adds_up(total, weights, parts):
    assert apportion(total, weights) == parts


def test_apportion_rejects_nonsense():
    with pytest.raises(ValueError):
        apportion(5, [0, 0])


def test_names_are_distinct_and_repeatable():
    first = PersonNamer(random.Random(7))
    names = [first.full_name() for _ in range(200)]
    assert len(set(names)) == 200
    again = PersonNamer(random.Random(7))
    assert [again.full_name() for _ in range(200)] == names
    hmong = PersonNamer(random.Random(1)).full_name(female=False, hmong=True)
    assert hmong.split()[1] == "A"


def test_unit_words():
    assert unit_phrase("Xã Mù Cang Chải") == "xã Mù Cang Chải"
    assert unit_phrase("Thị trấn Mậu A") == "thị trấn Mậu A"
    assert short_name("Thị trấn Mậu A") == "Mậu A"
    assert short_name("Huyện Văn Yên") == "Văn Yên"
