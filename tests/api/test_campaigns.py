"""/api/v1/campaigns and classes: scope, trainers' own classes, pagination."""

import pytest

from surveyapp.extensions import db


def test_campaigns_are_those_of_the_scope_or_above(f, api):
    province, a, b = f.tree()
    wide = f.campaign(province, name="Chiến dịch toàn tỉnh")
    mine = f.campaign(a, name="Chiến dịch xã Mù Cang Chải")
    other = f.campaign(b, name="Chiến dịch xã Văn Yên")
    client = api(f.user(role="coordinator", locality=a))
    items = client.get("/api/v1/campaigns").get_json()["items"]
    assert {c["id"] for c in items} == {wide.id, mine.id}
    first = next(c for c in items if c["id"] == wide.id)
    assert first["name"] == "Chiến dịch toàn tỉnh"
    assert first["root_locality"] == {
        "code": province.code,
        "name": "Tỉnh Thử",
        "kind": "province",
        "scheme": "2025",
    }
    assert first["start_date"] == "2026-01-01" and first["status"] == "active"
    assert client.get(f"/api/v1/campaigns/{other.id}").status_code == 404
    detail = client.get(f"/api/v1/campaigns/{wide.id}").get_json()
    assert detail["head_locality"]["code"] == a.code
    admin = api(f.user(role="admin")).get(f"/api/v1/campaigns/{other.id}").get_json()
    assert admin["head_locality"]["code"] == b.code


def test_unknown_campaign_ids_get_404(f, api):
    client = api(f.user(role="admin"))
    assert client.get("/api/v1/campaigns/999999").status_code == 404
    assert client.get("/api/v1/campaigns/2147483648").status_code == 404


def test_classes_with_access_codes_by_scope_and_for_trainers_only_their_own(f, api):
    province, a, b = f.tree()
    campaign = f.campaign(province)
    trainer = f.user(role="trainer", locality=a)
    taught = f.training_class(campaign, a, access_code="AAQRST", title="Lớp của cô Mai")
    taught.trainers.append(trainer)
    f.training_class(campaign, a, access_code="AAXYZW")
    f.training_class(campaign, b, access_code="BBXYZW")
    db.session.flush()

    def listed(user):
        response = api(user).get(f"/api/v1/campaigns/{campaign.id}/classes")
        assert response.status_code == 200
        return {c["access_code"] for c in response.get_json()["items"]}

    assert listed(trainer) == {"AAQRST"}
    assert listed(f.user(role="coordinator", locality=a)) == {"AAQRST", "AAXYZW"}
    assert listed(f.user(role="evaluator", locality=province)) == {"AAQRST", "AAXYZW", "BBXYZW"}
    body = api(trainer).get(f"/api/v1/campaigns/{campaign.id}/classes").get_json()
    item = body["items"][0]
    assert item["title"] == "Lớp của cô Mai" and item["locality"]["name"] == "Xã Mù Cang Chải"
    assert item["trainers"] == [{"name": trainer.name}]
    assert body["next_cursor"] is None


def test_classes_of_a_sibling_communes_campaign_are_404(f, api):
    province, a, b = f.tree()
    campaign = f.campaign(b)
    f.training_class(campaign, b)
    response = api(f.user(role="coordinator", locality=a)).get(
        f"/api/v1/campaigns/{campaign.id}/classes"
    )
    assert response.status_code == 404


def test_classes_come_a_page_at_a_time(f, api):
    province, a, b = f.tree()
    campaign = f.campaign(province)
    made = [f.training_class(campaign, a).id for _ in range(5)]
    client = api(f.user(role="admin"))
    seen, cursor, pages = [], None, 0
    while True:
        url = f"/api/v1/campaigns/{campaign.id}/classes?limit=2"
        body = client.get(url + (f"&cursor={cursor}" if cursor else "")).get_json()
        assert body["limit"] == 2 and len(body["items"]) <= 2
        seen += [c["id"] for c in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(made) and pages == 3
    far = client.get(f"/api/v1/campaigns/{campaign.id}/classes?cursor=999999999999").get_json()
    assert far["items"] == [] and far["next_cursor"] is None


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "limit=x", "cursor=abc", "cursor=-1"])
def test_bad_paging_arguments_get_422(f, api, query):
    province, a, b = f.tree()
    campaign = f.campaign(province)
    response = api(f.user(role="admin")).get(f"/api/v1/campaigns/{campaign.id}/classes?{query}")
    assert response.status_code == 422
    assert "query" in response.get_json()["errors"]
