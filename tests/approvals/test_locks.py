"""Approved periods are locked: late responses are held, edits that would move the figures
are refused until the approver reopens them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from surveyapp.approvals import locks, services
from surveyapp.audit.models import AuditEntry
from surveyapp.extensions import db
from surveyapp.indicators.kpi_types import KpiFilters
from surveyapp.indicators.kpis import kpi_table
from surveyapp.quality import review
from surveyapp.quality.flags import LATE_FOR_APPROVED_PERIOD
from surveyapp.scoring import marking, rescoring
from surveyapp.security import Scope, compute_scope
from tests.quality.helpers import NOW as SENT
from tests.quality.helpers import person, submit
from tests.scoring import helpers as scoring

from .helpers import H1, NOW, approved, submitted

PRE = {"se_confident": 2, "ai_frequency": "weekly", "hours": 3}
LATER = datetime(2026, 7, 3, 9, 0, tzinfo=UTC)


def figures(w, period=H1):
    table = kpi_table(w.campaign, w.van_yen, KpiFilters(date_from=period[0], date_to=period[1]))
    return {m: k.actual for m, k in table.head.kpis.items()}, table.head.follow_up


def test_a_response_sent_into_an_approved_period_is_held(world):
    early = person(world, "Nguyễn Thị Lan")
    submit(world.forms["pre"], early, PRE)
    approval = approved(world)
    before, stats = figures(world)
    late = submit(world.forms["skill"], early, {}, seconds=600)  # sent 01/03/2026, in H1
    assert late.flags[-1] == LATE_FOR_APPROVED_PERIOD
    assert late.excluded and late.reviewed_at is None and locks.is_held(late)
    assert "01/01/2026" in late.exclusion_note
    after, stats_after = figures(world)
    assert after == before and stats_after.respondents == stats.respondents
    assert locks.approval_of(late) == approval
    held = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "response.held"))
    assert held.object_id == late.id and held.detail["approval_id"] == approval.id
    # It waits in the review queue.
    queue = db.session.scalars(review.review_queue(world.admin, Scope(unrestricted=True))).all()
    assert late in queue


def test_responses_outside_the_locked_period_or_place_are_not_held(world):
    approved(world, (date(2026, 4, 1), date(2026, 6, 30)))  # SENT is 01/03/2026
    other = approved(world, H1, locality=world.mcc, by=world.coord_mcc)
    assert other.is_approved
    response = submit(world.forms["pre"], person(world), PRE)
    assert not response.excluded and response.flags == []


def test_submitted_but_not_approved_figures_lock_nothing(world):
    submitted(world)
    response = submit(world.forms["pre"], person(world), PRE)
    assert not response.excluded


def test_an_approved_ancestor_locks_its_whole_subtree(world):
    approval = submitted(world, H1, locality=world.province, by=world.coord_p)
    assert locks.locking_approval(world.cls.id, SENT.date()) is None  # not approved yet
    services.approve(approval, actor=world.admin, scope=compute_scope(world.admin), now=NOW)
    assert locks.locking_approval(world.cls.id, SENT.date()) == approval


def test_keeping_a_held_response_waits_for_the_figures_to_be_reopened(world):
    who = person(world)
    approval = approved(world)
    late = submit(world.forms["pre"], who, PRE)
    before, _stats = figures(world)
    with pytest.raises(locks.Locked) as refused:
        review.confirm(late, world.coord_vy, now=LATER)
    assert refused.value.status_code == 409 and "Huyện Văn Yên" in str(refused.value.message)
    assert late.excluded
    services.return_figures(
        approval, actor=world.coord_p, scope=compute_scope(world.coord_p), now=LATER,
        comment="Mở lại để tính phiếu đến muộn",
    )  # fmt: skip
    review.confirm(late, world.coord_vy, now=LATER)
    assert not late.excluded and late.reviewed_at == LATER and late.exclusion_note == ""
    assert figures(world)[0] == before  # a pre-survey moves no KPI, but it now counts
    assert not locks.is_held(late)


def test_a_held_response_may_be_excluded_for_good(world):
    approved(world)
    late = submit(world.forms["pre"], person(world), PRE)
    review.exclude(late, world.coord_vy, reason="Phiếu gửi nhầm", now=LATER)
    assert late.excluded and late.reviewed_at == LATER and not locks.is_held(late)


def test_excluding_or_restoring_a_counted_response_of_a_locked_period_is_refused(world):
    counted = submit(world.forms["pre"], person(world), PRE)
    dropped = submit(world.forms["pre"], person(world, "Lò Văn Páo", year=1990), PRE)
    review.exclude(dropped, world.coord_vy, reason="Trùng", now=NOW)
    approved(world)
    with pytest.raises(locks.Locked):
        review.exclude(counted, world.coord_vy, reason="Nghi ngờ", now=LATER)
    with pytest.raises(locks.Locked):
        review.restore(dropped, world.coord_vy, now=LATER)
    review.confirm(counted, world.coord_vy, now=LATER)  # keeping a counted one changes nothing


# ---------------------------------------------------------------- scoring


@pytest.fixture
def scored_world(f):
    w = scoring.world(f)
    w.coord_a = f.user(role="coordinator", locality=w.a)
    w.coord_p = f.user(role="coordinator", locality=w.province)
    full = {"q1": "a", "q2": "no", "q3": ["a", "c"], "essay": "Tóm tắt văn bản ở Văn Yên"}
    w.response = scoring.answer(w.class_a, w.version, scoring.person(w.class_a), "post", full)
    return w


def _approve_a(w):
    approval = services.submit_figures(
        w.campaign, w.a, *H1, actor=w.coord_a, scope=compute_scope(w.coord_a), now=NOW
    )
    return services.approve(approval, actor=w.coord_p, scope=compute_scope(w.coord_p), now=NOW)


def test_hand_marking_a_counted_response_of_a_locked_period_is_refused(scored_world, f):
    w = scored_world
    _approve_a(w)
    essay = marking.find_answer(w.response.id, "essay")
    with pytest.raises(locks.Locked):
        marking.mark_answer(essay, "2", f.user(role="admin"))
    assert essay.points is None and w.response.score == Decimal("4.00")
    w.response.excluded = True  # an excluded response counts in no figure: marking is fine
    marking.mark_answer(essay, "2", f.user(role="admin"))
    assert essay.points == Decimal("2.00")


def test_an_answer_key_correction_that_would_rescore_a_locked_period_is_refused(scored_world, f):
    w = scored_world
    w.version.instrument.locality_id = w.province.id
    admin = f.user(role="admin")
    _approve_a(w)
    item = next(i for i in w.version.items if i.key == "q1")
    with pytest.raises(locks.Locked):
        rescoring.change_answer_key(item, "b", admin)
    assert item.answer_key == "a" and w.response.score == Decimal("4.00")


def test_an_answer_key_correction_outside_locked_periods_still_works(scored_world, f):
    w = scored_world
    w.version.instrument.locality_id = w.province.id
    approval = services.submit_figures(
        w.campaign, w.b, *H1, actor=f.user(role="coordinator", locality=w.b),
        scope=compute_scope(f.user(role="coordinator", locality=w.b)), now=NOW,
    )  # fmt: skip
    services.approve(approval, actor=w.coord_p, scope=compute_scope(w.coord_p), now=NOW)
    item = next(i for i in w.version.items if i.key == "q1")
    done = rescoring.change_answer_key(item, "b", f.user(role="admin"))
    assert done.changed == 1


# ---------------------------------------------------------------- through the pages


def test_the_review_page_refuses_to_count_a_held_response_while_locked(world, as_user):
    approved(world)
    late = submit(world.forms["pre"], person(world, "Lò Thị Mù Cang Chải"), PRE)
    client = as_user(world.coord_vy)
    queue = client.get("/quality")
    assert f"/quality/responses/{late.id}" in queue.text
    page = client.get(f"/quality/responses/{late.id}")
    assert "Sent after the figures of its period were approved" in page.text
    assert 'value="confirm"' in page.text  # a held response can be kept or excluded
    kept = client.post(f"/quality/responses/{late.id}", data={"action": "confirm"})
    assert kept.status_code == 400
    assert "were approved, and this change would alter them" in kept.text
    db.session.expire_all()
    assert db.session.get(type(late), late.id).excluded


def test_the_marking_page_refuses_a_locked_response(scored_world, as_user):
    w = scored_world
    _approve_a(w)
    client = as_user(w.coord_p)
    done = client.post(f"/responses/{w.response.id}/items/essay/mark", data={"points": "2"})
    assert done.status_code == 400 and "Ask the approver to return (reopen) them" in done.text
