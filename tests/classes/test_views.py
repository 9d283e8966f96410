"""Class pages over HTTP: list and filters, the class form, status changes, CSRF."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from surveyapp.classes.models import TrainingClass
from surveyapp.classes.services import ACCESS_CODE_ALPHABET
from surveyapp.extensions import db

from .conftest import PASSWORD, class_form, make_class


def _text(response) -> str:
    return response.get_data(as_text=True)


def _newest() -> TrainingClass:
    return db.session.scalar(sa.select(TrainingClass).order_by(TrainingClass.id.desc()))


def test_log_in_through_the_form_and_list_classes(world, app):
    client = app.test_client()
    response = client.post("/login", data={"email": world.coord_a.email, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/classes")
    assert page.status_code == 200
    assert "Lớp AI Mù Cang Chải" in _text(page)


# ---------------------------------------------------------------- list


def test_list_filters_by_campaign_status_and_locality(world, as_user, f):
    other_campaign = f.campaign(world.province, name="Chiến dịch Văn Yên 2026")
    later = make_class(f, other_campaign, world.b, title="Lớp AI doanh nghiệp")
    world.class_b.status = "cancelled"
    db.session.flush()
    client = as_user(world.coord_p)

    def codes(query: str) -> set[str]:
        response = client.get(f"/classes?{query}")
        assert response.status_code == 200
        text = _text(response)
        every = (world.class_a, world.class_b, later)
        return {c.access_code for c in every if c.access_code in text}

    all_codes = {world.class_a.access_code, world.class_b.access_code, later.access_code}
    assert codes("") == all_codes
    assert codes(f"campaign={other_campaign.id}") == {later.access_code}
    assert codes("status=cancelled") == {world.class_b.access_code}
    assert codes(f"locality={world.b.id}") == {world.class_b.access_code, later.access_code}
    assert codes(f"locality={world.province.id}") == all_codes
    both = f"campaign={world.campaign.id}&locality={world.b.id}&status="
    assert codes(both) == {world.class_b.access_code}


def test_list_filter_choices_stay_in_scope(world, as_user):
    page = _text(as_user(world.coord_a).get(f"/classes?campaign={world.campaign.id}"))
    assert f'value="{world.a.id}"' in page and f'value="{world.b.id}"' not in page
    page = _text(as_user(world.coord_a).get("/classes"))
    assert "Xã Mù Cang Chải" in page and "Xã Văn Yên" not in page


@pytest.mark.parametrize(
    "query", ["status=bogus", "campaign=abc", "campaign=999999", "locality=nope"]
)
def test_bad_filter_is_400_and_lists_unfiltered(world, as_user, query):
    response = as_user(world.coord_a).get(f"/classes?{query}")
    assert response.status_code == 400
    assert world.class_a.access_code in _text(response)


def test_list_is_paginated_and_keeps_filters(world, as_user, f):
    for n in range(23):
        make_class(f, world.campaign, world.a, title=f"Lớp phân trang {n}", status="ongoing")
    client = as_user(world.coord_a)
    first = _text(client.get("/classes?status=ongoing"))
    assert first.count("Lớp phân trang") == 20
    assert "page=2" in first and "status=ongoing" in first
    second = _text(client.get("/classes?status=ongoing&page=2"))
    assert second.count("Lớp phân trang") == 3
    assert "Lớp AI Mù Cang Chải" not in second
    odd = client.get("/classes?status=ongoing&_scheme=javascript&_external=1")
    pager = re.findall(r'rel="next" href="([^"]*)"', _text(odd))
    assert odd.status_code == 200 and pager == ["/classes?page=2&amp;status=ongoing"]
    empty = client.get("/classes?page=99")
    assert empty.status_code == 200 and "No class matches." in _text(empty)


def test_list_offers_new_class_links_to_managers_only(world, as_user):
    url = f"/campaigns/{world.campaign.id}/classes/new"
    assert url in _text(as_user(world.trainer_a).get("/classes"))
    assert url not in _text(as_user(world.evaluator_a).get("/classes"))


# ---------------------------------------------------------------- create


def test_new_form_offers_scoped_localities_and_trainers(world, as_user):
    page = _text(as_user(world.coord_a).get(f"/campaigns/{world.campaign.id}/classes/new"))
    assert f'<option value="{world.a.id}"' in page
    assert f'<option value="{world.b.id}"' not in page
    assert "Nguyễn Văn Tâm" in page and "Trần Thị Hà" in page  # same commune, province
    assert "Hoàng Văn Bình" not in page  # sibling commune


def test_coordinator_creates_a_class(world, as_user):
    client = as_user(world.coord_a)
    response = client.post(f"/campaigns/{world.campaign.id}/classes/new", data=class_form(world))
    assert response.status_code == 302
    cls = _newest()
    assert response.headers["Location"] == f"/classes/{cls.id}"
    assert cls.title == "Lớp bình dân học AI – thôn Đồng Tâm"
    assert cls.venue == "Nhà văn hóa thôn Đồng Tâm"
    assert (cls.start_date, cls.end_date) == (date(2026, 3, 10), date(2026, 3, 11))
    assert cls.capacity == 40 and cls.segment == "official" and cls.status == "planned"
    assert [t.id for t in cls.trainers] == [world.trainer_a.id]
    assert len(cls.access_code) == 6 and set(cls.access_code) <= set(ACCESS_CODE_ALPHABET)
    detail = _text(client.get(response.headers["Location"]))
    assert cls.access_code in detail and "Lớp bình dân học AI – thôn Đồng Tâm" in detail


def test_trainer_opens_a_class_and_becomes_its_trainer(world, as_user):
    client = as_user(world.trainer_a2)
    data = class_form(world, trainers=[])
    response = client.post(f"/campaigns/{world.campaign.id}/classes/new", data=data)
    assert response.status_code == 302
    cls = _newest()
    assert [t.id for t in cls.trainers] == [world.trainer_a2.id]
    assert client.get(f"/classes/{cls.id}/sheet").status_code == 200


BAD_INPUT = [
    ({"title": ""}, "This field is required."),
    ({"end_date": "2026-03-09"}, "The last day cannot be before the first day."),
    ({"start_date": "2025-12-30"}, "within the campaign period (01/01/2026 – 31/12/2026)"),
    ({"end_date": "2027-01-02"}, "within the campaign period"),
    ({"start_date": "10/03/2026"}, "Not a valid date value."),
    ({"capacity": "-1"}, "Enter a number from 0 to 1000."),
    ({"capacity": "5000"}, "Enter a number from 0 to 1000."),
    ({"capacity": "nhiều"}, "Not a valid integer value."),
    ({"segment": "aliens"}, "Not a valid choice."),
    ({"locality": "abc"}, "Invalid Choice"),
    ({"trainers": ["abc"]}, "Invalid choice(s)"),
]


@pytest.mark.parametrize("overrides, message", BAD_INPUT)
def test_bad_input_keeps_everything_typed(world, as_user, overrides, message):
    client = as_user(world.coord_a)
    data = class_form(world, **overrides)
    response = client.post(f"/campaigns/{world.campaign.id}/classes/new", data=data)
    assert response.status_code == 400
    page = _text(response)
    assert message in page
    assert 'value="Nhà văn hóa thôn Đồng Tâm"' in page
    if "title" not in overrides:
        assert 'value="Lớp bình dân học AI – thôn Đồng Tâm"' in page
    assert db.session.scalar(sa.select(sa.func.count(TrainingClass.id))) == 2


def test_trainer_of_the_wrong_commune_is_refused_with_a_message(world, as_user):
    client = as_user(world.admin)
    data = class_form(world, trainers=[str(world.trainer_b.id)])
    response = client.post(f"/campaigns/{world.campaign.id}/classes/new", data=data)
    assert response.status_code == 400
    assert "Hoàng Văn Bình does not work in Xã Mù Cang Chải." in _text(response)


def test_sibling_locality_and_trainer_are_not_valid_choices(world, as_user):
    client = as_user(world.coord_a)
    url = f"/campaigns/{world.campaign.id}/classes/new"
    assert client.post(url, data=class_form(world, locality=str(world.b.id))).status_code == 400
    data = class_form(world, trainers=[str(world.trainer_b.id)])
    assert client.post(url, data=data).status_code == 400


def test_closed_campaign_refuses_new_classes(world, as_user):
    world.campaign.status = "closed"
    db.session.flush()
    response = as_user(world.coord_a).get(f"/campaigns/{world.campaign.id}/classes/new")
    assert response.status_code == 400
    assert "The campaign is closed" in _text(response)


# ---------------------------------------------------------------- edit and status


def test_edit_form_is_prefilled(world, as_user):
    page = _text(as_user(world.coord_a).get(f"/classes/{world.class_a.id}/edit"))
    assert 'value="Lớp AI Mù Cang Chải"' in page
    assert f'<option selected value="{world.a.id}"' in page
    found = re.findall(r'<input (checked )?id="trainers-\d+" [^>]*value="(\d+)">', page)
    boxes = {int(value): bool(checked) for checked, value in found}
    assert boxes[world.trainer_a.id] is True
    assert boxes[world.trainer_a2.id] is False and boxes[world.trainer_p.id] is False


def test_edit_saves_and_keeps_the_code(world, as_user):
    cls = world.class_a
    code = cls.access_code
    data = class_form(world, title="Lớp AI nâng cao", trainers=[str(world.trainer_p.id)])
    response = as_user(world.coord_p).post(f"/classes/{cls.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert cls.title == "Lớp AI nâng cao" and cls.access_code == code
    assert [t.id for t in cls.trainers] == [world.trainer_p.id]


def test_edit_bad_input_is_400_and_changes_nothing(world, as_user):
    data = class_form(world, title="Tên mới Văn Yên", end_date="2026-01-01")
    response = as_user(world.coord_a).post(f"/classes/{world.class_a.id}/edit", data=data)
    assert response.status_code == 400
    assert 'value="Tên mới Văn Yên"' in _text(response)
    db.session.expire_all()
    assert world.class_a.title == "Lớp AI Mù Cang Chải"


def test_status_change_and_cancel(world, as_user):
    client = as_user(world.trainer_a)
    url = f"/classes/{world.class_a.id}/status"
    assert client.post(url, data={"status": "ongoing"}).status_code == 302
    assert client.post(url, data={"status": "cancelled"}).status_code == 302
    db.session.expire_all()
    assert world.class_a.status == "cancelled"
    page = _text(client.get(f"/classes/{world.class_a.id}"))
    assert "Cancelled" in page


@pytest.mark.parametrize("status", ["planned", "whatever", ""])
def test_bad_status_change_is_400(world, as_user, status):
    response = as_user(world.coord_a).post(
        f"/classes/{world.class_a.id}/status", data={"status": status}
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert world.class_a.status == "planned"


def test_csrf_is_enforced(world, as_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client = as_user(world.coord_a)
    response = client.post(f"/campaigns/{world.campaign.id}/classes/new", data=class_form(world))
    assert response.status_code == 400
    response = client.post(f"/classes/{world.class_a.id}/status", data={"status": "ongoing"})
    assert response.status_code == 400
    db.session.expire_all()
    assert world.class_a.status == "planned"


def test_pages_work_in_vietnamese(world, as_user):
    client = as_user(world.coord_a, lang="vi")
    for url in (
        "/classes",
        f"/classes/{world.class_a.id}",
        f"/classes/{world.class_a.id}/edit",
        f"/classes/{world.class_a.id}/sheet",
        f"/campaigns/{world.campaign.id}/classes/new",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Mù Cang Chải" in _text(response)
