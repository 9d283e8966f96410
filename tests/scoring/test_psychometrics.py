"""Item analysis: hand-computed facility, discrimination, KR-20 and alpha."""

import math
import random
import statistics

import pytest

from surveyapp.scoring.psychometrics import (
    alpha_if_item_deleted,
    analyse_items,
    cronbach_alpha,
    discrimination_band,
    facility,
    facility_flag,
    item_rest_correlation,
    kr20,
    option_counts,
    upper_lower_discrimination,
    upper_lower_groups,
    validate,
)

# Six persons, four 0/1 items; totals 4, 3, 2, 2, 1, 0.
TEXTBOOK = [
    [1, 1, 1, 1],
    [1, 1, 1, 0],
    [1, 1, 0, 0],
    [1, 0, 1, 0],
    [1, 0, 0, 0],
    [0, 0, 0, 0],
]
ONES = [1, 1, 1, 1]

# Five persons, partial-credit items worth 2, 3 and 2 points; totals 7, 5, 2, 2, 5.
POLYTOMOUS = [
    [2, 3, 2],
    [1, 2, 2],
    [1, 1, 0],
    [0, 1, 1],
    [2, 2, 1],
]
POLY_MAX = [2, 3, 2]


def test_textbook_kr20_by_hand():
    # p = 5/6, 3/6, 3/6, 1/6 ; sum pq = 5/36 + 9/36 + 9/36 + 5/36 = 28/36 = 7/9
    # totals 4,3,2,2,1,0: mean 2, squared deviations 4+1+0+0+1+4 = 10 -> pvariance 10/6 = 5/3
    # KR-20 = 4/3 * (1 - (7/9) / (5/3)) = 4/3 * 8/15 = 32/45
    assert kr20(TEXTBOOK, ONES) == pytest.approx(32 / 45)
    assert cronbach_alpha(TEXTBOOK) == pytest.approx(32 / 45)


def test_textbook_facility_and_flags():
    analysis = analyse_items(TEXTBOOK, ONES)
    assert [item.facility for item in analysis.items] == pytest.approx([5 / 6, 0.5, 0.5, 1 / 6])
    assert [item.facility_flag for item in analysis.items] == ["too_easy", None, None, "too_hard"]
    assert (analysis.n_persons, analysis.n_items) == (6, 4)
    assert analysis.kr20 == pytest.approx(analysis.alpha)


def test_textbook_upper_lower_discrimination():
    # N = 6 -> g = floor(0.27*6 + 0.5) = 2: upper rows 0, 1 ; lower rows 4, 5
    assert upper_lower_groups([4, 3, 2, 2, 1, 0]) == ([0, 1], [4, 5])
    # item 1: U 1,1 -> 1 ; L 1,0 -> 0.5 ; item 2: 1 - 0 ; item 3: 1 - 0 ; item 4: 0.5 - 0
    expected = [0.5, 1.0, 1.0, 0.5]
    got = [upper_lower_discrimination(TEXTBOOK, i, 1) for i in range(4)]
    assert got == pytest.approx(expected)


def test_item_rest_correlation_by_hand():
    # item 2 = 1,1,1,0,0,0 ; rest = 3,2,1,2,1,0 (mean 1.5)
    # sxy = .75+.25-.25-.25+.25+.75 = 1.5 ; sxx = 1.5 ; syy = 2.25+.25+.25+.25+.25+2.25 = 5.5
    assert item_rest_correlation(TEXTBOOK, 1) == pytest.approx(1.5 / math.sqrt(1.5 * 5.5))
    # Same through the point-biserial formula (M1 - M0) / s * sqrt(pq):
    # M1 = mean(3,2,1) = 2, M0 = mean(2,1,0) = 1, s = sqrt(5.5/6), sqrt(pq) = 0.5
    assert item_rest_correlation(TEXTBOOK, 1) == pytest.approx(1 / math.sqrt(5.5 / 6) * 0.5)


def test_item_rest_matches_point_biserial_formula_for_item_4():
    # item 4 = 1,0,0,0,0,0 ; rest = 3,3,2,2,1,0 ; M1 = 3 ; M0 = (3+2+2+1+0)/5 = 1.6
    # pvariance(rest) = 27/6 - (11/6)**2 = 41/36 ; sqrt(pq) = sqrt(5/36)
    expected = (3 - 1.6) / math.sqrt(41 / 36) * math.sqrt(5 / 36)
    assert item_rest_correlation(TEXTBOOK, 3) == pytest.approx(expected)


def test_alpha_if_item_deleted_by_hand():
    # without item 4: totals 3,3,2,2,1,0 -> pvariance 41/36 ; sum pq = 5/36 + 9/36 + 9/36 = 23/36
    # alpha = 3/2 * (1 - 23/41) = 27/41
    assert alpha_if_item_deleted(TEXTBOOK, 3) == pytest.approx(27 / 41)
    assert analyse_items(TEXTBOOK, ONES).items[3].alpha_if_deleted == pytest.approx(27 / 41)


