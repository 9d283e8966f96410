"""Learning gains and competency results from the database, computed by hand.

Head = the province; commune a holds P1..P6, commune b holds P7 (percent = score * 10):
P1 40 -> 70, P2 60 -> 60, P3 100 -> 100 (pre = max), P4 50 -> -, P5 - -> 80,
P6 (pre excluded) - -> 90, P7 0 -> 50.
Pairs (40, 70), (60, 60), (100, 100), (0, 50): means 50 -> 70, raw gain 20,
Hake g = 20 / 50 = 0.4; c = 0.5, 0, dropped, 0.5 -> mean 1/3 with one dropped;
diffs 30, 0, 0, 50: mean 20, sample sd sqrt(1800 / 3), d_z = sqrt(2/3); 2 of 4 improved.
"""

import math
from decimal import Decimal

import pytest

from surveyapp.extensions import db
from surveyapp.scoring import marking, queries
from tests.journey.helpers import make_class, make_instrument

from .helpers import answer, person, scored, skill_test, world


@pytest.fixture
def w(f):
    w = world(f)
    a, b, v = w.class_a, w.class_b, w.version
    p = [person(a) for _ in range(6)] + [person(b, segment="official", name="Hoàng Văn Yên")]
    scored(a, v, p[0], "pre", 4)
    scored(a, v, p[0], "post", 2, minutes=-10)  # an earlier post-test: not the latest
    scored(a, v, p[0], "post", 7)
    scored(a, v, p[0], "post", 0, minutes=20, excluded=True)  # latest but excluded
    scored(a, v, p[1], "pre", 6)
    scored(a, v, p[1], "post", 3, minutes=5)  # tie on time: the higher id wins
    scored(a, v, p[1], "post", 6, minutes=5)
    scored(a, v, p[2], "pre", 10)
    scored(a, v, p[2], "post", 10)
    scored(a, v, p[3], "pre", 5)
    scored(a, v, p[4], "post", 8)
    scored(a, v, p[5], "pre", 2, excluded=True)
    scored(a, v, p[5], "post", 9)
    scored(b, v, p[6], "pre", 0, max_score=4)
    scored(b, v, p[6], "post", 2, max_score=4)
    # Not counted: another campaign, a survey, a response without a score, no person.
    other = make_class(f, f.campaign(w.province), w.a)
    scored(other, v, p[0], "pre", 10)
    survey = make_instrument("khao-sat", "pre_survey", [{"key": "x", "qtype": "short_text"}])
    scored(a, survey, p[3], "post", 1)
    scored(a, v, person(a), "pre", None)
    scored(a, v, None, "pre", 3)
    w.people = p
    return w


def test_gain_summary_of_the_province(w):
    g = queries.gain_summary(w.campaign, w.province)
    assert (g.n_pre, g.n_post, g.n_matched, g.n_dropped) == (5, 6, 4, 1)
    assert (g.mean_pre, g.mean_post, g.mean_raw_gain) == pytest.approx((50, 70, 20))
    assert g.hake_g == pytest.approx(0.4) and g.hake_band == "medium"
    assert g.mean_normalised_change == pytest.approx(1 / 3)
    assert g.d_z == pytest.approx(math.sqrt(2 / 3))
    assert g.share_improved == pytest.approx(0.5)


def test_gains_by_child_locality(w):
    rows = dict((loc.id, g) for loc, g in queries.gains_by_child(w.campaign, w.province))
    a, b = rows[w.a.id], rows[w.b.id]
    assert (a.n_pre, a.n_post, a.n_matched, a.n_dropped) == (4, 5, 3, 1)
    assert a.hake_g == pytest.approx((230 / 3 - 200 / 3) / (100 - 200 / 3))
    # A single respondent: means and g are defined, the effect size is not.
    assert (b.n_pre, b.n_post, b.n_matched) == (1, 1, 1)
    assert (b.mean_raw_gain, b.hake_g, b.mean_normalised_change) == pytest.approx((50, 0.5, 0.5))
    assert b.d_z is None
    assert queries.gain_summary(w.campaign, w.b) == b


def test_gains_by_segment_include_empty_groups(w):
    rows = dict(queries.gains_by_segment(w.campaign, w.province))
    assert list(rows) == ["official", "business", "resident", "student", "teacher", "other"]
    assert rows["official"].n_matched == 1 and rows["resident"].n_matched == 3
    empty = rows["teacher"]
    assert (empty.n_pre, empty.n_post, empty.n_matched) == (0, 0, 0)
    assert empty.mean_pre is None and empty.hake_g is None and empty.share_improved is None
    assert queries.gain_summary(w.campaign, w.province, segment="official") == rows["official"]


