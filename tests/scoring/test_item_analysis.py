"""Item analysis from stored answers, checked against values computed by hand.

Counted responses in commune a (rows in id order), items i1 (key a), i2 (key yes), i3 (key b):
R1 1 1 1 · R2 1 1 0 · R3 1 0 1 · R4 0 0 0 (i3 unanswered). Totals 3 2 2 0.
Facility .75 .5 .5; upper/lower groups of one (R1, R4) so D = 1 for every item;
item-rest r: i1 1/sqrt(1.5), i2 and i3 0.5/sqrt(2.75); item variances .1875 .25 .25,
total variance 1.1875, alpha = KR-20 = 1.5 * (1 - .6875/1.1875) = 12/19;
alpha without i1 = 0; "prompting" (i1, i2): 2 * (1 - .4375/.6875) = 8/11.
"""

from decimal import Decimal

import pytest

from surveyapp.classes.models import TrainingClass
from surveyapp.classes.services import visible_classes
from surveyapp.extensions import db
from surveyapp.scoring import psychometrics as psy
from surveyapp.scoring.item_analysis import item_flags, version_item_analysis
from surveyapp.security import compute_scope
from tests.journey.helpers import choices, vi

from .helpers import answer, person, skill_test, world

R_I1 = 1 / 1.5**0.5
R_I2 = 0.5 / 2.75**0.5


def _items():
    return [
        {
            "key": "i1",
            "qtype": "single_choice",
            "choices": choices("a", "b", "c"),
            "answer_key": "a",
            "points": Decimal(1),
            "competency": "prompting",
            "label": vi("Một"),
        },
        {
            "key": "i2",
            "qtype": "yes_no",
            "answer_key": "yes",
            "points": Decimal(1),
            "competency": "prompting",
            "label": vi("Hai"),
        },
        {
            "key": "i3",
            "qtype": "single_choice",
            "choices": choices("a", "b", "c"),
            "answer_key": "b",
            "points": Decimal(1),
            "competency": "privacy_safety",
            "label": vi("Ba"),
        },
        {"key": "essay", "qtype": "long_text", "points": Decimal(2), "label": vi("Bốn")},
        {"key": "intro", "qtype": "note", "label": vi("Giới thiệu")},
    ]


@pytest.fixture
def w(f):
    w = world(f)
    w.version = skill_test("phan-tich", items=_items())
    a, b, v = w.class_a, w.class_b, w.version
    for answers in (
        {"i1": "a", "i2": "yes", "i3": "b"},
        {"i1": "a", "i2": "yes", "i3": "c"},
        {"i1": "a", "i2": "no", "i3": "b", "essay": "Văn Yên"},
        {"i1": "b", "i2": "no"},
    ):
        answer(a, v, person(a), "pre", answers)
    answer(a, v, person(a), "post", {"i1": "c"}, excluded=True)
    answer(b, v, person(b), "post", {"i1": "c", "i2": "yes", "i3": "a"})
    return w


def test_hand_computed_statistics(w):
    report = version_item_analysis(w.version, head=w.a)
    assert (report.n, report.n_excluded, report.hand_marked) == (4, 1, 1)
    rows = {row.item.key: row for row in report.items}
    assert list(rows) == ["i1", "i2", "i3"]
    assert [rows[k].stats.facility for k in rows] == pytest.approx([0.75, 0.5, 0.5])
    assert [rows[k].stats.discrimination for k in rows] == pytest.approx([1, 1, 1])
    assert [rows[k].stats.item_rest for k in rows] == pytest.approx([R_I1, R_I2, R_I2])
    assert rows["i1"].stats.alpha_if_deleted == pytest.approx(0)
    assert report.overall.alpha == pytest.approx(12 / 19)
    assert report.overall.kr20 == pytest.approx(12 / 19)
    tags = {r.competency: r for r in report.competencies}
    assert tags["prompting"].alpha == pytest.approx(8 / 11)
    assert tags["privacy_safety"].n_items == 1 and tags["privacy_safety"].alpha is None


def test_option_counts_mark_the_key(w):
    rows = {row.item.key: row for row in version_item_analysis(w.version, head=w.a).items}
    i1, i3 = rows["i1"], rows["i3"]
    assert i1.options.counts == {"a": 3, "b": 1, "c": 0} and i1.key_values == {"a"}
    assert (i3.options.counts, i3.options.n_missing) == ({"a": 0, "b": 2, "c": 1}, 1)
    assert rows["i2"].options.counts == {"yes": 2, "no": 2} and rows["i2"].key_values == {"yes"}


