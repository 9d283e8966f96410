"""The printed certificate: one A4 landscape page whose text holds the holder's Vietnamese
name, the title, the issuing body and the verification code, with fonts embedded."""

from __future__ import annotations

import re
import subprocess

import pytest

from surveyapp.certificates import printing, services

from .conftest import HOLDER

pytest.importorskip("weasyprint")


def _run(tool: str, pdf: bytes, tmp_path, *args: str) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    output = ["-"] if tool == "pdftotext" else []
    return subprocess.run(
        [tool, *args, str(path), *output], capture_output=True, check=True, text=True
    ).stdout


@pytest.fixture
def issued(cw):
    return services.issue_completion(cw.passed, cw.class_a, cw.trainer_a)


def test_the_pdf_holds_name_title_body_and_code(cw, issued, as_user, tmp_path, monkeypatch, app):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://hoc-ai.laocai.gov.vn/")
    response = as_user(None).get(f"/certificates/{issued.code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"certificate-{issued.code}.pdf" in response.headers["Content-Disposition"]
    text = " ".join(_run("pdftotext", response.data, tmp_path, "-layout").split())
    assert HOLDER in text
    assert cw.class_a.title in text
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH LÀO CAI" in text
    assert issued.display_code in text
    assert f"https://hoc-ai.laocai.gov.vn/verify/{issued.code}" in text
    without_code = text.replace(issued.display_code, "").replace(issued.code, "")
    assert "85" not in without_code  # the score stays off the certificate
    info = _run("pdfinfo", response.data, tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    assert re.search(r"^Page size:\s+841\.89 x 595\.2\d+ pts \(A4\)$", info, re.MULTILINE)
    fonts = _run("pdffonts", response.data, tmp_path)
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("Surveyapp-Serif" in row[0] for row in rows)
    assert all(row[-5] == "yes" for row in rows)  # every font embedded


def test_the_page_carries_a_qr_code_to_the_verification_page(cw, issued, app):
    with app.test_request_context("/"):
        html = printing.certificate_html(issued)
    assert "<svg" in html and 'class="qr-code"' in html
    assert f"/verify/{issued.code}" in html


def test_the_award_certificate_reads_as_an_award(cw, as_user, tmp_path):
    award = services.issue_award(
        "Đội Mù Cang Chải", "Cuộc thi Ý tưởng AI", "Giải Nhất", cw.admin, campaign=cw.campaign
    )
    response = as_user(None).get(f"/certificates/{award.code}.pdf")
    text = " ".join(_run("pdftotext", response.data, tmp_path).split())
    assert "Đội Mù Cang Chải" in text and "Giải Nhất – Cuộc thi Ý tưởng AI" in text
    assert "award" in text.lower()


def test_long_names_and_titles_stay_on_one_page(cw, tmp_path, app):
    cw.passed.full_name = "Nguyễn Thị Phương Thảo Hoàng Lò Giàng " * 5
    cw.class_a.title = ("Lớp bình dân học AI cho cán bộ xã Mù Cang Chải " * 7)[:300]
    certificate = services.issue_completion(cw.passed, cw.class_a)
    with app.test_request_context("/"):
        pdf = printing.certificate_pdf(certificate)
    info = _run("pdfinfo", pdf, tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)


def test_typed_markup_in_a_name_is_printed_as_text(cw, tmp_path, app):
    cw.passed.full_name = 'Lò <img src="file:///etc/passwd"> Mai'
    certificate = services.issue_completion(cw.passed, cw.class_a)
    with app.test_request_context("/"):
        html = printing.certificate_html(certificate)
        pdf = printing.certificate_pdf(certificate)
    assert "<img" not in html and "&lt;img" in html
    text = " ".join(_run("pdftotext", pdf, tmp_path).split())
    assert 'Lò <img src="file:///etc/passwd"> Mai' in text
