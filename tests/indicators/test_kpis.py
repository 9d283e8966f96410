"""kpi_table over a three-level 2024 tree (province / district / commune), hand-computed.

The scenario (classes end on 1 March 2026; follow-ups are dated in days after that):

    Tỉnh Yên Bái (2024)       class K0 at the province itself, 1 member, 1 material
      Huyện Văn Yên  (D1)     1 material
        Xã Mậu A     (C11)    class K11, 2 members
        Xã An Thịnh  (C12)    class K12 (segment official)
      Huyện Mù Cang Chải (D2)
        Xã Kim Nọi   (C21)    class K21, 1 member (segment business)

    a1 K11 achieved; a2 K11 partly (checks outputs only sometimes); a3 K12 not yet (post 50,
    segment official); a4 K12 no follow-up though the post-test passed; a5 K12 follow-up
    10 days after (too early); a6 enrolled in K21 first, then K11: home K21, achieved;
    a7 K0 achieved (unplaced); a8 K21 only an excluded follow-up; a9 K21 achieved at day 31,
    later follow-up (not yet) excluded.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from surveyapp.indicators.kpi_types import KpiFilters
from surveyapp.indicators.kpis import kpi_table

from ..campaigns.factories import CampaignFactories
from .kpi_builders import Evidence, KpiData, follow_up_after
from .test_sql_rule import GOOD

END = date(2026, 3, 1)


class Scenario:
    def __init__(self, f):
        cf = CampaignFactories()
        self.province = f.locality("Tỉnh Yên Bái", scheme="2024", kind="province", code="15")
        self.d1 = f.locality("Huyện Văn Yên", parent=self.province, kind="district", code="138")
        self.d2 = f.locality("Huyện Mù Cang Chải", parent=self.province, kind="district")
        self.c11 = f.locality("Xã Mậu A", parent=self.d1)
        self.c12 = f.locality("Xã An Thịnh", parent=self.d1)
        self.c21 = f.locality("Xã Kim Nọi", parent=self.d2)
        self.campaign = c = f.campaign(self.province)
        dates = dict(start_date=END, end_date=END)
        self.k0 = f.training_class(c, self.province, **dates)
        self.k11 = f.training_class(c, self.c11, **dates)
        self.k12 = f.training_class(c, self.c12, segment="official", **dates)
        self.k21 = f.training_class(c, self.c21, **dates)
        cf.member(c, self.province)
        cf.member(c, self.c11)
        cf.member(c, self.c11)
        cf.member(c, self.c21, segment="business")
        cf.material(c, self.d1)
        cf.material(c, self.province)
        cf.target(c, self.province, "learners", 10)
        cf.target(c, self.province, "effective_appliers", 4)
        cf.target(c, self.province, "classes", 5)
        cf.target(c, self.d1, "learners", 6)
        cf.target(c, self.d1, "effective_appliers", 0)
        self.data = data = KpiData()
        good = Evidence(**GOOD)

        def person(cls, evidence=None, days=30, **kwargs):
            p = data.person(cls, **kwargs)
            if evidence is not None:
                on = follow_up_after(cls, days) if days is not None else None
                data.evidence(p, cls, replace(evidence, follow_up_on=on))
            return p

        self.a1 = person(self.k11, good)
        self.a2 = person(self.k11, replace(good, verifies=3))
        self.a3 = person(self.k12, replace(good, score=Decimal(50)), segment="official")
        self.a4 = person(self.k12, good, days=None)
        self.a5 = person(self.k12, good, days=10)
        self.a6 = person(self.k21)
        data.enrol(self.a6, self.k11)
        data.evidence(self.a6, self.k11, replace(good, follow_up_on=follow_up_after(self.k11, 40)))
        self.a7 = person(self.k0, good)
        self.a8 = person(self.k21, days=None)
        only = replace(good, score=None, follow_up_on=date(2026, 4, 5))
        data.evidence(self.a8, self.k21, only, excluded=True)
        self.a9 = person(self.k21, good, days=31)
        late = replace(good, frequency="never", follow_up_on=follow_up_after(self.k21, 40))
        data.evidence(self.a9, self.k21, replace(late, score=None), excluded=True)


@pytest.fixture
def s(f):
    return Scenario(f)


def figures(row):
    stats = row.follow_up
    return {
        **{metric: kpi.actual for metric, kpi in row.kpis.items()},
        **{k: getattr(stats, k) for k in ("respondents", "too_early", "partly", "not_yet")},
        "excluded": stats.excluded_responses,
    }


def test_rollup_over_three_levels(s):
    table = kpi_table(s.campaign, s.province)
    assert [row.locality for row in table.children] == sorted(
        [s.d1, s.d2], key=lambda loc: loc.code
    )
    d1, d2 = table.children if table.children[0].locality == s.d1 else table.children[::-1]
    assert figures(table.head) == {
        "core_members": 4, "classes": 4, "learners": 9, "materials": 2,
        "effective_appliers": 4, "respondents": 6, "too_early": 1, "partly": 1, "not_yet": 1,
        "excluded": 2,
    }  # fmt: skip
    assert figures(d1) == {
        "core_members": 2, "classes": 2, "learners": 5, "materials": 1,
        "effective_appliers": 1, "respondents": 3, "too_early": 1, "partly": 1, "not_yet": 1,
        "excluded": 0,
    }  # fmt: skip
    assert figures(d2) == {
        "core_members": 1, "classes": 1, "learners": 3, "materials": 0,
        "effective_appliers": 2, "respondents": 2, "too_early": 0, "partly": 0, "not_yet": 0,
        "excluded": 2,
    }  # fmt: skip
    assert table.unplaced == {
        "core_members": 1,
        "classes": 1,
        "learners": 1,
        "materials": 1,
        "effective_appliers": 1,
    }
    for metric, kpi in table.head.kpis.items():
        assert (
            kpi.actual == sum(r.kpi(metric).actual for r in table.children) + table.unplaced[metric]
        )
    assert table.head.follow_up.response_rate == pytest.approx(600 / 9)
    assert table.head.follow_up.achieved_rate == pytest.approx(400 / 6)
    assert table.rule.version == 1 and table.campaign_id == s.campaign.id


def test_plan_and_percent_of_plan(s):
    table = kpi_table(s.campaign, s.province)
    head = table.head
    assert head.kpi("learners").plan == 10 and head.kpi("learners").percent_of_plan == 90
    assert head.kpi("effective_appliers").percent_of_plan == 100
    assert head.kpi("classes").plan == 5 and head.kpi("classes").below_plan
    assert head.kpi("materials").plan is None and head.kpi("materials").percent_of_plan is None
    d1, d2 = sorted(table.children, key=lambda r: r.locality.id)
    assert d1.kpi("effective_appliers").plan == 0
    assert d1.kpi("effective_appliers").percent_of_plan is None
    assert d1.kpi("learners").percent_of_plan == pytest.approx(500 / 6)
    assert all(k.plan is None for k in d2.kpis.values()) and not d2.below_plan
    assert head.below_plan and d1.below_plan


def test_drill_down_to_a_district(s):
    table = kpi_table(s.campaign, s.d1)
    assert figures(table.head)["learners"] == 5
    by_place = {row.locality.id: figures(row) for row in table.children}
    assert by_place[s.c11.id]["learners"] == 2  # a6 counts at home (K21), not in C11
    assert by_place[s.c11.id]["effective_appliers"] == 1
    assert by_place[s.c12.id]["learners"] == 3
    assert by_place[s.c12.id]["too_early"] == 1
    assert table.unplaced["materials"] == 1  # registered at the district itself
    leaf = kpi_table(s.campaign, s.c21)
    assert leaf.children == [] and figures(leaf.head)["effective_appliers"] == 2
    assert leaf.unplaced["learners"] == 3


def test_a_person_in_two_classes_counts_once_at_the_earliest(s):
    d1 = kpi_table(s.campaign, s.d1).head
    d2 = kpi_table(s.campaign, s.d2).head
    assert (d1.kpi("learners").actual, d2.kpi("learners").actual) == (5, 3)
    assert kpi_table(s.campaign, s.province).head.kpi("learners").actual == 9


def test_excluded_responses_leave_every_figure(s):
    """a8's only follow-up is excluded: a learner who has not responded. Excluding a1's
    follow-up too moves a1 from achieved to not assessable and adds to the count."""
    from surveyapp.extensions import db
    from surveyapp.responses.models import Response

    db.session.execute(
        Response.__table__.update()
        .where(Response.participant_id == s.a1.id, Response.moment == "follow_up")
        .values(excluded=True)
    )
    table = kpi_table(s.campaign, s.province)
    d1 = next(r for r in table.children if r.locality == s.d1)
    assert figures(d1)["effective_appliers"] == 0
    assert figures(d1)["respondents"] == 2 and figures(d1)["learners"] == 5
    assert d1.follow_up.excluded_responses == 1
    assert table.head.follow_up.excluded_responses == 3
    assert table.head.kpi("effective_appliers").actual == 3


def test_segment_filter(s):
    table = kpi_table(s.campaign, s.province, KpiFilters(segment="official"))
    head = figures(table.head)
    assert head["learners"] == 1 and head["not_yet"] == 1 and head["effective_appliers"] == 0
    assert head["classes"] == 1  # K12 is the only official class
    assert head["core_members"] == 3  # the business member is left out
    assert head["materials"] == 2  # materials ignore the segment
    assert head["excluded"] == 0
    business = kpi_table(s.campaign, s.province, KpiFilters(segment="business"))
    assert figures(business.head)["core_members"] == 1
    assert figures(business.head)["learners"] == 0


def test_date_filters(s, f):
    later = f.training_class(
        s.campaign, s.c11, start_date=date(2026, 5, 4), end_date=date(2026, 5, 5)
    )
    newcomer = s.data.person(later, enrolled_on=date(2026, 5, 4))
    s.data.evidence(newcomer, later, Evidence(**GOOD, follow_up_on=date(2026, 6, 10)))
    may = KpiFilters(date_from=date(2026, 5, 1), date_to=date(2026, 5, 31))
    head = figures(kpi_table(s.campaign, s.province, may).head)
    assert head["classes"] == 1 and head["learners"] == 1
    assert head["respondents"] == 0  # the newcomer's follow-up came in June
    assert head["core_members"] == 0 and head["materials"] == 0
    spring = KpiFilters(date_from=date(2026, 3, 31), date_to=date(2026, 4, 5))
    head = figures(kpi_table(s.campaign, s.province, spring).head)
    # Follow-ups on 31 March (a1, a2, a3, a7; day 30) and 1 April (a9, day 31) count;
    # a6's came on 10 April. Nobody enrolled then; a8's excluded one is counted as excluded.
    assert head["learners"] == 0 and head["respondents"] == 5
    assert head["effective_appliers"] == 3 and head["excluded"] == 1
    june = figures(kpi_table(s.campaign, s.province, KpiFilters(date_from=date(2026, 6, 1))).head)
    assert june["effective_appliers"] == 1 and june["learners"] == 0
