"""The review pages: who sees which flagged responses, and keep / exclude / restore."""

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.extensions import db
from surveyapp.responses.models import Response
from tests.journey.helpers import attach
from tests.quality.helpers import person, response


@pytest.fixture
def flagged(world):
    """A flagged response in each trainer's class and an unflagged one in Mậu A."""
    lan = person(world, phone="0912345678")
    mai = person(world, name="Lò Thị Mai", cls=world.cls_mcc, locality=world.khao_mang)
    mcc_pre = attach(world.cls_mcc, world.v.pre)[0]
    world.r_fast = response(world.forms["pre"], lan, flags=["too_fast"], seconds=3)
    world.r_dup = response(world.forms["post"], lan, flags=["probable_duplicate"])
    world.r_clean = response(world.forms["skill"], lan)
    world.r_mcc = response(mcc_pre, mai, flags=["straight_lining"])
    db.session.flush()
    return world


def queue(client, query=""):
    page = client.get("/quality" + query)
    assert page.status_code == 200, page.text
    return page.text


def test_a_trainer_sees_only_the_classes_they_teach(flagged, login):
    w = flagged
    text = queue(login(w.trainer))
    assert w.r_fast.receipt_code in text and w.r_dup.receipt_code in text
    assert w.r_mcc.receipt_code not in text and w.r_clean.receipt_code not in text
    assert "Finished much faster than the form can be read" in text
    assert "Lớp AI xã Mậu A" in text and "Nguyễn Thị Lan" in text
    assert "0912" not in text and "345678" not in text  # never a phone
    mine = login(w.trainer_mcc)
    assert w.r_mcc.receipt_code in queue(mine) and w.r_fast.receipt_code not in queue(mine)
    assert w.r_fast.receipt_code not in queue(login(w.other_trainer))


def test_a_trainer_cannot_open_or_act_on_another_trainers_response(flagged, login):
    w = flagged
    client = login(w.trainer)
    assert client.get(f"/quality/responses/{w.r_mcc.id}").status_code == 404
    posted = client.post(f"/quality/responses/{w.r_mcc.id}", data={"action": "confirm"})
    assert posted.status_code == 404
    assert login(w.other_trainer).get(f"/quality/responses/{w.r_fast.id}").status_code == 404
    db.session.refresh(w.r_mcc)
    assert w.r_mcc.reviewed_at is None


@pytest.mark.parametrize(
    ("who", "sees_mau_a", "sees_mcc"),
    [
        ("coord_p", True, True),
        ("coord_vy", True, False),
        ("coord_mcc", False, True),
        ("admin", True, True),
    ],
)
def test_coordinators_see_their_scope_and_admins_see_all(flagged, login, who, sees_mau_a, sees_mcc):
    w = flagged
    client = login(getattr(w, who))
    text = queue(client)
    assert (w.r_fast.receipt_code in text) == sees_mau_a
    assert (w.r_mcc.receipt_code in text) == sees_mcc
    status = client.get(f"/quality/responses/{w.r_mcc.id}").status_code
    assert status == (200 if sees_mcc else 404)


def test_evaluators_judges_and_anonymous_are_kept_out(flagged, login, as_user):
    w = flagged
    for user in (w.evaluator, w.judge):
        client = login(user)
        assert client.get("/quality").status_code == 403
        assert client.post(f"/quality/responses/{w.r_fast.id}", data={}).status_code == 403
    anonymous = as_user(None).get("/quality")
    assert anonymous.status_code == 302 and "/login" in anonymous.location


def test_nav_link_for_reviewers_only(flagged, login):
    assert 'href="/quality"' in login(flagged.trainer).get("/quality").text
    assert 'href="/quality"' not in login(flagged.evaluator).get("/campaigns").text


def test_filters_by_flag_class_and_campaign(flagged, login):
    w = flagged
    client = login(w.admin)
    text = queue(client, "?flag=too_fast")
    assert w.r_fast.receipt_code in text and w.r_dup.receipt_code not in text
    text = queue(client, f"?class_id={w.cls_mcc.id}")
    assert w.r_mcc.receipt_code in text and w.r_fast.receipt_code not in text
    text = queue(client, f"?campaign={w.campaign.id}&flag=probable_duplicate")
    assert w.r_dup.receipt_code in text and w.r_mcc.receipt_code not in text
    assert "Probably the same person entered twice" in text


def test_a_filter_outside_the_users_classes_is_refused(flagged, login):
    w = flagged
    page = login(w.trainer).get(f"/quality?class_id={w.cls_mcc.id}")
    assert page.status_code == 400
    assert w.r_mcc.receipt_code not in page.text


