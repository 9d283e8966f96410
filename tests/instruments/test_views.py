"""Instrument pages over HTTP: list, version, preview, export, clone, text edits, import,
with access per role and scope (a sibling commune's instrument is a 404)."""

from __future__ import annotations

import io
import json
import secrets
from types import SimpleNamespace

import pytest
import yaml
from werkzeug.security import generate_password_hash

from surveyapp.accounts.models import User
from surveyapp.extensions import db
from surveyapp.instruments import imports, services

from . import workbooks
from .helpers import make_instrument, respond

_HASH = generate_password_hash("password123")
READERS = ("admin", "coordinator", "trainer", "evaluator")


def make_user(role, locality=None):
    token = secrets.token_hex(6)
    user = User(
        email=f"{role}-{token}@example.vn",
        name=f"Người dùng {token}",
        role=role,
        password_hash=_HASH,
        session_token=secrets.token_hex(16),
    )
    user.locality = locality
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture
def w(f):
    """Communes A (Mù Cang Chải) and B (Văn Yên) of a province; instruments of each owner."""
    province, a, b = f.tree()
    w = SimpleNamespace(province=province, a=a, b=b)
    w.users = {
        "admin": make_user("admin"),
        "coordinator": make_user("coordinator", a),
        "trainer": make_user("trainer", a),
        "evaluator": make_user("evaluator", a),
        "judge": make_user("judge", a),
    }
    w.coord_b = make_user("coordinator", b)
    w.coord_p = make_user("coordinator", province)
    w.national = make_instrument("quoc-gia")
    w.local = make_instrument("xa-a", locality=a)
    w.province_owned = make_instrument("tinh", locality=province)
    w.sibling = make_instrument("xa-b", locality=b)
    return w


def vurl(version, suffix=""):
    return f"/instruments/{version.instrument_id}/versions/{version.number}{suffix}"


# ---------------------------------------------------------------- access


def test_list_shows_national_own_and_higher_but_not_sibling(w, as_user):
    for role in READERS:
        page = as_user(w.users[role]).get("/instruments")
        assert page.status_code == 200, role
        text = page.get_data(as_text=True)
        assert "quoc-gia" in text and "xa-a" in text and "tinh" in text
        assert ("xa-b" in text) == (role == "admin"), role
    assert as_user(w.users["judge"]).get("/instruments").status_code == 403
    anonymous = as_user(None).get("/instruments")
    assert anonymous.status_code == 302 and "/login" in anonymous.location


@pytest.mark.parametrize("suffix", ["", "/preview", "/export", "/items/story"])
def test_sibling_scope_instruments_are_404(w, as_user, suffix):
    url = vurl(w.sibling, suffix)
    assert as_user(w.coord_p).get(vurl(w.sibling)).status_code == 200  # the province sees B
    for user in (w.users["coordinator"], w.users["trainer"], w.users["evaluator"]):
        if suffix == "/items/story" and user.role != "coordinator":
            assert as_user(user).get(url).status_code == 403
        else:
            assert as_user(user).get(url).status_code == 404, (user.role, url)
    assert as_user(w.users["coordinator"]).post(vurl(w.sibling, "/clone")).status_code == 404
    assert (
        as_user(w.users["coordinator"]).get(f"/instruments/{w.sibling.instrument_id}").status_code
        == 404
    )


def test_unknown_ids_versions_and_items_are_404(w, as_user):
    admin = as_user(w.users["admin"])
    assert admin.get("/instruments/999999").status_code == 404
    assert admin.get(f"/instruments/{w.local.instrument_id}/versions/9").status_code == 404
    assert admin.get(vurl(w.local, "/items/nowhere")).status_code == 404


def test_readers_see_versions_but_cannot_change(w, as_user):
    for role in ("trainer", "evaluator"):
        client = as_user(w.users[role])
        page = client.get(f"/instruments/{w.local.instrument_id}")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "How often do you use AI?" in text
        assert "Edit texts" not in text and "Make a new version" not in text
        assert client.post(vurl(w.local, "/clone")).status_code == 403
        assert client.get(vurl(w.local, "/items/story")).status_code == 403
        assert client.get("/instruments/import").status_code == 403
    judge = as_user(w.users["judge"])
    for url in (vurl(w.local), vurl(w.local, "/preview"), vurl(w.local, "/export")):
        assert judge.get(url).status_code == 403


