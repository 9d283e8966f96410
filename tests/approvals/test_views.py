"""The approval pages through the HTTP client: submit from the dashboard, decide, resubmit,
scope, bad input, and what the dashboard and the report say."""

from __future__ import annotations

import re

import sqlalchemy as sa

from surveyapp.approvals.models import ApprovalStatus, FigureApproval
from surveyapp.extensions import db
from tests.quality.helpers import person

from .helpers import H1, approved, submitted


def new_url(w, locality, **args):
    query = "&".join(f"{k}={v}" for k, v in {"locality_id": locality.id, **args}.items())
    return f"/campaigns/{w.campaign.id}/approvals/new?{query}"


def stored(w) -> list[FigureApproval]:
    db.session.expire_all()
    return db.session.scalars(
        sa.select(FigureApproval).where(FigureApproval.campaign_id == w.campaign.id)
    ).all()


def test_the_form_is_prefilled_from_the_dashboard_and_previews_the_figures(world, as_user):
    person(world, "Nguyễn Thị Lan")
    page = as_user(world.coord_vy).get(
        new_url(world, world.van_yen, date_from="2026-01-01", date_to="2026-06-30")
    )
    assert page.status_code == 200
    assert 'value="2026-01-01"' in page.text and 'value="2026-06-30"' in page.text
    assert "Huyện Văn Yên" in page.text and "Xã Mậu A" in page.text


def test_submitting_stores_the_figures_and_redirects(world, as_user):
    client = as_user(world.coord_vy)
    done = client.post(
        f"/campaigns/{world.campaign.id}/approvals/new",
        data={
            "locality_id": world.van_yen.id,
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "note": "Số liệu 6 tháng đầu năm của Mù Cang Chải",
        },
    )
    assert done.status_code == 303
    (approval,) = stored(world)
    assert approval.status == ApprovalStatus.SUBMITTED and approval.locality_id == world.van_yen.id
    page = client.get(done.location)
    assert "Số liệu 6 tháng đầu năm của Mù Cang Chải" in page.text
    assert "Awaiting approval" in page.text
    assert f'action="/approvals/{approval.id}/decision"' not in page.text  # not their call


def test_bad_periods_are_shown_again_with_what_was_typed(world, as_user):
    done = as_user(world.coord_vy).post(
        f"/campaigns/{world.campaign.id}/approvals/new",
        data={
            "locality_id": world.van_yen.id,
            "period_start": "2026-06-30",
            "period_end": "2026-01-01",
            "note": "Ghi chú của Văn Yên",
        },
    )
    assert done.status_code == 400
    assert "The last day must not be before the first day." in done.text
    assert "Ghi chú của Văn Yên" in done.text and 'value="2026-06-30"' in done.text
    garbled = as_user(world.coord_vy).post(
        f"/campaigns/{world.campaign.id}/approvals/new",
        data={"locality_id": world.van_yen.id, "period_start": "ngày", "period_end": ""},
    )
    assert garbled.status_code == 400
    assert stored(world) == []


def test_a_second_submission_of_the_same_period_is_a_conflict(world, as_user):
    submitted(world)
    done = as_user(world.coord_vy).post(
        f"/campaigns/{world.campaign.id}/approvals/new",
        data={"locality_id": world.van_yen.id, "period_start": "2026-01-01",
              "period_end": "2026-06-30"},
    )  # fmt: skip
    assert done.status_code == 409 and "already submitted" in done.text


def test_localities_outside_scope_or_campaign_give_404(world, as_user, f):
    client = as_user(world.coord_vy)
    assert client.get(new_url(world, world.khao_mang)).status_code == 404
    assert client.get(new_url(world, world.mcc)).status_code == 404
    assert client.get(new_url(world, world.van_yen).replace("=" + str(world.van_yen.id), "=x"))\
        .status_code == 404  # fmt: skip
    other = f.locality("Tỉnh Khác")
    assert as_user(world.admin).get(new_url(world, other)).status_code == 404
    post = client.post(
        f"/campaigns/{world.campaign.id}/approvals/new",
        data={"locality_id": world.khao_mang.id, "period_start": "2026-01-01",
              "period_end": "2026-06-30"},
    )  # fmt: skip
    assert post.status_code == 404 and stored(world) == []