def test_detail_explains_the_flags_in_plain_words(flagged, login):
    w = flagged
    text = login(w.trainer).get(f"/quality/responses/{w.r_fast.id}").text
    assert "It took 3 s for 0 answers" in text
    assert "Lớp AI xã Mậu A" in text and w.cls.access_code in text and "Xã Mậu A" in text
    assert "0912" not in text
    admin_text = login(w.admin).get(f"/quality/responses/{w.r_clean.id}").text
    assert "No flag" in admin_text


def audit(response):
    return db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.object_type == "response", AuditEntry.object_id == response.id)
        .order_by(AuditEntry.id)
    ).all()


def act(client, response, **data):
    return client.post(f"/quality/responses/{response.id}", data=data)


def fresh(row):
    db.session.expire_all()
    return db.session.get(Response, row.id)


def test_confirm_keeps_the_response_and_is_audited(flagged, login):
    w = flagged
    client = login(w.trainer)
    done = act(client, w.r_fast, action="confirm", next="/quality?flag=too_fast")
    assert done.status_code == 303 and done.location.endswith("/quality?flag=too_fast")
    row = fresh(w.r_fast)
    assert row.reviewed_at is not None and row.reviewed_by_id == w.trainer.id and not row.excluded
    (entry,) = audit(row)
    assert entry.action == "response.confirmed" and entry.actor_id == w.trainer.id
    assert entry.detail == {"flags": ["too_fast"]}
    assert row.receipt_code not in queue(client)
    assert row.receipt_code in queue(client, "?tab=reviewed")


def test_exclude_needs_a_reason(flagged, login):
    w = flagged
    client = login(w.trainer)
    page = act(client, w.r_dup, action="exclude", reason="   ")
    assert page.status_code == 400
    assert "Please write why this response is excluded." in page.text
    assert not fresh(w.r_dup).excluded and audit(w.r_dup) == []


def test_exclude_then_restore_are_audited(flagged, login):
    w = flagged
    client = login(w.coord_vy)
    reason = "Chị Lan khai hai lần với hai số điện thoại"
    assert act(client, w.r_dup, action="exclude", reason=reason).status_code == 303
    row = fresh(w.r_dup)
    assert row.excluded and row.exclusion_note == reason and row.reviewed_at is not None
    assert row.receipt_code in queue(client, "?tab=excluded")
    assert reason in queue(client, "?tab=excluded")
    assert row.receipt_code not in queue(client)
    detail = client.get(f"/quality/responses/{row.id}").text
    assert "Restore" in detail and reason in detail
    assert act(client, row, action="restore").status_code == 303
    row = fresh(row)
    assert not row.excluded and row.exclusion_note == ""
    assert [e.action for e in audit(row)] == ["response.excluded", "response.restored"]
    assert audit(row)[0].detail["reason"] == reason
    assert audit(row)[1].detail == {"previous_reason": reason}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "delete"}, "Choose keep, exclude or restore."),
        ({}, "Choose keep, exclude or restore."),
        ({"action": "restore"}, "This response is not excluded."),
        ({"action": "exclude", "reason": "x" * 501}, "keep the reason under 500 characters."),
    ],
)
def test_bad_actions_are_400_with_a_message(flagged, login, data, message):
    w = flagged
    page = act(login(w.trainer), w.r_fast, **data)
    assert page.status_code == 400
    assert message in page.text
    assert audit(w.r_fast) == []


def test_an_excluded_response_must_be_restored_not_kept(flagged, login):
    w = flagged
    client = login(w.trainer)
    act(client, w.r_fast, action="exclude", reason="Làm quá nhanh")
    page = act(client, w.r_fast, action="confirm")
    assert page.status_code == 400 and "Restore it to count it again." in page.text


def test_an_unsafe_next_falls_back_to_the_queue(flagged, login):
    done = act(login(flagged.trainer), flagged.r_fast, action="confirm", next="//evil.example")
    assert done.status_code == 303 and done.location.endswith("/quality")


def test_actions_need_a_csrf_token(flagged, login, app):
    client = login(flagged.trainer)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = act(client, flagged.r_fast, action="confirm")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert page.status_code == 400
    assert fresh(flagged.r_fast).reviewed_at is None


def test_pages_render_in_vietnamese(flagged, as_user):
    client = as_user(flagged.trainer, "vi")
    assert client.get("/quality").status_code == 200
    page = client.post(f"/quality/responses/{flagged.r_fast.id}", data={"action": "exclude"})
    assert page.status_code == 400


def test_detail_lists_the_probable_other_self_without_phones(flagged, login):
    w = flagged
    twin = person(w, name="Nguyễn Thị Lan", phone="0987654321")  # a second phone: a new person
    text = login(w.trainer).get(f"/quality/responses/{w.r_dup.id}").text
    assert twin.public_id in text and "born 1985" in text
    assert "0987" not in text and "654321" not in text