def test_polytomous_alpha_by_hand():
    # item variances: [2,1,1,0,2] mean 1.2 -> 2.8/5 = .56 ; [3,2,1,1,2] -> .56 ; [2,2,0,1,1] -> .56
    # totals 7,5,2,2,5 mean 4.2 -> (7.84+.64+4.84+4.84+.64)/5 = 3.76
    # alpha = 3/2 * (1 - 1.68/3.76) = 39/47
    assert cronbach_alpha(POLYTOMOUS) == pytest.approx(39 / 47)
    analysis = analyse_items(POLYTOMOUS, POLY_MAX)
    assert analysis.kr20 is None  # partial credit: KR-20 does not apply
    assert analysis.items[1].facility == pytest.approx(1.8 / 3)
    with pytest.raises(ValueError):
        kr20(POLYTOMOUS, POLY_MAX)


def _alpha_independent(scores, variance):
    k = len(scores[0])
    item_vars = sum(variance([row[i] for row in scores]) for i in range(k))
    return k / (k - 1) * (1 - item_vars / variance([sum(row) for row in scores]))


@pytest.mark.parametrize("variance", [statistics.pvariance, statistics.variance])
@pytest.mark.parametrize("scores", [TEXTBOOK, POLYTOMOUS])
def test_alpha_cross_check(scores, variance):
    # The ratio of variances is the same whether both divide by N or both by N - 1.
    assert cronbach_alpha(scores) == pytest.approx(_alpha_independent(scores, variance))


@pytest.mark.parametrize("seed", range(5))
def test_kr20_equals_alpha_on_dichotomous_data(seed):
    rng = random.Random(seed)
    scores = [[int(rng.random() < 0.3 + 0.1 * i) for i in range(6)] for _ in range(40)]
    assert kr20(scores, [1] * 6) == pytest.approx(cronbach_alpha(scores))


def test_kr20_with_items_worth_more_than_one_point():
    scores = [[2 * s for s in row[:2]] + row[2:] for row in TEXTBOOK]
    assert kr20(scores, [2, 2, 1, 1]) == pytest.approx(cronbach_alpha(scores))


def test_negative_discrimination():
    scores = [[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1]]
    # item 3: rest 2,2,0,0 vs item 0,0,1,1 -> r = -1 ; N = 4 -> g = 1: U row 0, L row 3
    assert item_rest_correlation(scores, 2) == pytest.approx(-1)
    assert upper_lower_discrimination(scores, 2, 1) == pytest.approx(-1)
    assert analyse_items(scores, [1, 1, 1]).items[2].item_rest_band == "check_key"


def test_all_correct_item():
    scores = [[1, 1], [1, 0], [1, 1], [1, 0]]
    item = analyse_items(scores, [1, 1]).items[0]
    assert item.facility == 1
    assert item.facility_flag == "too_easy"
    assert item.discrimination == 0
    assert item.item_rest is None  # zero item variance
    assert item.item_rest_band is None


@pytest.mark.parametrize(
    ("person_totals", "expected"),
    [
        ([2, 2, 2, 2], ([0], [3])),  # all tied: row order decides
        ([5, 3, 5, 1, 3], ([0], [3])),  # N = 5 -> g = 1
        ([5, 1, 3, 1], ([0], [3])),  # tie at the bottom: the later row is lower
        ([1, 2], ([1], [0])),
        ([7], None),
        ([], None),
    ],
)
def test_upper_lower_groups_ties(person_totals, expected):
    assert upper_lower_groups(person_totals) == expected


@pytest.mark.parametrize(("n", "size"), [(2, 1), (3, 1), (6, 2), (10, 3), (100, 27)])
def test_upper_lower_group_size(n, size):
    upper, lower = upper_lower_groups(list(range(n)))
    assert len(upper) == len(lower) == size
    assert not set(upper) & set(lower)


@pytest.mark.parametrize(
    ("scores", "max_points"),
    [
        ([], [1, 1]),  # no respondents
        ([[1, 0, 1]], [1, 1, 1]),  # a single respondent
        ([[1], [0], [1]], [1]),  # k < 2
        ([[1, 0], [1, 0], [1, 0]], [1, 1]),  # zero total variance
        ([], []),
    ],
)
def test_undefined_statistics_are_none(scores, max_points):
    analysis = analyse_items(scores, max_points)
    assert analysis.alpha is None
    assert analysis.kr20 is None
    assert all(item.alpha_if_deleted is None for item in analysis.items)
    assert all(item.item_rest is None for item in analysis.items)


def test_single_respondent_and_empty_input_details():
    single = analyse_items([[1, 0, 1]], [1, 1, 1])
    assert [item.facility for item in single.items] == [1, 0, 1]
    assert all(item.discrimination is None for item in single.items)
    empty = analyse_items([], [1, 1])
    assert empty.n_persons == 0
    assert all(item.facility is None and item.facility_flag is None for item in empty.items)
    assert facility([], 1) is None