def test_the_level_above_approves_through_the_page(world, as_user):
    approval = submitted(world)
    client = as_user(world.coord_p)
    page = client.get(f"/approvals/{approval.id}")
    assert f'action="/approvals/{approval.id}/decision"' in page.text
    done = client.post(f"/approvals/{approval.id}/decision", data={"action": "approve"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(FigureApproval, approval.id).status == ApprovalStatus.APPROVED
    assert "approved" in client.get(done.location).text


def test_the_locality_itself_cannot_approve(world, as_user):
    approval = submitted(world, locality=world.van_yen, by=world.coord_p)
    done = as_user(world.coord_vy).post(
        f"/approvals/{approval.id}/decision", data={"action": "approve"}
    )
    assert done.status_code == 403
    done = as_user(world.coord_p).post(  # nor the person who submitted
        f"/approvals/{approval.id}/decision", data={"action": "approve"}
    )
    assert done.status_code == 403 and "someone else must approve" in done.text
    db.session.expire_all()
    assert db.session.get(FigureApproval, approval.id).status == ApprovalStatus.SUBMITTED


def test_returning_needs_a_comment_and_the_locality_resubmits(world, as_user):
    approval = submitted(world)
    boss = as_user(world.coord_p)
    empty = boss.post(f"/approvals/{approval.id}/decision", data={"action": "return"})
    assert empty.status_code == 400 and "Please write a comment" in empty.text
    unknown = boss.post(f"/approvals/{approval.id}/decision", data={"action": "delete"})
    assert unknown.status_code == 400
    done = boss.post(
        f"/approvals/{approval.id}/decision",
        data={"action": "return", "comment": "Thiếu số liệu xã Đông Cuông"},
    )
    assert done.status_code == 303
    client = as_user(world.coord_vy)
    page = client.get(f"/approvals/{approval.id}")
    assert "Thiếu số liệu xã Đông Cuông" in page.text and "Submit again" in page.text
    again = client.post(f"/approvals/{approval.id}/resubmit", data={"note": "Đã bổ sung"})
    assert again.status_code == 303
    db.session.expire_all()
    row = db.session.get(FigureApproval, approval.id)
    assert (row.status, row.round) == (ApprovalStatus.SUBMITTED, 2)
    twice = client.post(f"/approvals/{approval.id}/resubmit", data={})
    assert twice.status_code == 409


def test_changes_since_submission_are_shown(world, as_user):
    approval = submitted(world)
    person(world, "Hoàng Thị Mù Cang Chải")
    page = as_user(world.evaluator).get(f"/approvals/{approval.id}")
    assert page.status_code == 200
    assert "differ from the figures submitted" in page.text
    assert re.search(r"Learners: 0 → 1", page.text)


def test_sibling_scopes_get_404(world, as_user):
    approval = submitted(world)
    client = as_user(world.coord_mcc)
    assert client.get(f"/approvals/{approval.id}").status_code == 404
    assert (
        client.post(
            f"/approvals/{approval.id}/decision", data={"action": "return", "comment": "x"}
        ).status_code
        == 404
    )
    assert client.post(f"/approvals/{approval.id}/resubmit").status_code == 404
    assert "Huyện Văn Yên" not in client.get("/approvals").text


def test_trainers_and_anonymous_users_are_kept_out(world, as_user):
    approval = submitted(world)
    assert as_user(world.trainer).get(f"/approvals/{approval.id}").status_code == 403
    assert (
        as_user(world.evaluator)
        .post(f"/approvals/{approval.id}/decision", data={"action": "approve"})
        .status_code
        == 403
    )
    assert "/login" in as_user(None).get("/approvals").location


def test_the_list_and_the_to_decide_tab(world, as_user):
    approval = submitted(world)
    client = as_user(world.coord_p)
    listing = client.get("/approvals")
    assert listing.status_code == 200 and "Huyện Văn Yên" in listing.text
    waiting = client.get("/approvals?status=to_decide")
    assert f"/approvals/{approval.id}" in waiting.text
    assert f"/approvals/{approval.id}" not in client.get("/approvals?status=approved").text
    assert client.get("/approvals?status=nonsense&page=x").status_code == 200


def test_the_dashboard_says_whether_the_figures_are_approved(world, as_user):
    client = as_user(world.coord_p)
    url = f"/campaigns/{world.campaign.id}/dashboard?locality_id={world.van_yen.id}"
    period = "&date_from=2026-01-01&date_to=2026-06-30"
    page = client.get(url + period)
    assert "The figures shown are not approved." in page.text
    assert "Submit these figures for approval" in page.text
    approval = approved(world)
    page = client.get(url + period)
    assert f"Approved by {approval.decided_by.name} on 02/07/2026" in page.text
    assert "01/01/2026 – 30/06/2026" in page.text
    assert "Submit these figures for approval" not in page.text
    assert "not approved" in client.get(url).text  # another period: not approved


def test_the_report_says_which_figures_are_approved(world, as_user):
    url = f"/campaigns/{world.campaign.id}/report?locality_id={world.van_yen.id}"
    client = as_user(world.coord_p)
    assert "have not been approved" in client.get(url).text
    approved(world, H1, locality=world.mau_a)
    page = client.get(url).text
    assert "Figures approved by the level above" in page and "Xã Mậu A" in page
    approved(world, (world.campaign.start_date, world.campaign.end_date))
    assert "were approved by" in client.get(url).text


def test_a_comment_too_long_is_refused_and_kept(world, as_user):
    approval = submitted(world)
    text = "Mù Cang Chải " * 100
    done = as_user(world.coord_p).post(
        f"/approvals/{approval.id}/decision", data={"action": "return", "comment": text}
    )
    assert done.status_code == 400 and "Mù Cang Chải Mù Cang Chải" in done.text
    db.session.expire_all()
    assert db.session.get(FigureApproval, approval.id).status == ApprovalStatus.SUBMITTED


def test_the_dashboard_lists_submissions_awaiting_approval(world, as_user):
    approval = submitted(world)
    url = f"/campaigns/{world.campaign.id}/dashboard?locality_id={world.van_yen.id}"
    page = as_user(world.coord_p).get(url)
    assert "Awaiting approval:" in page.text and f"/approvals/{approval.id}" in page.text
    trainer = as_user(world.trainer).get(
        f"/campaigns/{world.campaign.id}/dashboard?locality_id={world.mau_a.id}"
    )
    assert trainer.status_code == 200 and "Submit these figures" not in trainer.text
