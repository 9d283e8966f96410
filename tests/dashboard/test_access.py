"""Who sees which dashboard: roles, locality scope, drill-down limits, today's units."""

from __future__ import annotations

from datetime import date

import pytest

from surveyapp.extensions import db
from surveyapp.indicators.kpi_types import CURRENT, KpiFilters
from surveyapp.indicators.kpis import kpi_table
from surveyapp.localities.models import LocalityCrosswalk
from tests.indicators.kpi_builders import KpiData

from .helpers import Cells, shown
from .test_views import assert_matches_table, url


@pytest.mark.parametrize("role", ["coordinator", "trainer", "evaluator"])
def test_commune_users_start_at_their_commune(f, login, world, role):
    client = login(f.user(role=role, locality=world.a))
    response = client.get(url(world))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<strong aria-current="page">Xã Mù Cang Chải</strong>' in html
    assert "Xã Văn Yên" not in html
    # the province above their scope is named in the trail but not a link
    assert "<span>Tỉnh Thử</span>" in html
    assert f"locality_id={world.province.id}" not in html
    assert_matches_table(Cells(html), kpi_table(world.campaign, world.a))


@pytest.mark.parametrize("role", ["coordinator", "trainer", "evaluator"])
def test_sibling_commune_and_drilling_above_the_scope_give_404(f, login, world, role):
    client = login(f.user(role=role, locality=world.a))
    assert client.get(url(world, locality_id=world.b.id)).status_code == 404
    assert client.get(url(world, locality_id=world.province.id)).status_code == 404
    assert client.get(url(world, locality_id=world.a.id)).status_code == 200


def test_province_evaluator_drills_into_both_communes(f, login, world):
    client = login(f.user(role="evaluator", locality=world.province))
    for commune in (world.a, world.b):
        response = client.get(url(world, locality_id=commune.id))
        assert response.status_code == 200
        assert_matches_table(
            Cells(response.get_data(as_text=True)), kpi_table(world.campaign, commune)
        )


def test_localities_outside_the_campaign_give_404(f, login, world):
    admin = login(f.user(role="admin"))
    other_province, other_commune, _ = f.tree()
    assert admin.get(url(world, locality_id=other_commune.id)).status_code == 404
    assert admin.get(url(world, locality_id=other_province.id)).status_code == 404
    assert admin.get(url(world, locality_id=987654321)).status_code == 404
    assert admin.get("/campaigns/987654321/dashboard").status_code == 404


def test_campaign_of_a_sibling_commune_is_hidden(f, login, world):
    own = f.campaign(world.b, name="Chiến dịch của xã Văn Yên")
    client = login(f.user(role="coordinator", locality=world.a))
    assert client.get(f"/campaigns/{own.id}/dashboard").status_code == 404
    listing = client.get("/dashboard").get_data(as_text=True)
    assert "Chiến dịch của xã Văn Yên" not in listing
    assert "Bình dân học AI &lt;2026&gt;" in listing
    assert f'href="/campaigns/{world.campaign.id}/dashboard"' in listing


def test_judges_and_anonymous_users_are_kept_out(f, login, client, world):
    judge = login(f.user(role="judge", locality=world.a))
    assert judge.get(url(world)).status_code == 403
    assert judge.get("/dashboard").status_code == 403
    response = client.get(url(world))
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("role", ["admin", "coordinator", "trainer", "evaluator"])
def test_nav_link_for_staff(f, login, world, role):
    user = f.user(role=role, locality=None if role == "admin" else world.province)
    html = login(user).get("/dashboard").get_data(as_text=True)
    assert '<a href="/dashboard">Dashboard</a>' in html


