"""The impact report's routes: who reads it, the PDF's content, the cache, the CLI."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from surveyapp.campaigns.models import Metric
from surveyapp.extensions import db
from surveyapp.indicators.kpis import kpi_table
from surveyapp.reports import impact, pdf
from surveyapp.reports.models import ReportCache
from surveyapp.templating import number
from tests.dashboard.test_access import merged  # noqa: F401  (the fixture, reused)

from .conftest import pdf_fonts, pdf_pages, pdf_text

HOSTILE = '<img src="file:///etc/passwd"> http://example.com/x.png javascript:alert(1)'


def page(world, suffix="", **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/campaigns/{world.campaign.id}/report{suffix}" + (f"?{query}" if query else "")


@pytest.mark.parametrize("role", ["admin", "coordinator", "evaluator"])
def test_readers_open_the_page(f, login, world, role):
    client = login(f.user(role=role, locality=None if role == "admin" else world.province))
    response = client.get(page(world))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Xã Mù Cang Chải" in html
    assert "<script" not in html and "https://" not in html
    assert f'href="/campaigns/{world.campaign.id}/report.pdf' in html
    assert "Item analysis: " in html  # on screen the appendix links to the analysis pages


def test_unknown_arguments_are_ignored(reader, world):
    response = reader.get(page(world, campaign_id=5, _external=1, number="7/BC"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'href="/campaigns/{world.campaign.id}/report.pdf?number=7/BC"' in html


def test_others_are_kept_out(f, login, client, world):
    for role in ("trainer", "judge"):
        user = login(f.user(role=role, locality=world.province))
        assert user.get(page(world)).status_code == 403
        assert user.get(page(world, ".pdf")).status_code == 403
    for suffix in ("", ".pdf"):
        response = client.get(page(world, suffix))
        assert response.status_code == 302 and "/login" in response.location


def test_scope_of_a_commune_reader(f, login, world):
    client = login(f.user(role="evaluator", locality=world.a))
    html = client.get(page(world)).get_data(as_text=True)
    assert "Results of the campaign" in html and "Xã Văn Yên" not in html
    for suffix in ("", ".pdf"):
        assert client.get(page(world, suffix, locality_id=world.b.id)).status_code == 404
        assert client.get(page(world, suffix, locality_id=world.province.id)).status_code == 404
    other = f.campaign(world.b, name="Chiến dịch Văn Yên")
    assert client.get(f"/campaigns/{other.id}/report").status_code == 404
    assert client.get("/campaigns/987654321/report.pdf").status_code == 404


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"geography": "moon"}, "Choose one of the listed values."),
        ({"locality_id": "x"}, "Choose a locality from the dashboard."),
        ({"number": "9" * 130}, "The document number is too long"),
    ],
)
def test_bad_arguments_give_400(reader, world, args, message):
    for suffix in ("", ".pdf"):
        response = reader.get(page(world, suffix, **args))
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_dashboard_links_to_the_report(f, login, world):
    html = (
        login(f.user(role="evaluator", locality=world.province))
        .get(f"/campaigns/{world.campaign.id}/dashboard?locality_id={world.a.id}")
        .get_data(as_text=True)
    )
    assert f"/campaigns/{world.campaign.id}/report?locality_id={world.a.id}" in html
    trainer = login(f.user(role="trainer", locality=world.province))
    assert "/report" not in trainer.get(f"/campaigns/{world.campaign.id}/dashboard").get_data(
        as_text=True
    )


def test_vietnamese_date_line(f, as_user, world):
    client = as_user(f.user(role="admin"), lang="vi")
    html = client.get(page(world)).get_data(as_text=True)
    assert re.search(r"Thử, ngày \d\d tháng \d+ năm 20\d\d", html)


def _kpi_line(text: str, metric, kpi) -> bool:
    label = {"core_members": "Core members", "classes": "Classes", "learners": "Learners",
             "materials": "Videos and documents",
             "effective_appliers": "People applying AI effectively"}[metric]  # fmt: skip
    pct = "–" if kpi.percent_of_plan is None else number(kpi.percent_of_plan) + "%"
    row = rf"^\s*{label}\s+{number(kpi.plan)}\s+{number(kpi.actual)}\s+{re.escape(pct)}\s*$"
    return re.search(row, text, re.MULTILINE) is not None


def test_pdf_content_fonts_hostile_text_and_cache(reader, world, monkeypatch):
    world.campaign.issuing_body = "Sở Khoa học và Công nghệ " + HOSTILE[:40]
    world.campaign.parent_body = "Ủy ban nhân dân tỉnh Lào Cai"
    world.campaign.name = "Bình dân học AI " + HOSTILE
    db.session.flush()
    fetched: list[str] = []
    real = pdf.make_fetcher

    def spy():
        fetcher = real()
        original = fetcher.fetch
        fetcher.fetch = lambda url, headers=None: fetched.append(url) or original(url, headers)
        return fetcher

    monkeypatch.setattr(pdf, "make_fetcher", spy)
    response = reader.get(page(world, ".pdf", number="12/BC-SKHCN", signer="Nguyễn Văn Ánh"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "filename*=UTF-8''bao-cao-" in response.headers["Content-Disposition"]
    data = response.data
    assert all("/static/fonts/LiberationSerif-" in url for url in fetched)
    text = pdf_text(data)
    flat = "".join(pdf_text(data, layout=False).split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN TỈNH LÀO",
        "Document no. 12/BC-SKHCN",
        "Xã Mù Cang Chải",
        "Xã Văn Yên",
        "NGUYỄN VĂN ÁNH".title(),
        '<img src="file:///etc/passwd"> http://example.com/x.png javascript:alert(1)',
    ):
        assert "".join(expected.split()) in flat, expected
    table = kpi_table(world.campaign, world.province)
    for metric in Metric:
        assert _kpi_line(text, metric.value, table.head.kpi(metric)), metric
    assert "root:" not in text
    assert b"/JavaScript" not in data and b"javascript:alert" not in data.lower()
    pages = pdf_pages(data)
    assert 3 <= pages <= 6
    fonts = pdf_fonts(data)
    assert fonts and all(row[0].split("+")[-1].startswith("Surveyapp-Serif") for row in fonts)
    assert all(row[-5] == "yes" for row in fonts)
    entry = db.session.scalar(sa.select(ReportCache))
    assert entry.pages == pages and entry.pdf == data

    def no_render(_report):
        raise AssertionError("rendered again")

    monkeypatch.setattr(impact, "render_report", no_render)
    again = reader.get(page(world, ".pdf", number="12/BC-SKHCN", signer="Nguyễn Văn Ánh"))
    assert again.status_code == 200 and again.data == data
    with pytest.raises(AssertionError, match="rendered again"):
        reader.get(page(world, ".pdf", number="13/BC-SKHCN"))  # other arguments: other key


def test_new_data_gives_a_new_snapshot(world):
    from datetime import date

    from surveyapp.reports import cache, data

    options = data.ReportOptions()
    before = cache.snapshot_key(world.campaign, world.province, options, language="en",
                                today=date(2026, 5, 1))  # fmt: skip
    same = cache.snapshot_key(world.campaign, world.province, options, language="en",
                              today=date(2026, 5, 1))  # fmt: skip
    assert before == same
    other_lang = cache.snapshot_key(world.campaign, world.province, options, language="vi",
                                    today=date(2026, 5, 1))  # fmt: skip
    assert other_lang != before
    world.classes["a1"].title = "x"
    from tests.indicators.kpi_builders import KpiData

    KpiData().person(world.classes["b1"])
    after = cache.snapshot_key(world.campaign, world.province, options, language="en",
                               today=date(2026, 5, 1))  # fmt: skip
    assert after != before


def test_cli_writes_the_pdf(runner, world, tmp_path):
    output = tmp_path / "báo cáo.pdf"
    result = runner.invoke(
        args=["report", "pdf", "--campaign", str(world.campaign.id), "--locality",
              world.a.code, "--lang", "vi", "--output", str(output)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert re.search(r"\d+ pages, \d+\.\d\d s \(rendered\)", result.output)
    text = " ".join(pdf_text(output.read_bytes(), layout=False).split())
    assert "ngày" in text and "Xã Mù Cang Chải" in text and "Xã Văn Yên" not in text
    again = runner.invoke(
        args=["report", "pdf", "--campaign", str(world.campaign.id), "--locality",
              world.a.code, "--lang", "vi", "--output", str(output)]
    )  # fmt: skip
    assert "(cache)" in again.output
    bad = runner.invoke(args=["report", "pdf", "--campaign", "987654", "--output", str(output)])
    assert bad.exit_code != 0 and "No campaign" in bad.output
    wrong = runner.invoke(
        args=["report", "pdf", "--campaign", str(world.campaign.id), "--locality", "nope",
              "--output", str(output)]
    )  # fmt: skip
    assert wrong.exit_code != 0 and "No locality" in wrong.output


def test_geography_of_a_2024_campaign(f, login, merged):  # noqa: F811
    campaign, old_province, new_province, new_commune, _old_commune = merged
    admin = login(f.user(role="admin"))
    base = f"/campaigns/{campaign.id}/report"
    collected = admin.get(base).get_data(as_text=True)
    assert "as they were when the data were collected" in collected
    assert "Results of the campaign" in collected and "in Tỉnh Yên Bái" in collected
    assert "Lào Cai, " in collected  # the report is dated in today's province
    current = admin.get(base + "?geography=current").get_data(as_text=True)
    assert "counted at today&#39;s units" in current and "in Tỉnh Lào Cai" in current
    assert "Xã Mới" in current
    outsider = login(
        f.user(role="coordinator", locality=f.locality("Xã Khác", parent=new_province))
    )
    assert outsider.get(base + "?geography=current").status_code == 404
