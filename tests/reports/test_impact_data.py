"""The impact report's data: the dashboard's numbers, the per-commune annex (with district
subtotals on the 2024 scheme, or today's units), the header wording."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.indicators.kpi_types import COLLECTED, CURRENT, KpiFilters
from surveyapp.indicators.kpis import kpi_table, segment_coverage
from surveyapp.localities.models import LocalityCrosswalk
from surveyapp.reports import data, wording
from surveyapp.reports.annex import commune_annex
from tests.indicators.kpi_builders import KpiData

TODAY = date(2026, 1, 5)


def test_report_numbers_are_the_dashboards(world):
    report = data.build_report(world.campaign, world.province, data.ReportOptions(), TODAY)
    table = kpi_table(world.campaign, world.province)
    assert report.table.head.kpis == table.head.kpis
    assert [r.kpis for r in report.table.children] == [r.kpis for r in table.children]
    assert report.board.coverage == segment_coverage(world.campaign, world.province)
    assert report.stats == table.head.follow_up
    assert report.board.overall_gain.n_matched == 2
    assert [c.competency for c in report.competencies]
    assert report.item_analyses and report.item_analyses[0].n > 0
    summary = report.summary[0]
    assert "2 core members (100% of plan)" in summary
    assert "5 learners (50% of plan)" in summary
    assert "Officials 0% (target 100%)" in summary


def test_annex_has_every_commune_and_sums_to_the_head(world):
    annex = commune_annex(world.campaign, world.province, KpiFilters())
    table = kpi_table(world.campaign, world.province)
    rows = [row for group in annex.groups for row in group.rows]
    assert [r.locality.name for r in rows] == ["Xã Mù Cang Chải", "Xã Văn Yên"]
    by_id = {row.locality.id: row for row in table.children}
    for row in rows:
        kpis = by_id[row.locality.id]
        assert row.figures["learners"] == kpis.kpi("learners").actual
        assert row.figures["classes"] == kpis.kpi("classes").actual
        assert row.figures["effective_appliers"] == kpis.kpi("effective_appliers").actual
        assert row.figures["respondents"] == kpis.follow_up.respondents
        assert row.learners_plan == kpis.kpi("learners").plan
    assert annex.total.figures["learners"] == table.head.kpi("learners").actual
    assert annex.total.figures["core_members"] == table.head.kpi("core_members").actual
    assert annex.above_communes["classes"] == 0


@pytest.fixture
def old_scheme(f):
    """2024: Tỉnh Yên Bái > Huyện Văn Yên > Xã Mậu A, Xã An Thịnh; > Huyện Mù Cang Chải >
    Xã Khao Mang. 2025: Tỉnh Lào Cai > Xã Mậu A (both Văn Yên communes), Xã Khao Mang."""
    scheme = f.scheme("2024")
    scheme.superseded_on = date(2025, 7, 1)
    old = f.locality("Tỉnh Yên Bái", scheme="2024", kind="province")
    van_yen = f.locality("Huyện Văn Yên", parent=old, kind="district")
    mcc = f.locality("Huyện Mù Cang Chải", parent=old, kind="district")
    mau_a = f.locality("Xã Mậu A", parent=van_yen)
    an_thinh = f.locality("Xã An Thịnh", parent=van_yen)
    khao_mang = f.locality("Xã Khao Mang", parent=mcc)
    new = f.locality("Tỉnh Lào Cai", kind="province")
    new_mau_a = f.locality("Xã Mậu A", parent=new)
    new_khao_mang = f.locality("Xã Khao Mang", parent=new)
    links = [(old, new), (mau_a, new_mau_a), (an_thinh, new_mau_a), (khao_mang, new_khao_mang)]
    db.session.add_all(
        LocalityCrosswalk(old_id=a.id, new_id=b.id, effective_on=date(2025, 7, 1)) for a, b in links
    )
    campaign = f.campaign(old, name="Văn Yên - tiên phong học AI", start_date=date(2024, 1, 1))
    builder = KpiData()
    for commune, people in ((mau_a, 2), (an_thinh, 1), (khao_mang, 3)):
        cls = f.training_class(
            campaign, commune, start_date=date(2024, 9, 1), end_date=date(2024, 9, 2)
        )
        for _ in range(people):
            builder.person(cls)
    f.training_class(campaign, van_yen, start_date=date(2024, 9, 1), end_date=date(2024, 9, 2))
    db.session.flush()
    return campaign, old, van_yen, new, new_mau_a


def test_annex_as_collected_has_district_subtotals(old_scheme):
    campaign, old, van_yen, _new, _ = old_scheme
    annex = commune_annex(campaign, old, KpiFilters(geography=COLLECTED))
    table = kpi_table(campaign, old)
    assert [g.district.locality.name for g in annex.groups] == [
        "Huyện Văn Yên",
        "Huyện Mù Cang Chải",
    ]
    assert annex.row_count == 3
    district = next(r for r in table.children if r.locality.id == van_yen.id)
    subtotal = annex.groups[0].district
    assert subtotal.figures["learners"] == district.kpi("learners").actual == 3
    assert subtotal.figures["classes"] == district.kpi("classes").actual == 3
    assert annex.above_communes["classes"] == 1  # the class registered at the district
    assert annex.total.figures["learners"] == table.head.kpi("learners").actual == 6


def test_annex_at_todays_units(old_scheme):
    campaign, _old, _van_yen, new, new_mau_a = old_scheme
    annex = commune_annex(campaign, new, KpiFilters(geography=CURRENT))
    table = kpi_table(campaign, new, KpiFilters(geography=CURRENT))
    assert [g.district for g in annex.groups] == [None]
    rows = annex.groups[0].rows
    assert [(r.locality.name, r.figures["learners"]) for r in rows] == [
        ("Xã Mậu A", 3),
        ("Xã Khao Mang", 3),
    ]
    assert annex.total.figures["learners"] == table.head.kpi("learners").actual == 6
    report = data.build_report(campaign, new, data.ReportOptions(geography=CURRENT), TODAY)
    assert report.today_units and report.place == "Lào Cai"
    assert "today's units" in wording.geography_note(report)
    collected = data.build_report(campaign, _old, data.ReportOptions(), TODAY)
    assert collected.place == "Lào Cai" and not collected.today_units
    assert "district subtotals" in wording.geography_note(collected)


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (date(2026, 1, 5), "Lào Cai, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "Lào Cai, ngày 28 tháng 02 năm 2026"),
        (date(2025, 11, 9), "Lào Cai, ngày 09 tháng 11 năm 2025"),
        (date(2025, 3, 15), "Lào Cai, ngày 15 tháng 3 năm 2025"),
    ],
)
def test_date_line_follows_decree_30(ctx, day, line):
    with force_locale("vi"):
        assert wording.date_line("Lào Cai", day) == line
    with force_locale("en"):
        assert wording.date_line("Lào Cai", day).startswith("Lào Cai, ")


def test_document_number_and_initials(f):
    assert data.initials("Sở Khoa học và Công nghệ") == "SKHCN"
    assert data.initials("Ủy ban nhân dân") == "UBND"
    assert data.initials("Đoàn Thanh niên") == "ĐTN"
    province, _, _ = f.tree()
    campaign = f.campaign(province, issuing_body="Sở Khoa học và Công nghệ")
    assert data.document_number(campaign, "").endswith("/BC-SKHCN")
    assert data.document_number(campaign, "12/BC-SKHCN") == "12/BC-SKHCN"


@pytest.mark.parametrize(
    "args",
    [
        {"locality_id": "abc"},
        {"locality_id": "1" * 13},
        {"geography": "moon"},
        {"number": "x" * 121},
        {"signer": "a\x00b"},
    ],
)
def test_bad_options_are_refused(ctx, args):
    with pytest.raises(DomainError):
        data.parse_options(args)


def test_options_are_read(ctx):
    options = data.parse_options(
        {"locality_id": " 7 ", "geography": "current", "number": " 12/BC "}
    )
    assert options == data.ReportOptions(7, CURRENT, "12/BC", "", "")
