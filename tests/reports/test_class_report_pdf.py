"""The class report as PDF: one A4 page, Vietnamese text intact, fonts embedded."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from decimal import Decimal

from surveyapp.extensions import db
from surveyapp.instruments.i18n import COMPETENCIES
from tests.indicators.kpi_builders import KpiData
from tests.reports.test_class_report import TITLE, build_world


def _poppler(tool: str, pdf: bytes, *args: str) -> str:
    done = subprocess.run([tool, *args, "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


def _info(pdf: bytes) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    lines = done.stdout.decode().splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def test_pdf_is_one_page_with_the_title(f, as_user):
    cw = build_world(f)
    response = as_user(cw.trainer).get(f"/classes/{cw.cls.id}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f"bao-cao-lop-{cw.cls.access_code}.pdf" in response.headers["Content-Disposition"]
    pdf = response.get_data()
    info = _info(pdf)
    assert info["Pages"] == "1"
    assert info["Page size"].endswith("(A4)")
    text = " ".join(_poppler("pdftotext", pdf, "-layout").split())
    assert " ".join(TITLE.split()) in text
    assert "Xã Mù Cang Chải" in text
    assert "Bình dân học AI 2026" in text
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True)
    rows = fonts.stdout.decode().splitlines()[2:]
    assert rows and all("Surveyapp-Serif" in row and " yes yes " in row for row in rows), rows


def test_pdf_of_a_full_class_stays_on_one_page(f, as_user):
    """Every competency, three trainers and a long title still fit one page."""
    cw = build_world(f)
    long_title = "Lớp bồi dưỡng kỹ năng sử dụng trí tuệ nhân tạo cho cán bộ, công chức xã " * 2
    cw.cls.title = long_title.strip()
    cw.cls.trainers = [f.user("trainer", cw.a) for _ in range(3)]
    data = KpiData()
    items = [(f"q{n}", "single_choice", tag, 2) for n, tag in enumerate(COMPETENCIES)]
    version = data._version("skill_test", items)
    data.items[version.id] = {item.key: item for item in version.items}
    for n in range(30):
        person = data.person(cw.cls)
        for moment, day in (("pre", cw.cls.start_date), ("post", cw.cls.end_date)):
            response = data.response(person, cw.cls, version, moment, on=day, hour=9,
                                     score=Decimal(n % 14), max_score=Decimal(14))  # fmt: skip
            answers = {key: ("a", None, Decimal((n + i) % 3)) for i, (key, *_) in enumerate(items)}
            data.answers(response, answers)
        data.response(person, cw.cls, data.follow_up_version, "follow_up",
                      on=cw.cls.end_date + timedelta(days=35))  # fmt: skip
    db.session.flush()
    response = as_user(f.user("admin")).get(f"/classes/{cw.cls.id}/report.pdf")
    pdf = response.get_data()
    assert _info(pdf)["Pages"] == "1"
    text = " ".join(_poppler("pdftotext", pdf).split())
    assert cw.cls.title[:60] in text
    assert all(str(label) in text for label in COMPETENCIES.values())


def test_typed_html_is_printed_as_text(f, as_user):
    cw = build_world(f)
    cw.cls.title = 'Lớp <img src="file:///etc/passwd"> <b>Văn Yên</b>'
    db.session.flush()
    response = as_user(cw.trainer).get(f"/classes/{cw.cls.id}/report.pdf")
    text = " ".join(_poppler("pdftotext", response.get_data()).split())
    assert 'Lớp <img src="file:///etc/passwd"> <b>Văn Yên</b>' in text
