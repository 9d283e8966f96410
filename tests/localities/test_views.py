"""Locality pages: access per role and scope, breadcrumb, counts, crosswalk, search, upload."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.localities.models import Locality

from .conftest import unit


def page(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def place(f):
    province, a, b = f.tree()
    return {"province": province, "a": a, "b": b}


def urls(place):
    return [
        "/localities",
        "/localities/search?q=xa",
        f"/localities/{place['a'].id}",
    ]


def test_anonymous_is_sent_to_login(client, place):
    for url in [*urls(place), "/localities/import"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


@pytest.mark.parametrize("role", ["admin", "coordinator", "trainer", "evaluator", "judge"])
def test_roles(login, f, place, role):
    client = login(f.user(role=role, locality=None if role == "admin" else place["province"]))
    expected = 403 if role == "judge" else 200
    for url in urls(place):
        assert client.get(url).status_code == expected, url
    assert client.get("/localities/import").status_code == (200 if role == "admin" else 403)


def test_sibling_and_unknown_ids_give_404(login, f, place):
    client = login(f.user(role="coordinator", locality=place["a"]))
    assert client.get(f"/localities/{place['a'].id}").status_code == 200
    assert client.get(f"/localities/{place['b'].id}").status_code == 404
    assert client.get(f"/localities/{place['province'].id}").status_code == 404
    assert client.get("/localities/999999").status_code == 404
    evaluator = login(f.user(role="evaluator", locality=place["b"]))
    assert evaluator.get(f"/localities/{place['a'].id}").status_code == 404


def test_index_lists_schemes_and_roots_in_scope(login, f, province15):
    other = f.locality("Tỉnh Điện Biên", scheme="2025", kind="province")
    client = login(f.user(role="coordinator", locality=unit("2025", "15")))
    html = page(client.get("/localities"))
    assert "Địa giới 2 cấp (từ 01/07/2025)" in html and "Địa giới 3 cấp (trước 01/07/2025)" in html
    assert "Tỉnh Lào Cai" in html and "Tỉnh Yên Bái" in html
    assert other.name not in html
    admin = login(f.user(role="admin"))
    assert other.name in page(admin.get("/localities"))


def test_province_page_breadcrumb_children_and_counts(login, f, province15):
    client = login(f.user(role="evaluator", locality=unit("2025", "15")))
    yen_bai = unit("2024", "15")
    html = page(client.get(f"/localities/{yen_bai.id}"))
    assert "Huyện Văn Yên" in html and "Huyện Mù Căng Chải" in html
    row = re.search(
        r"Huyện Văn Yên</a></td>\s*<td>136</td>\s*<td>[^<]*</td>\s*<td class=\"num\">(\d+)", html
    )
    assert row and row.group(1) == "25"
    assert "Tỉnh Lào Cai" in html  # became
    van_yen = unit("2024", "136")
    html = page(client.get(f"/localities/{van_yen.id}"))
    assert f'<li><a href="/localities/{yen_bai.id}">Tỉnh Yên Bái</a></li>' in html
    assert html.count('<td class="num">0</td>') == 25


def test_crosswalk_both_ways_with_partial_flag(login, f, province15):
    client = login(f.user(role="admin"))
    html = page(client.get(f"/localities/{unit('2025', '04375').id}"))
    for old_name in ["Thị trấn Mậu A", "Xã Mậu Đông", "Xã Ngòi A", "Xã An Thịnh", "Xã Yên Thái"]:
        assert old_name in html
    html = page(client.get(f"/localities/{unit('2024', '04423').id}"))
    assert "Xã Phong Dụ Thượng" in html
    assert 'class="badge"' in html  # the partial flag


def test_children_are_paginated(login, f, province15):
    client = login(f.user(role="admin"))
    lao_cai = unit("2025", "15").id
    first = page(client.get(f"/localities/{lao_cai}"))
    cells = '<td class="num">'
    assert first.count(cells) == 50 and 'rel="next"' in first
    second = page(client.get(f"/localities/{lao_cai}?page=2"))
    assert second.count(cells) == 49 and 'rel="prev"' in second
    assert client.get(f"/localities/{lao_cai}?page=abc").status_code == 200
    assert page(client.get(f"/localities/{lao_cai}?page=999")).count(cells) == 49


def test_search_ignores_accents_and_stays_in_scope(login, f, province15):
    outside = f.locality("Xã Mù Cang Chải", parent=f.locality("Tỉnh Khác", scheme="2025"))
    client = login(f.user(role="coordinator", locality=unit("2025", "15")))
    html = page(client.get("/localities/search", query_string={"q": "MU CANG chai"}))
    assert "Huyện Mù Căng Chải" in html and "Thị trấn Mù Căng Chải" in html
    assert f"/localities/{outside.id}" not in html
    html = page(client.get("/localities/search", query_string={"q": "xa", "scheme": "2025"}))
    assert "Xã Mậu A" in html and "Thị trấn Mậu A" not in html
    assert html.count(">2025</span></td>") == 50  # capped; a note says so


@pytest.mark.parametrize(
    "query", [{"q": "x"}, {"q": ""}, {"q": "   "}, {"q": "x" * 101}, {"q": "xa", "scheme": "1999"}]
)
def test_search_bad_input_is_400_with_message(login, f, place, query):
    client = login(f.user(role="admin"))
    response = client.get("/localities/search", query_string=query)
    assert response.status_code == 400
    assert 'class="error"' in page(response)


def upload(client, content: bytes, filename: str):
    return client.post(
        "/localities/import",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_upload_good_file(login, f):
    f.scheme("2025")
    client = login(f.user(role="admin"))
    csv = (
        "scheme,code,name,kind,parent_code\n"
        "2025,04375,Xã Mậu A,commune,15\n"
        "2025,15,Tỉnh Lào Cai,province,\n"
    )
    response = upload(client, csv.encode(), "lao-cai.csv")
    assert response.status_code == 302
    assert unit("2025", "04375").parent_id == unit("2025", "15").id
    assert "flash-success" in page(client.get(response.headers["Location"]))


def test_upload_bad_file_reports_rows_and_imports_nothing(login, f):
    f.scheme("2025")
    client = login(f.user(role="admin"))
    csv = (
        "scheme,code,name,kind,parent_code\n"
        "2025,15,Tỉnh Lào Cai,province,\n"
        "2025,04375,,commune,15\n"
        "2025,04378,Xã X,commune,404\n"
    )
    response = upload(client, csv.encode(), "bad.csv")
    assert response.status_code == 400
    html = page(response)
    assert "<td>3</td>" in html and "<td>4</td>" in html
    assert db.session.scalar(sa.select(sa.func.count(Locality.id))) == 0


@pytest.mark.parametrize(
    ("content", "filename"),
    [(b"scheme,code\n", "x.csv"), (b"hello", "x.txt"), (b"not xlsx", "x.xlsx"), (b"", "")],
)
def test_upload_unusable_files_are_400(login, f, content, filename):
    client = login(f.user(role="admin"))
    response = upload(client, content, filename) if filename else client.post("/localities/import")
    assert response.status_code == 400
    assert 'class="error"' in page(response)


def test_upload_needs_csrf_token(app, login, f, monkeypatch):
    client = login(f.user(role="admin"))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = upload(client, b"scheme,code,name,kind,parent_code\n", "x.csv")
    assert response.status_code == 400
