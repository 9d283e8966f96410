"""Learning gains: hand-computed cases for Hake's g, Marx-Cummings c and d_z."""

import math

import pytest

from surveyapp.scoring.gains import (
    GainSummary,
    hake_band,
    hake_gain,
    learning_gain,
    match_pairs,
    normalised_change,
    paired_effect_size,
)


def test_learning_gain_hand_computed():
    summary = learning_gain([(40, 70), (60, 80), (50, 50), (100, 90)])
    assert summary.n_matched == 4
    assert summary.n_dropped == 0
    # mean_pre = 250 / 4 = 62.5 ; mean_post = 290 / 4 = 72.5 ; raw gain = (30+20+0-10)/4 = 10
    assert summary.mean_pre == pytest.approx(62.5)
    assert summary.mean_post == pytest.approx(72.5)
    assert summary.mean_raw_gain == pytest.approx(10)
    # g of averages = 10 / (100 - 62.5) = 0.2667
    assert summary.hake_g == pytest.approx(10 / 37.5)
    # c = 30/60 = 0.5 ; 20/40 = 0.5 ; 0 ; (90-100)/100 = -0.1  -> mean 0.9 / 4 = 0.225
    assert summary.mean_normalised_change == pytest.approx(0.225)
    # diffs 30, 20, 0, -10: mean 10, sample var (400+100+100+400)/3 = 333.3 -> d_z = sqrt(0.3)
    assert summary.d_z == pytest.approx(math.sqrt(0.3))
    assert summary.share_improved == pytest.approx(0.5)


def test_pairs_at_floor_and_ceiling_are_dropped_and_counted():
    summary = learning_gain([(100, 100), (0, 0), (20, 60)])
    assert summary.n_matched == 3
    assert summary.n_dropped == 2
    # only (20, 60) is kept: c = 40 / 80
    assert summary.mean_normalised_change == pytest.approx(0.5)
    # mean_pre 40, mean_post 160/3: g = (40/3) / 60
    assert summary.hake_g == pytest.approx((40 / 3) / 60)
    # diffs 0, 0, 40: mean 40/3, sample var 9600/18 -> d_z = (40/3) / (40/sqrt 3) = 1/sqrt 3
    assert summary.d_z == pytest.approx(1 / math.sqrt(3))
    assert summary.share_improved == pytest.approx(1 / 3)


def test_pre_at_max_leaves_g_undefined_but_c_defined():
    summary = learning_gain([(100, 80), (100, 100)])
    assert summary.mean_pre == 100
    assert summary.hake_g is None
    # (80 - 100) / 100 = -0.2 ; (100, 100) dropped
    assert summary.mean_normalised_change == pytest.approx(-0.2)
    assert summary.n_dropped == 1
    assert summary.share_improved == 0


def test_empty_group_gives_no_statistics():
    assert learning_gain([]) == GainSummary(0, 0, None, None, None, None, None, None, None)


def test_single_pair_has_no_effect_size():
    summary = learning_gain([(50, 75)])
    assert summary.d_z is None
    assert summary.hake_g == pytest.approx(0.5)  # 25 / 50
    assert summary.mean_normalised_change == pytest.approx(0.5)


def test_only_dropped_pairs():
    summary = learning_gain([(100, 100)])
    assert summary.n_dropped == 1
    assert summary.mean_normalised_change is None
    assert summary.hake_g is None


def test_constant_difference_has_no_effect_size():
    summary = learning_gain([(10, 20), (30, 40)])
    assert summary.d_z is None  # sd of (10, 10) is 0
    assert summary.hake_g == pytest.approx(10 / 80)


def test_other_max_score():
    summary = learning_gain([(5, 15)], max_score=20)
    assert summary.hake_g == pytest.approx(10 / 15)
    assert summary.mean_normalised_change == pytest.approx(10 / 15)


@pytest.mark.parametrize(
    ("pairs", "max_score"), [([(-1, 50)], 100), ([(50, 101)], 100), ([(0, 0)], 0)]
)
def test_out_of_range_scores_are_rejected(pairs, max_score):
    with pytest.raises(ValueError):
        learning_gain(pairs, max_score)


@pytest.mark.parametrize(
    ("pre", "post", "expected"),
    [
        (40, 70, 0.5),  # 30 / 60
        (60, 30, -0.5),  # -30 / 60
        (100, 50, -0.5),  # -50 / 100: defined although pre = max
        (0, 25, 0.25),  # 25 / 100
        (50, 50, 0.0),
        (100, 100, None),
        (0, 0, None),
    ],
)
def test_normalised_change(pre, post, expected):
    assert normalised_change(pre, post) == (None if expected is None else pytest.approx(expected))


def test_hake_gain_undefined_at_max():
    assert hake_gain(100, 100) is None
    assert hake_gain(20, 60) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("g", "band"),
    [
        (None, None),
        (-0.2, "low"),
        (0.0, "low"),
        (0.29, "low"),
        (0.3, "medium"),
        (0.69, "medium"),
        (0.7, "high"),
        (1.0, "high"),
    ],
)
def test_hake_band(g, band):
    assert hake_band(g) == band


@pytest.mark.parametrize(("diffs", "expected"), [([], None), ([5], None), ([3, 3, 3], None)])
def test_paired_effect_size_edges(diffs, expected):
    assert paired_effect_size(diffs) is expected


def test_match_pairs_keeps_complete_pairs_in_pre_order():
    pre = {"a": 40, "Văn Yên": 30, "c": None, "b": 50}
    post = {"b": 70, "Văn Yên": 60, "d": 80}
    matched = match_pairs(pre, post)
    assert matched.pairs == [(30, 60), (50, 70)]
    assert (matched.n_pre, matched.n_post, matched.n_matched) == (3, 3, 2)
    assert learning_gain(matched.pairs).n_matched == 2


def test_match_pairs_empty():
    matched = match_pairs({}, {"x": 10})
    assert matched.pairs == []
    assert (matched.n_pre, matched.n_post, matched.n_matched) == (0, 1, 0)
