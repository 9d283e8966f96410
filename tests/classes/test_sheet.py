"""The printable class sheet and the QR code of the class link."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 (parsing our own output)

import segno

from surveyapp.classes import qr
from surveyapp.extensions import db

from .conftest import make_class

SVG_NS = "{http://www.w3.org/2000/svg}"


def _matrix_of(link: str) -> list[tuple]:
    return [tuple(row) for row in segno.make(link, error=qr.ERROR_LEVEL, micro=False).matrix]


def test_sheet_has_code_link_inline_svg_and_class_facts(world, as_user, f):
    cls = world.class_a
    cls.venue = "Nhà văn hóa bản Khau Phạ"
    cls.trainers = [world.trainer_a, world.trainer_p]
    db.session.flush()
    response = as_user(world.trainer_a).get(f"/classes/{cls.id}/sheet")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<p class="sheet-code">{cls.access_code}</p>' in page
    assert f"http://localhost/c/{cls.access_code}" in page
    svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
    assert 'viewBox="' in svg and "<path" in svg
    assert f"QR code of class {cls.access_code}" in svg
    for text in (
        "Lớp AI Mù Cang Chải",
        "Xã Mù Cang Chải",
        "01/03/2026",
        "Nhà văn hóa bản Khau Phạ",
        "Nguyễn Văn Tâm",
        "Trần Thị Hà",
        "Open the link or scan the QR code",
    ):
        assert text in page, text
    assert "<script" not in page and 'style="' not in page


def test_sheet_uses_public_base_url_when_set(world, as_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://hoc-ai.laocai.gov.vn/")
    cls = world.class_a
    client = as_user(world.coord_a)
    page = client.get(f"/classes/{cls.id}/sheet").get_data(as_text=True)
    link = f"https://hoc-ai.laocai.gov.vn/c/{cls.access_code}"
    assert link in page and "http://localhost/c/" not in page
    inline = qr.svg_inline(link, f"QR code of class {cls.access_code}")
    assert inline in page
    assert link in client.get(f"/classes/{cls.id}").get_data(as_text=True)


def test_qr_endpoint_serves_a_valid_svg_of_the_link(world, as_user):
    cls = world.class_a
    response = as_user(world.evaluator_a).get(f"/classes/{cls.id}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert cls.access_code in response.headers["Content-Disposition"]
    root = ET.fromstring(response.data)  # noqa: S314
    assert root.tag == f"{SVG_NS}svg"
    assert root.find(f"{SVG_NS}title").text == f"QR code of class {cls.access_code}"
    assert root.find(f"{SVG_NS}path") is not None
    expected = qr.svg_document(f"http://localhost/c/{cls.access_code}", root[0].text)
    assert response.data == expected


def test_qr_encodes_each_class_link():
    first = _matrix_of("http://localhost/c/ABC234")
    assert first != _matrix_of("http://localhost/c/ABC235")
    assert qr.svg_inline("http://localhost/c/ABC234", "t") != qr.svg_inline(
        "http://localhost/c/ABC235", "t"
    )
    inline = qr.svg_inline("http://localhost/c/ABC234", "Mã QR lớp <ABC234>")
    assert inline.startswith("<svg") and "Mã QR lớp &lt;ABC234&gt;" in inline
    ET.fromstring(inline)  # noqa: S314  (well-formed)


def test_sheet_in_vietnamese_keeps_diacritics(world, as_user, f):
    cls = make_class(
        f, world.campaign, world.a, [world.trainer_a], title="Lớp Văn Yên – Mù Cang Chải"
    )
    page = as_user(world.coord_a, lang="vi").get(f"/classes/{cls.id}/sheet").get_data(as_text=True)
    assert "Lớp Văn Yên – Mù Cang Chải" in page and cls.access_code in page