# ---------------------------------------------------------------- version, preview, export


def test_version_page_for_a_manager(w, as_user):
    text = as_user(w.users["coordinator"]).get(vurl(w.local)).get_data(as_text=True)
    assert "Edit texts" in text and "Make a new version" in text and "Download YAML" in text
    national = as_user(w.users["coordinator"]).get(vurl(w.national)).get_data(as_text=True)
    assert "Copy into my area to edit" in national and "Edit texts" not in national


def test_preview_pages_through_as_a_trainee_sees_it(w, as_user):
    client = as_user(w.users["trainer"])
    first = client.get(vurl(w.local, "/preview"))
    assert first.status_code == 200
    text = first.get_data(as_text=True)
    assert 'name="ai_frequency"' in text and 'value="daily"' in text
    assert "Page 1 of 2" in text and "?page=2" in text
    second = client.get(vurl(w.local, "/preview?page=2")).get_data(as_text=True)
    assert 'name="hours"' in second and 'inputmode="numeric"' in second
    assert "Tell an example" in second
    vietnamese = as_user(w.users["trainer"], lang="vi").get(vurl(w.local, "/preview?page=2"))
    assert "Kể một ví dụ ở Mù Cang Chải" in vietnamese.get_data(as_text=True)
    assert "${ai_frequency} = &#39;daily&#39;" in second  # the condition is listed
    assert client.get(vurl(w.local, "/preview?page=3")).status_code == 404
    assert client.get(vurl(w.local, "/preview?page=0")).status_code == 404


def test_export_downloads_yaml_and_json(w, as_user):
    client = as_user(w.users["evaluator"])
    response = client.get(vurl(w.local, "/export?format=yaml"))
    assert response.status_code == 200
    assert 'filename="xa-a-v1.yaml"' in response.headers["Content-Disposition"]
    data = yaml.safe_load(response.get_data(as_text=True))
    assert (
        data["key"] == "xa-a" and data["items"][2]["label"]["vi"] == "Kể một ví dụ ở Mù Cang Chải"
    )
    as_json = json.loads(client.get(vurl(w.local, "/export?format=json")).get_data(as_text=True))
    assert as_json == data
    assert client.get(vurl(w.local, "/export?format=pdf")).status_code == 400


# ---------------------------------------------------------------- new versions and edits


def test_clone_makes_a_new_version_for_the_owner(w, as_user):
    response = as_user(w.users["coordinator"]).post(vurl(w.local, "/clone"))
    assert response.status_code == 302 and response.location.endswith(vurl(w.local)[:-1] + "2")
    db.session.expire_all()
    assert [v.number for v in w.local.instrument.versions] == [1, 2]


def test_a_coordinator_copies_a_national_instrument(w, as_user):
    response = as_user(w.users["coordinator"]).post(vurl(w.national, "/clone"))
    assert response.status_code == 302
    copy = services.find_instrument(f"quoc-gia-{w.a.code}")
    assert copy is not None and copy.locality_id == w.a.id
    db.session.expire_all()
    assert len(w.national.instrument.versions) == 1


