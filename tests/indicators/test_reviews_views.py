"""The example review pages: ``GET /reviews/examples`` and ``POST /reviews/examples/<id>``,
through the HTTP client (roles, scope, 400s with kept input, CSRF, escaping, paging)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.extensions import db
from surveyapp.indicators.models import ExampleReview
from surveyapp.indicators.reviews import review_example

from .test_reviews import EXAMPLE, ReviewWorld

QUEUE = "/reviews/examples"


@pytest.fixture
def world(f):
    return ReviewWorld(f).build()


def _review(response_id: int, **fields) -> dict:
    prefix = f"r{response_id}-"
    data = {prefix + k: v for k, v in fields.items() if k != "next"}
    if "next" in fields:
        data["next"] = fields["next"]
    return data


def _reviews() -> list[ExampleReview]:
    return db.session.scalars(sa.select(ExampleReview)).all()


def test_trainer_sees_own_examples_escaped_without_the_phone(world, login):
    own = world.response("a1", example="<script>alert(1)</script> Tôi dùng AI ở Văn Yên")
    world.response("a2", example="Ví dụ của lớp khác ở Mù Cang Chải")
    page = login(world.trainers["a1"]).get(QUEUE)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tôi dùng AI ở Văn Yên" in text
    assert "<script>alert(1)" not in text
    assert "Ví dụ của lớp khác" not in text
    assert "0912345678" not in text and "Lò Thị Mai" not in text
    assert "Every day" in text and "Writing documents" in text and "Viết lời chúc" in text
    assert "Lớp a1 Văn Yên" in text and "05/04/2026" in text
    assert f'action="/reviews/examples/{own.id}"' in text
    assert "To review (1)" in text


def test_trainer_accepts_an_example_and_it_leaves_the_queue(world, login):
    response = world.response("a1")
    client = login(world.trainers["a1"])
    sent = client.post(
        f"{QUEUE}/{response.id}",
        data=_review(response.id, decision="accept", quality_gain="y", note="Cụ thể, rõ ràng",
                     next=f"{QUEUE}?campaign={world.campaign.id}"),
    )  # fmt: skip
    assert sent.status_code == 302
    assert sent.location.endswith(f"{QUEUE}?campaign={world.campaign.id}")
    (review,) = _reviews()
    assert (review.status, review.quality_gain, review.note) == (
        "accepted",
        True,
        "Cụ thể, rõ ràng",
    )
    assert review.reviewer_id == world.trainers["a1"].id
    text = client.get(QUEUE).get_data(as_text=True)
    assert "Your review was saved." in text and EXAMPLE not in text
    done = client.get(f"{QUEUE}?tab=reviewed").get_data(as_text=True)
    assert EXAMPLE in done and "Accepted" in done and "Better quality of work" in done
    assert "Cụ thể, rõ ràng" in done and "Change the review" in done


def test_re_review_from_the_reviewed_tab_is_audited(world, login):
    response = world.response("a1")
    trainer = world.trainers["a1"]
    review_example(response, trainer, accepted=True, quality_gain=False)
    db.session.flush()
    sent = login(trainer).post(
        f"{QUEUE}/{response.id}", data=_review(response.id, decision="reject", note="Chưa rõ")
    )
    assert sent.status_code == 302
    (review,) = _reviews()
    assert review.status == "rejected"
    entry = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.action == "example.reviewed")
        .order_by(AuditEntry.id.desc())
    ).first()
    assert (entry.detail["old_status"], entry.detail["new_status"]) == ("accepted", "rejected")


@pytest.mark.parametrize(
    ("fields", "kept"),
    [
        ({"note": "Ghi chú Mù Cang Chải"}, "Ghi chú Mù Cang Chải"),
        ({"decision": "maybe", "note": "Văn Yên"}, "Văn Yên"),
        ({"decision": "accept", "note": "Dài " + "x" * 600}, "Dài xxx"),
    ],
)
def test_bad_review_is_a_400_with_the_input_kept(world, login, fields, kept):
    response = world.response("a1")
    sent = login(world.trainers["a1"]).post(
        f"{QUEUE}/{response.id}", data=_review(response.id, next=f"{QUEUE}?tab=reviewed", **fields)
    )
    assert sent.status_code == 400
    text = sent.get_data(as_text=True)
    assert kept in text
    assert 'class="error"' in text
    assert f'id="example-{response.id}"' in text
    assert _reviews() == []


@pytest.mark.parametrize("who", ["a2", "b", "sibling_coordinator"])
def test_others_get_404_on_a_response_they_do_not_see(world, login, f, who):
    response = world.response("a1")
    user = (
        f.user(role="coordinator", locality=world.b)
        if who == "sibling_coordinator"
        else world.trainers[who]
    )
    sent = login(user).post(f"{QUEUE}/{response.id}", data=_review(response.id, decision="accept"))
    assert sent.status_code == 404
    assert _reviews() == []


def test_excluded_or_non_follow_up_responses_are_404(world, login, f):
    admin = login(f.user(role="admin"))
    for response in (world.response("a1", excluded=True), world.response("a1", moment="pre")):
        sent = admin.post(f"{QUEUE}/{response.id}", data=_review(response.id, decision="accept"))
        assert sent.status_code == 404
    assert admin.post(f"{QUEUE}/99999", data=_review(99999, decision="accept")).status_code == 404


@pytest.mark.parametrize("role", ["evaluator", "judge"])
def test_evaluators_and_judges_get_403(world, login, f, role):
    response = world.response("a1")
    client = login(f.user(role=role, locality=world.province))
    assert client.get(QUEUE).status_code == 403
    assert (
        client.post(
            f"{QUEUE}/{response.id}", data=_review(response.id, decision="accept")
        ).status_code
        == 403
    )


def test_anonymous_is_sent_to_login(world, client):
    response = world.response("a1")
    for sent in (client.get(QUEUE), client.post(f"{QUEUE}/{response.id}")):
        assert sent.status_code == 302 and "/login" in sent.location


def test_coordinator_filters_by_campaign_and_pages(world, login, f):
    other = f.campaign(world.province, name="Chiến dịch khác")
    world.classes["other"] = f.training_class(other, world.a)
    for day in range(1, 24):
        world.response("a1", example=f"Ví dụ số {day:02d} ở Văn Yên", day=day)
    world.response("other", example="Ví dụ của chiến dịch khác")
    client = login(f.user(role="coordinator", locality=world.province))
    first = client.get(f"{QUEUE}?campaign={world.campaign.id}").get_data(as_text=True)
    assert "To review (23)" in first and "Page 1 of 2" in first
    assert "Ví dụ số 01" in first and "Ví dụ số 21" not in first
    assert "Ví dụ của chiến dịch khác" not in first
    second = client.get(f"{QUEUE}?campaign={world.campaign.id}&page=2").get_data(as_text=True)
    assert "Ví dụ số 21" in second and "Ví dụ số 23" in second
    every = client.get(QUEUE).get_data(as_text=True)
    assert "To review (24)" in every
    unknown = client.get(f"{QUEUE}?campaign=99999&tab=nonsense&page=abc")
    assert unknown.status_code == 200


def test_nav_link_for_trainers_and_coordinators_only(world, login, f):
    assert QUEUE in login(world.trainers["a1"]).get("/campaigns").get_data(as_text=True)
    evaluator = login(f.user(role="evaluator", locality=world.province))
    assert f'href="{QUEUE}"' not in evaluator.get("/campaigns").get_data(as_text=True)


def test_csrf_token_is_required(world, login, app):
    response = world.response("a1")
    client = login(world.trainers["a1"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        sent = client.post(f"{QUEUE}/{response.id}", data=_review(response.id, decision="accept"))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert sent.status_code == 400
    assert _reviews() == []


def test_with_csrf_on_the_queue_form_carries_a_working_token(world, login, app):
    response = world.response("a1")
    client = login(world.trainers["a1"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get(QUEUE).get_data(as_text=True)
        name = f"r{response.id}-csrf_token"
        token = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page).group(1)
        sent = client.post(
            f"{QUEUE}/{response.id}",
            data={name: token, **_review(response.id, decision="accept")},
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert sent.status_code == 302
    assert [r.status for r in _reviews()] == ["accepted"]