@pytest.fixture
def merged(f):
    """A 2024 province and commune, merged into a 2025 province and commune."""
    old_scheme = f.scheme("2024")
    old_scheme.superseded_on = date(2025, 7, 1)
    db.session.flush()
    old_province = f.locality("Tỉnh Yên Bái", scheme="2024", kind="province")
    old_commune = f.locality("Xã Cũ", parent=old_province)
    new_province = f.locality("Tỉnh Lào Cai", kind="province")
    new_commune = f.locality("Xã Mới", parent=new_province)
    db.session.add_all(
        [
            LocalityCrosswalk(
                old_id=old_province.id, new_id=new_province.id, effective_on=date(2025, 7, 1)
            ),
            LocalityCrosswalk(
                old_id=old_commune.id, new_id=new_commune.id, effective_on=date(2025, 7, 1)
            ),
        ]
    )
    db.session.flush()
    campaign = f.campaign(old_province, name="Chiến dịch 2024", start_date=date(2024, 1, 1))
    cls = f.training_class(
        campaign, old_commune, start_date=date(2024, 9, 1), end_date=date(2024, 9, 2)
    )
    data = KpiData()
    data.person(cls)
    data.person(cls)
    return campaign, old_province, new_province, new_commune, old_commune


def test_geography_selector_counts_at_todays_units(f, login, merged):
    campaign, old_province, new_province, new_commune, old_commune = merged
    admin = login(f.user(role="admin"))
    base = f"/campaigns/{campaign.id}/dashboard"
    collected = admin.get(base).get_data(as_text=True)
    assert 'name="geography"' in collected and 'value="current"' in collected
    assert '<strong aria-current="page">Tỉnh Yên Bái</strong>' in collected
    response = admin.get(base + "?geography=current")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<strong aria-current="page">Tỉnh Lào Cai</strong>' in html
    table = kpi_table(campaign, new_province, KpiFilters(geography=CURRENT))
    page = Cells(html)
    assert_matches_table(page, table)
    assert page.child(new_commune.id, "learners", "actual") == shown(2)
    assert 'class="table gains-table"' in html  # today's root stands for the campaign's root
    drill = admin.get(base + f"?geography=current&locality_id={new_commune.id}")
    assert drill.status_code == 200
    assert "Learning gains are shown for the units as collected" in drill.get_data(as_text=True)
    assert Cells(drill.get_data(as_text=True)).head("learners", "actual") == "2"
    # switching geography carries the locality over through the crosswalk
    back = admin.get(base + f"?locality_id={new_commune.id}").get_data(as_text=True)
    assert '<strong aria-current="page">Xã Cũ</strong>' in back
    there = admin.get(base + f"?geography=current&locality_id={old_commune.id}")
    assert '<strong aria-current="page">Xã Mới</strong>' in there.get_data(as_text=True)
    # a unit of neither tree stays out
    stranger = f.locality("Xã Lạ", parent=f.locality("Tỉnh Khác", kind="province"))
    assert admin.get(base + f"?geography=current&locality_id={stranger.id}").status_code == 404
    assert admin.get(base + f"?locality_id={stranger.id}").status_code == 404


def test_today_units_respect_scope(f, login, merged):
    campaign, old_province, new_province, new_commune, old_commune = merged
    sibling = f.locality("Xã Khác", parent=new_province)
    base = f"/campaigns/{campaign.id}/dashboard"
    client = login(f.user(role="coordinator", locality=new_commune))
    collected = client.get(base).get_data(as_text=True)
    assert '<strong aria-current="page">Xã Cũ</strong>' in collected
    current = client.get(base + "?geography=current")
    assert '<strong aria-current="page">Xã Mới</strong>' in current.get_data(as_text=True)
    assert Cells(current.get_data(as_text=True)).head("learners", "actual") == "2"
    for above in (new_province, old_province, sibling):
        assert client.get(base + f"?geography=current&locality_id={above.id}").status_code == 404
    assert client.get(base + f"?locality_id={old_province.id}").status_code == 404
    outsider = login(f.user(role="coordinator", locality=sibling))
    assert outsider.get(base + "?geography=current").status_code == 404


def test_no_geography_selector_for_current_schemes(f, login, world):
    html = login(f.user(role="admin")).get(url(world)).get_data(as_text=True)
    assert 'name="geography"' not in html
