"""The dashboard pages through the HTTP client: figures, drill-down, scope, filters."""

from __future__ import annotations

import re
from datetime import date

import pytest

from surveyapp.campaigns.models import Metric
from surveyapp.indicators.kpi_types import KpiFilters
from surveyapp.indicators.kpis import kpi_table

from .helpers import Cells, shown


def url(world, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/campaigns/{world.campaign.id}/dashboard" + (f"?{query}" if query else "")


def assert_matches_table(page: Cells, table) -> None:
    for metric in Metric:
        kpi = table.head.kpi(metric)
        assert page.head(metric, "plan") == shown(kpi.plan), metric
        assert page.head(metric, "actual") == shown(kpi.actual), metric
        assert page.head(metric, "percent") == shown(kpi.percent_of_plan), metric
        for row in table.children:
            kpi = row.kpi(metric)
            assert page.child(row.locality.id, metric, "actual") == shown(kpi.actual)
            assert page.child(row.locality.id, metric, "plan") == shown(kpi.plan)
            assert page.child(row.locality.id, metric, "percent") == shown(kpi.percent_of_plan)
    stats = table.head.follow_up
    assert page.figure("achieved") == shown(stats.achieved)
    assert page.figure("respondents") == shown(stats.respondents)
    assert page.figure("learners") == shown(stats.learners)
    assert page.figure("too_early") == shown(stats.too_early)
    assert page.figure("excluded") == shown(stats.excluded_responses)
    assert page.figure("partly") == shown(stats.partly)
    assert page.figure("not_yet") == shown(stats.not_yet)


@pytest.fixture
def admin(f, login):
    return login(f.user(role="admin"))


def test_figures_on_the_page_equal_kpi_table(admin, world):
    response = admin.get(url(world))
    assert response.status_code == 200
    page = Cells(response.get_data(as_text=True))
    assert_matches_table(page, kpi_table(world.campaign, world.province))
    # and the hand-computed figures of the small campaign
    assert page.head("learners", "actual") == "5"
    assert page.head("learners", "percent") == "50%"
    assert page.figure("achieved") == "2"
    assert page.figure("respondents") == "3"
    assert page.figure("response_rate") == "60.0%"
    assert page.figure("too_early") == "1"
    assert page.figure("excluded") == "2"
    assert page.child(world.a.id, "learners", "actual") == "3"
    assert page.child(world.b.id, "effective_appliers", "actual") == "1"


def test_children_below_plan_stand_out_with_a_text_marker(admin, world):
    html = admin.get(url(world)).get_data(as_text=True)
    row_a = re.search(
        rf'<tr class="below-plan" data-locality="{world.a.id}">(.*?)</tr>', html, re.S
    )
    assert row_a and "below plan" in row_a.group(1) and "▼" in row_a.group(1)
    row_b = re.search(rf'<tr class="([^"]*)" data-locality="{world.b.id}">(.*?)</tr>', html, re.S)
    assert row_b.group(1) == "" and "below plan" not in row_b.group(2)


def test_drill_down_and_breadcrumbs(admin, world):
    html = admin.get(url(world)).get_data(as_text=True)
    assert f'href="/campaigns/{world.campaign.id}/dashboard?locality_id={world.a.id}"' in html
    response = admin.get(url(world, locality_id=world.a.id))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<strong aria-current="page">Xã Mù Cang Chải</strong>' in html
    up = f"/campaigns/{world.campaign.id}/dashboard?locality_id={world.province.id}"
    assert f'<a href="{up}">Tỉnh Thử</a>' in html
    assert_matches_table(Cells(html), kpi_table(world.campaign, world.a))
    assert Cells(html).figure("achieved") == "1"


def test_drill_links_keep_the_filters(admin, world):
    html = admin.get(url(world, segment="resident", date_from="2026-03-01")).get_data(as_text=True)
    assert (
        f"/campaigns/{world.campaign.id}/dashboard?locality_id={world.a.id}"
        "&amp;segment=resident&amp;date_from=2026-03-01"
    ) in html


@pytest.mark.parametrize(
    ("args", "filters"),
    [
        ({"segment": "official"}, KpiFilters(segment="official")),
        ({"date_from": "2026-04-01"}, KpiFilters(date_from=date(2026, 4, 1))),
        (
            {"date_to": "2026-03-31", "segment": "resident"},
            KpiFilters(segment="resident", date_to=date(2026, 3, 31)),
        ),
    ],
)
def test_filters_change_the_figures(admin, world, args, filters):
    page = Cells(admin.get(url(world, **args)).get_data(as_text=True))
    table = kpi_table(world.campaign, world.province, filters)
    assert_matches_table(page, table)
    unfiltered = kpi_table(world.campaign, world.province)
    assert table.head.kpi("learners").actual != unfiltered.head.kpi("learners").actual


def test_segment_filter_by_hand(admin, world):
    page = Cells(admin.get(url(world, segment="official")).get_data(as_text=True))
    assert page.head("learners", "actual") == "1"
    assert page.head("classes", "actual") == "1"
    assert page.figure("achieved") == "0"
    assert page.figure("respondents") == "0"


@pytest.mark.parametrize(
    ("args", "kept", "message"),
    [
        (
            {"date_from": "2026-13-45"},
            'value="2026-13-45"',
            "Enter a date, for example 31/12/2026.",
        ),
        (
            {"date_from": "2026-05-01", "date_to": "2026-04-01"},
            'value="2026-04-01"',
            "The end date is before the start date.",
        ),
        (
            {"segment": "martians", "date_to": "2026-04-01"},
            'value="2026-04-01"',
            "Choose one of the listed values.",
        ),
        ({"geography": "mars"}, "<select", "Choose one of the listed values."),
        (
            {"locality_id": "abc", "date_from": "2026-03-01"},
            'value="abc"',
            "Choose a locality from the table.",
        ),
        (
            {"locality_id": "99999999999999999999"},
            'value="99999999999999999999"',
            "Choose a locality from the table.",
        ),
    ],
)
def test_bad_arguments_give_400_with_the_values_kept(admin, world, args, kept, message):
    response = admin.get(url(world, **args))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert kept in html
    assert message in html
    assert "The filter has a value that cannot be used." in html
    assert 'data-figure="achieved"' not in html


def test_bad_arguments_in_the_vietnamese_interface(as_user, f, world):
    client = as_user(f.user(role="admin"), lang="vi")
    response = client.get(url(world, date_from="2026-05-01", date_to="2026-04-01"))
    assert response.status_code == 400
    assert 'value="2026-05-01"' in response.get_data(as_text=True)


def test_page_has_no_script_and_no_external_urls(admin, f, world):
    f.locality("<script>alert(1)</script>", parent=world.province)
    html = admin.get(url(world)).get_data(as_text=True)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "http://" not in html and "https://" not in html
    assert 'src="//' not in html and 'href="//' not in html
    assert html.count("<svg") == 5
    assert "Bình dân học AI &lt;2026&gt;" in html


def test_rule_wording_and_version_are_shown(admin, world):
    html = admin.get(url(world)).get_data(as_text=True)
    assert "Rule v1: applies AI effectively" in html
    assert "at least 30 days after the class" in html


def test_learning_gains_are_shown(admin, world):
    page = Cells(admin.get(url(world)).get_data(as_text=True))
    assert page.values[("gains-table", None, None, "n_matched")] in ("2", "1")


def test_frequency_is_separate_from_effective_use(admin, world):
    page = Cells(admin.get(url(world)).get_data(as_text=True))
    assert page.values[("frequency-table", "resident", None, "respondents")] == "3"
    assert page.values[("frequency-table", "resident", None, "daily")] == "2"
    assert page.values[("coverage-table", "resident", None, "achieved")] == "2"


def test_empty_campaign(admin, f):
    province, _a, _b = f.tree()
    campaign = f.campaign(province)
    response = admin.get(f"/campaigns/{campaign.id}/dashboard")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "No data yet." in html
    assert Cells(html).figure("achieved") == "0"


def test_dates_typed_day_first_are_understood(admin, world):
    typed = Cells(admin.get(url(world, date_from="01/04/2026")).get_data(as_text=True))
    iso = Cells(admin.get(url(world, date_from="2026-04-01")).get_data(as_text=True))
    assert typed.values == iso.values
    assert typed.head("learners", "actual") == "2"