def test_class_filter_and_an_empty_campaign(w, f):
    g = queries.gain_summary(w.campaign, w.province, class_id=w.class_b.id)
    assert (g.n_pre, g.n_post, g.n_matched) == (1, 1, 1)
    none = queries.gain_summary(f.campaign(w.province), w.province)
    assert (none.n_pre, none.n_post, none.n_matched, none.hake_g, none.d_z) == (0, 0, 0, None, None)


def test_pre_at_the_maximum_only(w, f):
    campaign = f.campaign(w.province)
    cls = make_class(f, campaign, w.a)
    for score in (10, 10):
        learner = person(cls)
        scored(cls, w.version, learner, "pre", score)
        scored(cls, w.version, learner, "post", 10)
    g = queries.gain_summary(campaign, w.province)
    assert (g.n_matched, g.n_dropped, g.mean_normalised_change, g.hake_g) == (2, 2, None, None)
    assert g.mean_raw_gain == 0 and g.d_z is None and g.share_improved == 0


def test_competency_results(f):
    w = world(f)
    x, y = person(w.class_a), person(w.class_a)
    answer(w.class_a, w.version, x, "pre", {"q1": "b", "q2": "no"})
    post = answer(
        w.class_a,
        w.version,
        x,
        "post",
        {"q1": "a", "q2": "no", "q3": ["a", "c"], "essay": "Bài viết"},
    )
    marking.mark_answer(marking.find_answer(post.id, "essay"), Decimal(3), None)
    answer(w.class_a, w.version, y, "pre", {"q1": "a", "q3": ["a"]})
    answer(w.class_a, w.version, y, "post", {"q1": "b"}, excluded=True)
    db.session.flush()
    rows = {r.competency: r for r in queries.competency_results(w.campaign, w.province)}
    assert list(rows) == ["privacy_safety", "prompting"]
    prompting, privacy = rows["prompting"], rows["privacy_safety"]
    assert (prompting.n_pre, prompting.n_post) == (2, 1)
    assert (prompting.mean_pre, prompting.mean_post) == pytest.approx((0.125, 1.0))
    assert (privacy.mean_pre, privacy.mean_post) == pytest.approx((1 / 6, 1.0))
    assert privacy.change == pytest.approx(5 / 6)
    assert queries.competency_results(w.campaign, w.b) == []


def test_a_skill_test_without_tags_has_no_competency_rows(f):
    w = world(f)
    version = skill_test(
        items=[
            {
                "key": "q",
                "qtype": "yes_no",
                "answer_key": "yes",
                "points": Decimal(1),
                "label": {"vi": "Đúng không?"},
            }
        ]
    )
    answer(w.class_a, version, person(w.class_a), "pre", {"q": "yes"})
    assert queries.competency_results(w.campaign, w.province) == []
    assert queries.gain_summary(w.campaign, w.province).n_pre == 1


def test_current_geography_counts_older_units_at_the_newer_one(f):
    from datetime import date

    from surveyapp.indicators.kpi_types import CURRENT
    from surveyapp.localities.models import LocalityCrosswalk

    w = world(f)
    old_province = f.locality("Tỉnh Yên Bái", scheme="2024", kind="province")
    old_commune = f.locality("Xã Mù Cang Chải cũ", parent=old_province)
    db.session.add(
        LocalityCrosswalk(old_id=old_commune.id, new_id=w.a.id, effective_on=date(2025, 7, 1))
    )
    old_class = make_class(f, w.campaign, old_commune)
    learner = person(old_class)
    scored(old_class, w.version, learner, "pre", 2)
    scored(old_class, w.version, learner, "post", 6)
    db.session.flush()
    assert queries.gain_summary(w.campaign, w.province).n_matched == 0
    now = queries.gain_summary(w.campaign, w.province, geography=CURRENT)
    assert (now.n_matched, now.mean_raw_gain) == (1, pytest.approx(40))
    rows = dict(
        (loc.id, g) for loc, g in queries.gains_by_child(w.campaign, w.province, geography=CURRENT)
    )
    assert (rows[w.a.id].n_matched, rows[w.b.id].n_matched) == (1, 0)