@pytest.mark.parametrize(
    ("scores", "max_points"),
    [
        ([[1, 0], [1]], [1, 1]),  # ragged row
        ([[2, 0]], [1, 1]),  # above max
        ([[-1, 0]], [1, 1]),  # negative
        ([[0, 0]], [1, 0]),  # item without points
    ],
)
def test_malformed_input_is_rejected(scores, max_points):
    with pytest.raises(ValueError):
        validate(scores, max_points)
    with pytest.raises(ValueError):
        analyse_items(scores, max_points)


@pytest.mark.parametrize(
    ("p", "flag"),
    [(None, None), (0.0, "too_hard"), (0.19, "too_hard"), (0.2, None), (0.8, None)]
    + [(0.81, "too_easy"), (1.0, "too_easy")],
)
def test_facility_flag(p, flag):
    assert facility_flag(p) == flag


@pytest.mark.parametrize(
    ("r", "band"),
    [
        (None, None),
        (0.45, "very_good"),
        (0.40, "very_good"),
        (0.39, "good"),
        (0.30, "good"),
        (0.29, "marginal"),
        (0.20, "marginal"),
        (0.19, "revise"),
        (0.0, "revise"),
        (-0.01, "check_key"),
    ],
)
def test_discrimination_band(r, band):
    assert discrimination_band(r) == band


def test_option_counts():
    counts = option_counts(["B", "A", None, "B", "Mù Cang Chải"], options=["A", "B", "C", "D"])
    assert list(counts.counts.items()) == [("A", 1), ("B", 2), ("C", 0), ("D", 0)] + [
        ("Mù Cang Chải", 1)
    ]
    assert (counts.n_answered, counts.n_missing) == (4, 1)
    assert counts.share("B") == pytest.approx(0.5)
    assert counts.share("C") == 0
    assert counts.share("Z") == 0


def test_option_counts_empty():
    counts = option_counts([None, None], options=["A"])
    assert counts.counts == {"A": 0}
    assert (counts.n_answered, counts.n_missing) == (0, 2)
    assert counts.share("A") is None
    assert option_counts([]).counts == {}


def test_alpha_if_deleted_of_the_whole_analysis_equals_the_direct_computation():
    import random

    from surveyapp.scoring.psychometrics import alpha_if_item_deleted, analyse_items

    rng = random.Random(7)
    scores = [[rng.choice((0, 0.5, 1)) for _ in range(6)] for _ in range(40)]
    analysis = analyse_items(scores, [1] * 6)
    for i, item in enumerate(analysis.items):
        assert item.alpha_if_deleted == pytest.approx(alpha_if_item_deleted(scores, i), abs=1e-12)


def _reference_items(scores, max_points):
    """Every per-item statistic from the one-function-per-statistic definitions."""
    totals = [math.fsum(row) for row in scores]
    groups = upper_lower_groups(totals)
    return [
        (
            facility([row[i] for row in scores], top),
            upper_lower_discrimination(scores, i, top, groups=groups),
            item_rest_correlation(scores, i),
            alpha_if_item_deleted(scores, i),
        )
        for i, top in enumerate(max_points)
    ]


@pytest.mark.parametrize("seed", range(12))
def test_whole_analysis_from_sums_equals_the_textbook_functions(seed):
    """analyse_items computes from per-item sums (scoring/columnar.py); each number must
    equal the textbook function's, on dichotomous and partial-credit data, with constant
    columns (undefined correlations) mixed in."""
    rng = random.Random(seed)
    k, n = rng.randint(2, 9), rng.randint(2, 60)
    max_points = [rng.choice((1, 1, 2, 3)) for _ in range(k)]
    partial = seed % 2 == 1
    scores = [
        [rng.choice(range(top + 1)) if partial else rng.choice((0, top)) for top in max_points]
        for _ in range(n)
    ]
    if seed % 3 == 0:
        for row in scores:
            row[0] = max_points[0]
    analysis = analyse_items(scores, max_points)
    for got, want in zip(analysis.items, _reference_items(scores, max_points), strict=True):
        assert got.facility == pytest.approx(want[0], abs=1e-12)
        assert got.discrimination == pytest.approx(want[1], abs=1e-12)
        if want[2] is None:
            assert got.item_rest is None
        else:
            assert got.item_rest == pytest.approx(want[2], abs=1e-9)
        if want[3] is None:
            assert got.alpha_if_deleted is None
        else:
            assert got.alpha_if_deleted == pytest.approx(want[3], abs=1e-9)
    alpha = cronbach_alpha(scores)
    assert (analysis.alpha is None) == (alpha is None)
    if alpha is not None:
        assert analysis.alpha == pytest.approx(alpha, abs=1e-9)
    if partial:
        assert analysis.kr20 is None or analysis.kr20 == pytest.approx(kr20(scores, max_points))
    elif alpha is not None:
        assert analysis.kr20 == pytest.approx(kr20(scores, max_points), abs=1e-9)
