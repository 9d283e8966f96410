"""The class report: its numbers equal the services', and only the class's people read it.

A hand-built class in Xã Mù Cang Chải: p1 improves and achieves, p2 improves and has not
yet, p3 answered the follow-up too early, p4's pre-test was excluded, p5's home class is in
Xã Văn Yên (counted there for the follow-up, here for the tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.indicators.people import person_outcomes
from surveyapp.reports import class_report
from surveyapp.scoring.queries import competency_results, gain_summary
from tests.dashboard.helpers import Cells
from tests.indicators.kpi_builders import Evidence, KpiData

TITLE = "Lớp AI cho người dân Mù Cang Chải – Văn Yên"
GOOD = dict(
    frequency="daily",
    purposes=["writing"],
    time_saved="h1_3",
    verifies=5,
    personal=1,
    example="Soạn công văn nhanh hơn",
    review=("accepted", True),
)


@dataclass
class ClassWorld:
    province: object
    a: object
    b: object
    campaign: object
    cls: object
    other: object
    trainer: object


def _pre(data, person, cls, score, *, excluded=False):
    data.response(person, cls, data.skill_version, "pre", on=cls.start_date, hour=8,
                  score=Decimal(score), max_score=Decimal(100), excluded=excluded)  # fmt: skip


def _satisfaction(data, version, person, cls, point, *, excluded=False):
    response = data.response(person, cls, version, "post", on=cls.end_date, excluded=excluded)
    data.answers(response, {"satisfaction": (str(point), point, None)})


def build_world(f) -> ClassWorld:
    province, a, b = f.tree()
    campaign = f.campaign(province, name="Bình dân học AI 2026")
    trainer = f.user("trainer", a)
    cls = f.training_class(campaign, a, title=TITLE, start_date=date(2026, 3, 2),
                           end_date=date(2026, 3, 3))  # fmt: skip
    cls.trainers = [trainer]
    other = f.training_class(campaign, b, start_date=date(2026, 2, 2), end_date=date(2026, 2, 3))
    data = KpiData()
    survey = data._version("post_survey", [("satisfaction", "likert", "", 0)])
    data.items[survey.id] = {item.key: item for item in survey.items}
    later = cls.end_date + timedelta(days=40)
    p1, p2, p3, p4 = (data.person(cls, name=f"Lò Văn Páo {n}") for n in range(1, 5))
    _pre(data, p1, cls, 40)
    data.evidence(p1, cls, Evidence(follow_up_on=later, score=Decimal(90), **GOOD))
    _pre(data, p2, cls, 60)
    data.evidence(p2, cls, Evidence(follow_up_on=later, score=Decimal(70),
                                    **{**GOOD, "frequency": "never"}))  # fmt: skip
    _pre(data, p3, cls, 50)
    data.evidence(p3, cls, Evidence(follow_up_on=cls.end_date + timedelta(days=10), **GOOD))
    _pre(data, p4, cls, 20, excluded=True)
    p5 = data.person(other)
    data.enrol(p5, cls)
    data.post(p5, cls, Evidence(score=Decimal(80)))
    _satisfaction(data, survey, p1, cls, 5)
    _satisfaction(data, survey, p2, cls, 4)
    _satisfaction(data, survey, p3, cls, 1, excluded=True)
    db.session.flush()
    return ClassWorld(province, a, b, campaign, cls, other, trainer)


@pytest.fixture
def cw(f) -> ClassWorld:
    return build_world(f)


def test_build_equals_the_services(cw):
    report = class_report.build(cw.cls, today=date(2026, 5, 1))
    assert report.enrolled == 5
    expected_gains = gain_summary(cw.campaign, cw.a, class_id=cw.cls.id)
    assert report.gains == expected_gains
    assert (report.gains.n_pre, report.gains.n_post, report.gains.n_matched) == (3, 3, 2)
    assert report.gains.mean_pre == pytest.approx(50.0)
    assert report.gains.mean_post == pytest.approx(80.0)
    # Only class cls has tests in commune A: the campaign service for A gives the same.
    assert report.competencies == competency_results(cw.campaign, cw.a)
    assert report.competencies
    rows = db.session.execute(person_outcomes(cw.campaign, cw.a)).mappings().all()
    mine = [row for row in rows if row["class_id"] == cw.cls.id]
    assert report.outcomes.learners == len(mine) == 4
    counted = [row["outcome"] for row in mine]
    assert report.outcomes.achieved == counted.count("achieved") == 1
    assert report.outcomes.not_yet == counted.count("not_yet") == 1
    assert report.outcomes.partly == counted.count("partly") == 0
    assert report.outcomes.respondents == 2
    assert report.outcomes.too_early == 1
    assert report.outcomes.achieved_rate == pytest.approx(50.0)
    assert report.satisfaction == pytest.approx(4.5)
    assert report.satisfaction_n == 2


def test_moment_counts(cw):
    counts = {
        m.moment: (m.counted, m.excluded, m.people) for m in class_report.moment_counts(cw.cls)
    }
    assert counts == {"pre": (3, 1, 3), "post": (5, 1, 3), "follow_up": (3, 0, 3)}


def test_empty_class(f):
    province, a, _b = f.tree()
    cls = f.training_class(f.campaign(province), a)
    report = class_report.build(cls, today=date(2026, 5, 1))
    assert report.enrolled == 0
    assert report.gains.n_matched == 0 and report.gains.mean_pre is None
    assert report.competencies == []
    assert report.outcomes == class_report.ClassOutcomes()
    assert (report.satisfaction, report.satisfaction_n) == (None, 0)


def test_page_shows_the_numbers(cw, as_user):
    page = as_user(cw.trainer).get(f"/classes/{cw.cls.id}/report")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    cells = Cells(html)
    assert cells.figure("title") == TITLE
    assert cells.figure("enrolled") == "5"
    assert (cells.figure("n_pre"), cells.figure("n_post"), cells.figure("n_matched")) == (
        "3",
        "3",
        "2",
    )
    assert (cells.figure("mean_pre"), cells.figure("mean_post")) == ("50.0", "80.0")
    g = gain_summary(cw.campaign, cw.a, class_id=cw.cls.id)
    assert cells.figure("hake_g") == f"{g.hake_g:.2f}"
    assert cells.figure("share_improved") == "100%"
    assert cells.figure("pre-counted") == "3" and cells.figure("pre-excluded") == "1"
    assert cells.figure("post-counted") == "5"
    for name, value in dict(learners=4, respondents=2, too_early=1, achieved=1, partly=0,
                            not_yet=1).items():  # fmt: skip
        assert cells.figure(name) == str(value), name
    assert cells.figure("achieved_rate") == "50%"
    assert cells.figure("satisfaction") == "4.5"
    assert f"/classes/{cw.cls.id}/report.pdf" in html


def test_class_page_links_to_the_report(cw, as_user):
    html = as_user(cw.trainer).get(f"/classes/{cw.cls.id}").get_data(as_text=True)
    assert f'href="/classes/{cw.cls.id}/report"' in html


def test_empty_class_page(f, as_user):
    province, a, _b = f.tree()
    cls = f.training_class(f.campaign(province), a)
    page = as_user(f.user("admin")).get(f"/classes/{cls.id}/report")
    assert page.status_code == 200
    assert Cells(page.get_data(as_text=True)).figure("mean_pre") == "–"


@pytest.mark.parametrize("suffix", ["", ".pdf"])
def test_access(cw, f, as_user, suffix):
    url = f"/classes/{cw.cls.id}/report{suffix}"
    anonymous = as_user(None).get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert as_user(f.user("judge", cw.a)).get(url).status_code == 403
    hidden = [
        f.user("trainer", cw.a),  # not teaching this class
        f.user("coordinator", cw.b),  # sibling commune
        f.user("evaluator", cw.b),
        f.user("trainer", cw.b),
    ]
    for user in hidden:
        assert as_user(user).get(url).status_code == 404, user.role
    missing = db.session.scalar(sa.select(sa.func.max(TrainingClass.id)))
    assert as_user(f.user("admin")).get(f"/classes/{missing + 1}/report").status_code == 404


def test_access_allowed(cw, f, as_user):
    url = f"/classes/{cw.cls.id}/report"
    allowed = [
        cw.trainer,
        f.user("coordinator", cw.a),
        f.user("coordinator", cw.province),
        f.user("evaluator", cw.a),
        f.user("admin"),
    ]
    for user in allowed:
        assert as_user(user).get(url).status_code == 200, user.role
