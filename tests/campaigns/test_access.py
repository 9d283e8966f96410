"""Access rules of every campaign route: anonymous, readers, and coordinators of a sibling
commune guessing ids."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.campaigns.models import CoreMember, Material, Target
from surveyapp.extensions import db

GET_URLS = [
    "/campaigns",
    "/campaigns/new",
    "/campaigns/{c}",
    "/campaigns/{c}/edit",
    "/campaigns/{c}/targets",
    "/campaigns/{c}/populations",
    "/campaigns/{c}/targets/import",
    "/campaigns/{c}/populations/import",
    "/campaigns/{c}/members",
    "/campaigns/{c}/members/new",
    "/campaigns/{c}/members/{m}",
    "/campaigns/{c}/materials",
    "/campaigns/{c}/materials/new",
    "/campaigns/{c}/materials/{t}",
]
POST_URLS = [
    "/campaigns/new",
    "/campaigns/{c}/edit",
    "/campaigns/{c}/targets",
    "/campaigns/{c}/populations",
    "/campaigns/{c}/targets/import",
    "/campaigns/{c}/populations/import",
    "/campaigns/{c}/members/new",
    "/campaigns/{c}/members/{m}",
    "/campaigns/{c}/members/{m}/delete",
    "/campaigns/{c}/materials/new",
    "/campaigns/{c}/materials/{t}",
    "/campaigns/{c}/materials/{t}/delete",
]
READ_ONLY = {"/campaigns", "/campaigns/{c}", "/campaigns/{c}/members", "/campaigns/{c}/materials"}


@pytest.fixture
def ids(world, cf):
    member = cf.member(world.campaign, world.commune_a)
    material = cf.material(world.campaign, world.commune_a)
    return {"c": world.campaign.id, "m": member.id, "t": material.id}


def test_the_lists_cover_every_campaign_route(app):
    rules = {
        rule.rule.replace("<int:campaign_id>", "{c}")
        .replace("members/<int:item_id>", "members/{m}")
        .replace("materials/<int:item_id>", "materials/{t}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("campaigns.")
    }
    assert rules == set(GET_URLS) | set(POST_URLS)


@pytest.mark.parametrize("url", GET_URLS)
def test_anonymous_get_redirects_to_login(client, ids, url):
    response = client.get(url.format(**ids))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", POST_URLS)
def test_anonymous_post_redirects_to_login(client, ids, url):
    response = client.post(url.format(**ids), data={"full_name": "x"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["evaluator", "trainer"])
@pytest.mark.parametrize("url", POST_URLS)
def test_readers_cannot_post(world, ids, login, role, url):
    client = login(getattr(world, role))
    data = {"target_classes": "5", "full_name": "x", "title": "x", "name": "x"}
    assert client.post(url.format(**ids), data=data).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CoreMember)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Material)) == 1


@pytest.mark.parametrize("role", ["evaluator", "trainer"])
@pytest.mark.parametrize("url", GET_URLS)
def test_readers_read_but_get_no_forms(world, ids, login, role, url):
    status = login(getattr(world, role)).get(url.format(**ids)).status_code
    assert status == (200 if url in READ_ONLY else 403)


@pytest.mark.parametrize("url", [u for u in GET_URLS if "{c}" in u])
def test_sibling_coordinator_gets_404_on_another_communes_campaign(world, f, cf, login, url):
    campaign = f.campaign(world.commune_a, name="Chiến dịch riêng xã Mù Cang Chải")
    ids = {
        "c": campaign.id,
        "m": cf.member(campaign, world.commune_a).id,
        "t": cf.material(campaign, world.commune_a).id,
    }
    assert login(world.coordinator_b).get(url.format(**ids)).status_code == 404


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/campaigns/{c}/members/{m}"),
        ("post", "/campaigns/{c}/members/{m}"),
        ("post", "/campaigns/{c}/members/{m}/delete"),
        ("get", "/campaigns/{c}/materials/{t}"),
        ("post", "/campaigns/{c}/materials/{t}"),
        ("post", "/campaigns/{c}/materials/{t}/delete"),
    ],
)
def test_sibling_coordinator_gets_404_on_another_communes_items(world, ids, login, method, url):
    client = login(world.coordinator_b)
    assert getattr(client, method)(url.format(**ids)).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CoreMember)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Material)) == 1


def test_item_of_another_campaign_is_404(world, f, cf, login):
    other = f.campaign(world.province, name="Chiến dịch khác")
    member = cf.member(other, world.commune_a)
    client = login(world.admin)
    assert client.get(f"/campaigns/{world.campaign.id}/members/{member.id}").status_code == 404
    assert client.get(f"/campaigns/{world.campaign.id}/members/999999").status_code == 404
    assert client.get("/campaigns/999999").status_code == 404


def test_csrf_is_enforced(app, world, login, monkeypatch):
    client = login(world.admin)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"/campaigns/{world.campaign.id}/targets?locality={world.province.id}"
    assert client.post(url, data={"target_classes": "5"}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 0