def test_edit_item_texts(w, as_user):
    client = as_user(w.users["coordinator"])
    url = vurl(w.local, "/items/ai_frequency")
    page = client.get(url).get_data(as_text=True)
    assert "Bạn dùng AI bao lâu một lần?" in page and "Option daily (Vietnamese)" in page
    assert "How often do you use AI?" in page
    form = {
        "label_vi": "Bạn dùng công cụ AI bao lâu một lần?",
        "label_en": "How often do you use AI tools?",
        "hint_vi": "Tính trong 30 ngày qua",
        "choice_0_vi": "Chưa dùng lần nào",
        "choice_0_en": "Never",
        "choice_1_vi": "Mỗi ngày",
        "choice_1_en": "Every day",
    }
    response = client.post(url, data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    item = w.local.items[0]
    db.session.refresh(item)
    assert item.label == {
        "vi": "Bạn dùng công cụ AI bao lâu một lần?",
        "en": "How often do you use AI tools?",
    }
    assert item.hint == {"vi": "Tính trong 30 ngày qua"}
    assert item.choices[1]["label"] == {"vi": "Mỗi ngày", "en": "Every day"}


def test_bad_item_form_is_shown_again_with_what_was_typed(w, as_user):
    client = as_user(w.users["admin"])
    response = client.post(
        vurl(w.local, "/items/ai_frequency"),
        data={
            "label_vi": "",
            "label_en": "Kept English text",
            "choice_0_vi": "Chưa dùng",
            "choice_1_vi": "",
        },
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Kept English text" in text and 'aria-invalid="true"' in text
    assert w.local.items[0].label["vi"] == "Bạn dùng AI bao lâu một lần?"


def test_a_frozen_version_shows_a_notice_and_offers_a_new_version(w, as_user):
    respond(w.local)
    client = as_user(w.users["coordinator"])
    page = client.get(vurl(w.local)).get_data(as_text=True)
    assert "frozen" in page and "Make a new version" in page and "Edit texts" not in page
    form_page = client.get(vurl(w.local, "/items/story"))
    assert form_page.status_code == 200 and "frozen" in form_page.get_data(as_text=True)
    refused = client.post(vurl(w.local, "/items/story"), data={"label_vi": "Mới"})
    assert refused.status_code == 400
    assert w.local.items[2].label["vi"] == "Kể một ví dụ ở Mù Cang Chải"


def test_national_items_are_edited_by_admins_only(w, as_user):
    assert as_user(w.users["coordinator"]).get(vurl(w.national, "/items/story")).status_code == 403
    assert as_user(w.users["admin"]).get(vurl(w.national, "/items/story")).status_code == 200


# ---------------------------------------------------------------- import


def upload(client, data: bytes, name: str, **fields):
    return client.post(
        "/instruments/import",
        data={"file": (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )


def test_import_page_and_a_good_xlsform(w, as_user):
    client = as_user(w.users["coordinator"])
    assert client.get("/instruments/import").status_code == 200
    response = upload(
        client, workbooks.unsupported(), "kobo.xlsx", key="kobo-xa-a", kind="follow_up"
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "kobo-xa-a" in text and "geopoint" in text and "Repeat groups" in text
    instrument = services.find_instrument("kobo-xa-a")
    assert instrument.locality_id == w.a.id and instrument.kind == "follow_up"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"hello", "form.pdf", "Only .xlsx, .xls, .yaml, .yml or .json"),
        (b"this is not a workbook", "form.xlsx", "not a readable Excel workbook"),
        (b"x" * (64 * 1024 + 1), "big.xlsx", "too large (at most 64 KB)"),
        (workbooks.no_survey_sheet(), "form.xlsx", "survey"),
        (workbooks.bad_expression(), "form.xlsx", "regex"),
        (b"key: [", "form.yaml", "cannot be read"),
    ],
)
def test_bad_uploads_are_400_with_a_message(w, as_user, monkeypatch, data, name, message):
    # A small limit: werkzeug's test client leaks a temporary file for bodies over 500 KB.
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 64 * 1024)
    response = upload(as_user(w.users["admin"]), data, name, key="hong")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text
    assert 'value="hong"' in text  # what was typed is kept
    assert services.find_instrument("hong") is None


def test_import_without_a_file_is_400(w, as_user):
    response = as_user(w.users["admin"]).post("/instruments/import", data={})
    assert response.status_code == 400 and "Choose a file." in response.get_data(as_text=True)


def test_import_into_a_key_the_coordinator_may_not_change(w, as_user):
    response = upload(
        as_user(w.users["coordinator"]), workbooks.flat_survey(), "f.xlsx", key="quoc-gia"
    )
    assert response.status_code == 400
    assert "choose another key" in response.get_data(as_text=True)


def test_forms_need_a_csrf_token(w, as_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client = as_user(w.users["admin"])
    assert client.post(vurl(w.local, "/clone")).status_code == 400
    assert upload(client, workbooks.flat_survey(), "f.xlsx").status_code == 400
    db.session.expire_all()
    assert len(w.local.instrument.versions) == 1
    assert services.find_instrument("khao_sat_van_yen") is None
