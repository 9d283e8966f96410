"""Segment coverage, monthly trend, frequency rows, a superseded tree (geography CURRENT),
an empty campaign and the fixed number of SQL statements per call."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.indicators.kpi_types import COLLECTED, CURRENT, KpiFilters
from surveyapp.indicators.kpis import (
    frequency_by_segment,
    kpi_table,
    monthly_trend,
    segment_coverage,
)
from surveyapp.indicators.people import person_outcomes
from surveyapp.localities.models import LocalityCrosswalk

from ..campaigns.factories import CampaignFactories
from .kpi_builders import Evidence, KpiData, follow_up_after
from .test_kpis import Scenario
from .test_sql_rule import GOOD


@pytest.fixture
def s(f):
    return Scenario(f)


def test_segment_coverage_uses_head_population_or_the_childrens_sum(s):
    cf = CampaignFactories()
    cf.population(s.campaign, s.province, "official", 10, "50")
    cf.population(s.campaign, s.d1, "official", 999, "10")  # ignored: the head has its own
    cf.population(s.campaign, s.d1, "resident", 20, "50")
    cf.population(s.campaign, s.d2, "resident", 30, "100")
    rows = {row.segment: row for row in segment_coverage(s.campaign, s.province)}
    assert list(rows) == ["official", "business", "resident", "student", "teacher", "other"]
    official, resident, business = rows["official"], rows["resident"], rows["business"]
    assert (official.population, official.target_rate) == (10, Decimal("50"))
    assert (official.learners, official.achieved) == (1, 0)
    assert official.coverage_rate == 0 and official.below_target
    assert (resident.population, resident.target_rate) == (50, Decimal("80"))
    assert (resident.learners, resident.achieved) == (8, 4)
    assert resident.coverage_rate == 8 and resident.trained_rate == 16
    assert business.population is None and business.coverage_rate is None
    assert (business.learners, business.achieved) == (0, 0) and not business.below_target
    only = segment_coverage(s.campaign, s.d2, KpiFilters(segment="resident"))
    assert [(r.segment, r.population, r.learners, r.achieved) for r in only] == [
        ("resident", 30, 3, 2)
    ]


def test_monthly_trend_fills_months_and_keeps_running_totals(s, f):
    later = f.training_class(
        s.campaign, s.c12, start_date=date(2026, 6, 2), end_date=date(2026, 6, 2)
    )
    newcomer = s.data.person(later, enrolled_on=date(2026, 6, 2))
    s.data.evidence(newcomer, later, Evidence(**GOOD, follow_up_on=date(2026, 8, 15)))
    points = monthly_trend(s.campaign, s.province)
    assert [p.month for p in points] == [date(2026, m, 1) for m in range(3, 9)]
    assert [(p.learners, p.follow_ups, p.achieved) for p in points] == [
        (9, 4, 2), (0, 2, 2), (0, 0, 0), (1, 0, 0), (0, 0, 0), (0, 1, 1),
    ]  # fmt: skip
    assert [p.learners_total for p in points] == [9, 9, 9, 10, 10, 10]
    assert [p.achieved_total for p in points] == [2, 4, 4, 4, 4, 5]
    d2 = monthly_trend(s.campaign, s.d2)
    assert [(p.month, p.learners, p.achieved) for p in d2] == [
        (date(2026, 3, 1), 3, 0), (date(2026, 4, 1), 0, 2),
    ]  # fmt: skip


def test_frequency_by_segment(s):
    good = Evidence(**GOOD)
    for frequency in ("daily", "monthly_1_3"):
        person = s.data.person(s.k11)
        s.data.evidence(
            person,
            s.k11,
            replace(good, frequency=frequency, follow_up_on=follow_up_after(s.k11, 35)),
        )
    rows = {row.segment: row for row in frequency_by_segment(s.campaign, s.province)}
    resident, official = rows["resident"], rows["official"]
    assert (resident.respondents, resident.daily, resident.weekly_or_more) == (7, 1, 6)
    assert (official.respondents, official.daily, official.weekly_or_more) == (1, 0, 1)
    assert rows["teacher"].respondents == 0 and rows["teacher"].daily_rate is None
    only = frequency_by_segment(s.campaign, s.province, KpiFilters(segment="official"))
    assert [r.segment for r in only] == ["official"]


@pytest.fixture
def merged(f):
    """A 2024 province with three communes; in 2025 o1 and o2 merged into n1 and o3 was
    split (partial links), all under the 2025 province."""
    old = f.locality("Tỉnh Yên Bái", scheme="2024", kind="province", code="15")
    district = f.locality("Huyện Văn Yên", parent=old, kind="district")
    o1, o2, o3 = (
        f.locality(n, parent=district) for n in ("Xã Mậu A", "Xã Đông An", "Xã Lâm Giang")
    )
    new = f.locality("Tỉnh Lào Cai", scheme="2025", kind="province", code="15")
    n1 = f.locality("Xã Văn Yên", parent=new)
    n2 = f.locality("Xã Châu Quế", parent=new)
    links = [(o1, n1, False), (o2, n1, False), (o3, n1, True), (o3, n2, True)]
    for a, b, partial in links:
        db.session.add(LocalityCrosswalk(old_id=a.id, new_id=b.id, partial=partial,
                                         effective_on=date(2025, 7, 1)))  # fmt: skip
    campaign = f.campaign(old)
    data = KpiData()
    good = Evidence(**GOOD)
    for commune, evidence in ((o1, good), (o2, replace(good, verifies=2)), (o3, good)):
        cls = f.training_class(campaign, commune)
        person = data.person(cls)
        data.evidence(person, cls, replace(evidence, follow_up_on=follow_up_after(cls, 60)))
    CampaignFactories().member(campaign, o2)
    return campaign, old, new, n1, n2


def test_superseded_communes_roll_up_into_the_new_units(merged):
    campaign, old, new, n1, n2 = merged
    table = kpi_table(campaign, new, KpiFilters(geography=CURRENT))
    rows = {row.locality.id: row for row in table.children}
    assert rows[n1.id].kpi("learners").actual == 2  # o1 + o2; o3 was split, not mapped
    assert rows[n1.id].kpi("effective_appliers").actual == 1
    assert rows[n1.id].kpi("classes").actual == 2
    assert rows[n1.id].kpi("core_members").actual == 1
    assert rows[n1.id].follow_up.partly == 1
    assert rows[n2.id].kpi("learners").actual == 0
    assert table.head.kpi("learners").actual == 2 and table.unplaced["learners"] == 0
    collected = kpi_table(campaign, new, KpiFilters(geography=COLLECTED))
    assert collected.head.kpi("learners").actual == 0
    as_collected = kpi_table(campaign, old)
    assert as_collected.head.kpi("learners").actual == 3
    assert as_collected.children[0].kpi("effective_appliers").actual == 2
    # An old-scheme head has nothing newer to map to its scheme: the same figures.
    same = kpi_table(campaign, old, KpiFilters(geography=CURRENT))
    assert same.head.kpi("learners").actual == 3
    rows = db.session.execute(person_outcomes(campaign, new, KpiFilters(geography=CURRENT)))
    assert {(r.home_locality_code, r.home_locality_name) for r in rows} == {(n1.code, "Xã Văn Yên")}
    trend = monthly_trend(campaign, n1, KpiFilters(geography=CURRENT))
    assert sum(p.learners for p in trend) == 2


def test_empty_campaign(f):
    province, a, b = f.tree()
    campaign = f.campaign(province)
    CampaignFactories().target(campaign, a, "learners", 0)
    table = kpi_table(campaign, province)
    assert all(k.actual == 0 for row in (table.head, *table.children) for k in row.kpis.values())
    assert table.head.follow_up.learners == 0 and table.head.follow_up.response_rate is None
    assert table.head.follow_up.achieved_rate is None
    assert table.unplaced == dict.fromkeys(table.head.kpis, 0)
    child_a = next(r for r in table.children if r.locality == a)
    assert child_a.kpi("learners").plan == 0 and child_a.kpi("learners").percent_of_plan is None
    assert monthly_trend(campaign, province) == []
    assert all(r.learners == r.achieved == 0 for r in segment_coverage(campaign, province))
    assert all(r.respondents == 0 for r in frequency_by_segment(campaign, province))
    assert db.session.execute(person_outcomes(campaign, province)).all() == []


class StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        sa.event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        sa.event.remove(db.engine, "before_cursor_execute", self)


def _grow(f, campaign, province, data, communes: int, people: int):
    for _ in range(communes):
        commune = f.locality(parent=province)
        cls = f.training_class(campaign, commune)
        CampaignFactories().target(campaign, commune, "learners", 3)
        for _ in range(people):
            person = data.person(cls)
            data.evidence(person, cls, Evidence(**GOOD, follow_up_on=follow_up_after(cls, 45)))


def _statements(call) -> int:
    db.session.flush()
    with StatementCounter() as counter:
        call()
    return counter.count


@pytest.mark.parametrize("geography", [COLLECTED, CURRENT])
def test_statements_per_call_do_not_grow_with_the_data(f, geography):
    province = f.locality("Tỉnh Lào Cai", kind="province")
    campaign = f.campaign(province)
    data = KpiData()
    filters = KpiFilters(segment="resident", date_from=date(2026, 1, 1), geography=geography)
    calls = {
        "kpi_table": lambda: kpi_table(campaign, province, filters),
        "segment_coverage": lambda: segment_coverage(campaign, province, filters),
        "monthly_trend": lambda: monthly_trend(campaign, province, filters),
        "frequency_by_segment": lambda: frequency_by_segment(campaign, province, filters),
    }
    _grow(f, campaign, province, data, communes=2, people=1)
    small = {name: _statements(call) for name, call in calls.items()}
    _grow(f, campaign, province, data, communes=6, people=4)
    large = {name: _statements(call) for name, call in calls.items()}
    assert small == large
    assert large == {
        "kpi_table": 5, "segment_coverage": 3, "monthly_trend": 2, "frequency_by_segment": 2
    }  # fmt: skip
    table = kpi_table(campaign, province, filters)
    assert len(table.children) == 8 and table.head.kpi("effective_appliers").actual == 26
