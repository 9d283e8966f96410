"""person_outcomes: one readable row per learner, and which responses are the evidence."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from surveyapp.extensions import db
from surveyapp.indicators.kpi_types import KpiFilters
from surveyapp.indicators.people import person_outcomes

from .kpi_builders import Evidence, KpiData, follow_up_after
from .test_sql_rule import GOOD

END = date(2026, 3, 1)


@pytest.fixture
def w(f):
    province = f.locality("Tỉnh Lào Cai", kind="province")
    commune = f.locality("Xã Mù Cang Chải", parent=province, code="04264")
    campaign = f.campaign(province)
    cls = f.training_class(campaign, commune, start_date=END, end_date=END)
    return type("W", (), dict(province=province, commune=commune, campaign=campaign, cls=cls,
                              data=KpiData(), f=f))  # fmt: skip


def rows(w, filters=None):
    return {
        r.public_id: r
        for r in db.session.execute(
            person_outcomes(w.campaign, w.province, filters or KpiFilters())
        )
    }


def good(days=30, **changes):
    return replace(Evidence(**GOOD), follow_up_on=END + timedelta(days=days), **changes)


def test_one_readable_row_per_learner(w):
    person = w.data.person(w.cls, segment="official")
    w.data.evidence(person, w.cls, good(purposes=["writing", "other"]))
    idle = w.data.person(w.cls)
    row, none = rows(w)[person.public_id], rows(w)[idle.public_id]
    assert (row.home_locality_code, row.home_locality_name) == ("04264", "Xã Mù Cang Chải")
    assert (row.segment, row.class_id, row.days_after_class) == ("official", w.cls.id, 30)
    assert (row.ai_frequency, row.time_saved, row.has_purpose) == ("weekly_1_2", "m30_60", True)
    assert (row.example_status, row.quality_gain) == ("accepted", False)
    assert (row.verifies_outputs, row.enters_personal_data) == (4, 1)
    assert row.post_percent == pytest.approx(70) and row.safety_share == pytest.approx(2 / 3)
    assert row.outcome == "achieved"
    assert (none.outcome, none.days_after_class, none.has_purpose) == (
        "not_assessable",
        None,
        False,
    )
    assert none.ai_frequency is None and none.post_percent is None and none.example_status is None


def test_example_status_pending_or_missing(w):
    pending = w.data.person(w.cls)
    w.data.evidence(pending, w.cls, good(review=None))
    missing = w.data.person(w.cls)
    w.data.evidence(missing, w.cls, good(review=None, example=None, purposes=[]))
    got = rows(w)
    assert (got[pending.public_id].example_status, got[pending.public_id].outcome) == (
        "pending", "partly"
    )  # fmt: skip
    assert got[missing.public_id].example_status is None
    assert got[missing.public_id].has_purpose is False


def test_the_latest_follow_up_counts_and_ties_go_to_the_later_id(w):
    person = w.data.person(w.cls)
    w.data.evidence(person, w.cls, good(days=31))
    w.data.evidence(person, w.cls, good(days=50, frequency="never", score=None))
    tied = w.data.person(w.cls)
    w.data.evidence(tied, w.cls, good(days=40, frequency="never", score=None))
    w.data.evidence(tied, w.cls, good(days=40, score=None))
    w.data.post(tied, w.cls, Evidence(**GOOD))
    got = rows(w)
    assert (got[person.public_id].outcome, got[person.public_id].days_after_class) == (
        "not_yet", 50
    )  # fmt: skip
    assert got[person.public_id].post_percent == pytest.approx(70)
    assert (got[tied.public_id].outcome, got[tied.public_id].ai_frequency) == (
        "achieved",
        "weekly_1_2",
    )


def test_excluded_responses_are_skipped_for_the_previous_one(w):
    person = w.data.person(w.cls)
    w.data.evidence(person, w.cls, good(days=35, score=Decimal(90)))
    w.data.evidence(
        person, w.cls, good(days=60, frequency="never", score=Decimal(10)), excluded=True
    )
    row = rows(w)[person.public_id]
    assert (row.outcome, row.days_after_class, row.post_percent) == ("achieved", 35, 90)
    only_excluded = w.data.person(w.cls)
    w.data.evidence(only_excluded, w.cls, good(), excluded=True)
    assert rows(w)[only_excluded.public_id].outcome == "not_assessable"
    assert rows(w)[only_excluded.public_id].post_percent is None


def test_only_skill_tests_at_post_and_this_campaigns_classes_count(w):
    person = w.data.person(w.cls)
    w.data.evidence(person, w.cls, good(score=None))
    test = w.data.skill_version
    w.data.response(person, w.cls, test, "pre", on=END, score=Decimal(95), max_score=Decimal(100))
    survey = w.data._version("post_survey", [("q", "likert", "", 0)])
    w.data.response(person, w.cls, survey, "post", on=END, score=Decimal(9), max_score=Decimal(10))
    other = w.f.training_class(w.f.campaign(w.province), w.commune)
    w.data.post(person, other, Evidence(**GOOD))
    w.data.evidence(person, other, good(days=90, frequency="never", score=None))
    row = rows(w)[person.public_id]
    assert row.post_percent is None and row.outcome == "not_yet"
    assert (row.ai_frequency, row.days_after_class) == ("weekly_1_2", 30)


def test_days_are_counted_from_the_follow_up_class(w):
    later = w.f.training_class(
        w.campaign, w.commune, start_date=date(2026, 4, 1), end_date=date(2026, 4, 20)
    )
    person = w.data.person(w.cls)
    w.data.enrol(person, later)
    w.data.evidence(person, later, good(days=60))  # 30 April: 10 days after the later class
    row = rows(w)[person.public_id]
    assert (row.class_id, row.days_after_class, row.outcome) == (w.cls.id, 10, "not_assessable")


def test_date_range_keeps_new_learners_and_people_answering_in_it(w):
    early = w.data.person(w.cls)
    w.data.evidence(early, w.cls, good(days=40))  # 10 April
    quiet = w.data.person(w.cls)
    late_class = w.f.training_class(
        w.campaign, w.commune, start_date=date(2026, 4, 2), end_date=date(2026, 4, 2)
    )
    newcomer = w.data.person(late_class, enrolled_on=date(2026, 4, 2))
    april = KpiFilters(date_from=date(2026, 4, 1), date_to=date(2026, 4, 30))
    got = rows(w, april)
    assert set(got) == {early.public_id, newcomer.public_id}
    assert got[early.public_id].outcome == "achieved"
    assert quiet.public_id in rows(w)
    march = rows(w, KpiFilters(date_to=date(2026, 3, 31)))
    assert march[early.public_id].outcome == "not_assessable"  # its follow-up came later
    assert set(march) == {early.public_id, quiet.public_id}
    assert follow_up_after(w.cls, 40) == date(2026, 4, 10)