def test_filters_scope_classes_and_moment(w, f):
    everything = version_item_analysis(w.version)
    assert (everything.n, everything.n_excluded) == (5, 1)
    assert version_item_analysis(w.version, campaign=w.campaign).n == 5
    assert version_item_analysis(w.version, campaign=f.campaign(w.province)).n == 0
    assert version_item_analysis(w.version, scope=compute_scope(f.user(locality=w.b))).n == 1
    taught = visible_classes(w.trainer_b, compute_scope(w.trainer_b))
    class_ids = taught.with_only_columns(TrainingClass.id)
    assert version_item_analysis(w.version, class_ids=class_ids).n == 1
    assert version_item_analysis(w.version, moment="post").n == 1


def test_no_respondent_and_a_single_respondent(w, f):
    empty = version_item_analysis(w.version, campaign=f.campaign(w.province))
    assert empty.n == 0 and empty.overall.alpha is None
    assert all(row.stats.facility is None and not row.flags for row in empty.items)
    single = version_item_analysis(w.version, head=w.b)
    assert single.n == 1 and single.overall.alpha is None
    assert [row.stats.facility for row in single.items] == [0, 1, 0]
    assert [row.flags for row in single.items] == [("too_hard",), ("too_easy",), ("too_hard",)]
    assert all(row.stats.item_rest is None for row in single.items)


def test_a_version_without_scored_items(f):
    from tests.journey.helpers import make_instrument

    survey = make_instrument("khao-sat-vy", "pre_survey", [{"key": "x", "qtype": "short_text"}])
    report = version_item_analysis(survey)
    assert report.items == [] and report.overall is None and report.n == 0


def _stats(r, p=0.5):
    return psy.ItemStats(0, p, psy.facility_flag(p), None, r, psy.discrimination_band(r), None)


def test_flags():
    assert item_flags(_stats(-0.1)) == ("negative_discrimination",)
    assert item_flags(_stats(0.19)) == ("low_discrimination",)
    assert item_flags(_stats(0.2)) == ()
    assert item_flags(_stats(None, 0.81)) == ("too_easy",)
    assert item_flags(_stats(0.5, 0.19)) == ("too_hard",)


def _url(w, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    url = f"/instruments/{w.version.instrument_id}/versions/1/analysis"
    return f"{url}?{query}" if query else url


def test_the_page_for_each_role(w, f, login):
    admin = login(f.user(role="admin")).get(_url(w, locality_id=w.a.id))
    assert admin.status_code == 200
    html = admin.get_data(as_text=True)
    assert "0.63" in html and "Share correct" in html and "KR-20" in html
    assert "Correlation between the question and the rest of the test" in html
    assert "Văn Yên" in html or "Mù Cang Chải" in html

    def analysed(user, **args):
        page = login(user).get(_url(w, **args))
        assert page.status_code == 200, page.status_code
        text = page.get_data(as_text=True)
        return text.split("Responses analysed</dt><dd>")[1].split("<")[0]

    assert analysed(w.trainer_b) == "1"
    assert analysed(f.user(role="evaluator", locality=w.a)) == "4"
    coordinator = f.user(role="coordinator", locality=w.province)
    assert analysed(coordinator, campaign_id=w.campaign.id) == "5"
    assert analysed(f.user(role="coordinator", locality=f.tree()[0])) == "0"  # national test


def test_page_filters_outside_the_scope_are_404(w, f, login):
    client = login(f.user(role="evaluator", locality=w.a))
    assert client.get(_url(w, locality_id=w.b.id)).status_code == 404
    other = f.campaign(f.tree()[0])
    assert client.get(_url(w, campaign_id=other.id)).status_code == 404
    assert client.get(_url(w, moment="later")).status_code == 400
    assert client.get(_url(w, campaign_id="x")).status_code == 200  # not a number: ignored
    assert login(f.user(role="judge", locality=w.a)).get(_url(w)).status_code == 403
    w.version.instrument.locality_id = w.b.id
    db.session.flush()
    assert client.get(_url(w)).status_code == 404
