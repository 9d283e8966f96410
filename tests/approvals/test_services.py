"""Submitting, approving, returning and resubmitting figures (services, no HTTP)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from surveyapp.approvals import services
from surveyapp.approvals.models import ApprovalStatus
from surveyapp.audit.models import AuditEntry
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.indicators.kpi_types import KpiFilters
from surveyapp.indicators.kpis import kpi_table
from surveyapp.security import compute_scope
from tests.journey.helpers import make_user
from tests.quality.helpers import person

from .helpers import H1, NOW, YEAR, approved, head_figures, submitted


def actions(approval) -> list[str]:
    return db.session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.object_type == "figure_approval", AuditEntry.object_id == approval.id)
        .order_by(AuditEntry.id)
    ).all()


def test_submission_stores_the_kpi_table_of_the_period(world):
    person(world, "Nguyễn Thị Lan")
    person(world, "Lò Văn Páo", year=1990)
    approval = submitted(world)
    table = kpi_table(world.campaign, world.van_yen, KpiFilters(date_from=H1[0], date_to=H1[1]))
    assert approval.status == ApprovalStatus.SUBMITTED and approval.round == 1
    assert head_figures(approval.snapshot)["learners"] == table.head.kpi("learners").actual == 2
    names = [row["name"] for row in approval.snapshot["rows"]]
    assert names[0] == "Huyện Văn Yên" and "Xã Mậu A" in names
    assert approval.snapshot["period"] == ["2026-01-01", "2026-06-30"]
    assert actions(approval) == ["approval.submitted"]


def test_the_level_above_approves_and_the_audit_keeps_the_figures(world):
    person(world)
    approval = submitted(world)
    with pytest.raises(NotAllowed):  # the district itself is not the level above
        services.approve(
            approval, actor=world.coord_vy, scope=compute_scope(world.coord_vy), now=NOW
        )
    with pytest.raises(NotAllowed):  # a sibling district neither
        services.approve(
            approval, actor=world.coord_mcc, scope=compute_scope(world.coord_mcc), now=NOW
        )
    services.approve(
        approval, actor=world.coord_p, scope=compute_scope(world.coord_p), now=NOW, comment="Đạt"
    )
    assert approval.status == ApprovalStatus.APPROVED and approval.decided_by_id == world.coord_p.id
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "approval.approved"))
    assert entry.detail["figures"]["learners"] == 1 and entry.detail["comment"] == "Đạt"


def test_nobody_approves_figures_they_submitted(world):
    approval = submitted(world, locality=world.mau_a, by=world.coord_vy)
    with pytest.raises(NotAllowed, match="someone else"):
        services.approve(
            approval, actor=world.coord_vy, scope=compute_scope(world.coord_vy), now=NOW
        )
    services.approve(approval, actor=world.coord_p, scope=compute_scope(world.coord_p), now=NOW)
    assert approval.is_approved


def test_a_top_level_locality_is_approved_by_an_admin_only(world):
    approval = submitted(world, locality=world.province, by=world.coord_p)
    other = make_user("coordinator", world.province)
    with pytest.raises(NotAllowed):
        services.approve(approval, actor=other, scope=compute_scope(other), now=NOW)
    services.approve(approval, actor=world.admin, scope=compute_scope(world.admin), now=NOW)
    assert approval.is_approved


def test_returned_figures_are_resubmitted_with_a_new_snapshot(world):
    approval = submitted(world)
    boss = dict(actor=world.coord_p, scope=compute_scope(world.coord_p), now=NOW)
    with pytest.raises(DomainError) as missing:
        services.return_figures(approval, comment="  ", **boss)
    assert missing.value.field == "comment"
    services.return_figures(approval, comment="Thiếu lớp ở xã Đông Cuông", **boss)
    assert approval.status == ApprovalStatus.RETURNED
    person(world)  # a learner registered meanwhile
    again = submitted(world)  # the same period: the returned row is submitted again
    assert again.id == approval.id and again.round == 2
    assert again.status == ApprovalStatus.SUBMITTED and again.decision_comment == ""
    assert head_figures(again.snapshot)["learners"] == 1
    assert actions(approval) == [
        "approval.submitted",
        "approval.returned",
        "approval.resubmitted",
    ]


def test_the_same_period_cannot_be_submitted_twice(world):
    submitted(world)
    with pytest.raises(DomainError) as conflict:
        submitted(world)
    assert conflict.value.status_code == 409
    submitted(world, YEAR)  # another period is another submission


def test_approval_is_refused_when_the_figures_moved_since_submission(world):
    approval = submitted(world)
    person(world)
    with pytest.raises(DomainError, match="changed after they were submitted") as moved:
        services.approve(approval, actor=world.coord_p, scope=compute_scope(world.coord_p), now=NOW)
    assert moved.value.status_code == 409


def test_approved_figures_can_be_reopened_with_a_comment(world):
    approval = approved(world)
    services.return_figures(
        approval,
        actor=world.coord_p,
        scope=compute_scope(world.coord_p),
        now=NOW,
        comment="Mở lại để bổ sung",
    )
    assert approval.status == ApprovalStatus.RETURNED
    assert actions(approval)[-1] == "approval.reopened"


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (None, date(2026, 6, 30), "period_start"),
        (date(2026, 1, 1), None, "period_end"),
        (date(2026, 6, 30), date(2026, 1, 1), "period_end"),
        (date(2025, 1, 1), date(2025, 12, 31), "period_start"),
    ],
)
def test_bad_periods_are_refused(world, start, end, field):
    with pytest.raises(DomainError) as error:
        submitted(world, (start, end))
    assert error.value.field == field


def test_only_localities_in_scope_may_be_submitted(world):
    with pytest.raises(NotAllowed):
        submitted(world, locality=world.khao_mang, by=world.coord_vy)
    with pytest.raises(NotAllowed):
        submitted(world, by=world.evaluator)


def test_approval_state_for_dashboard_and_report(world):
    mau_a = approved(world, locality=world.mau_a)
    district = submitted(world)
    state = services.approval_state(world.campaign, world.van_yen, *H1)
    assert state.shown is district and state.pending == [district]
    assert state.approved == [mau_a] and state.head_approved == []
    services.approve(district, actor=world.coord_p, scope=compute_scope(world.coord_p), now=NOW)
    state = services.approval_state(world.campaign, world.van_yen)
    assert state.shown is None and state.head_approved == [district]
    assert state.covering(*H1) is district and state.covering(*YEAR) is None


def test_awaiting_decision_lists_what_the_user_decides(world):
    district = submitted(world)
    commune = submitted(world, locality=world.mau_a, by=world.coord_vy)
    for_province = db.session.scalars(
        services.awaiting_decision(world.coord_p, compute_scope(world.coord_p))
    ).all()
    for_district = db.session.scalars(
        services.awaiting_decision(world.coord_vy, compute_scope(world.coord_vy))
    ).all()
    assert set(for_province) == {district, commune}
    assert for_district == []  # the commune's figures were sent by the district's own user
