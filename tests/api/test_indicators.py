"""/api/v1/campaigns/<id>/indicators: KPIs of a locality and each child, scope, filters."""

import pytest

from surveyapp.campaigns.models import Target
from surveyapp.extensions import db


def _kpis(row):
    return {k["metric"]: k for k in row["kpis"]}


def test_the_root_and_each_child_with_plan_actual_and_percent(f, api, world):
    db.session.add_all(
        [
            Target(campaign=world.campaign, locality=world.province, metric="classes", value=4),
            Target(campaign=world.campaign, locality=world.a, metric="learners", value=8),
        ]
    )
    db.session.flush()
    response = api(f.user(role="evaluator", locality=world.province)).get(
        f"/api/v1/campaigns/{world.campaign.id}/indicators"
    )
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["campaign_id"] == world.campaign.id
    assert body["locality"]["locality"]["name"] == "Tỉnh Thử"
    top = _kpis(body["locality"])
    assert list(top) == ["core_members", "classes", "learners", "materials", "effective_appliers"]
    assert top["classes"] == {
        "metric": "classes",
        "plan": 4,
        "actual": 3,
        "percent_of_plan": 75.0,
        "below_plan": True,
    }
    assert top["learners"]["actual"] == 7 and top["learners"]["plan"] is None
    assert top["learners"]["percent_of_plan"] is None
    children = {row["locality"]["name"]: row for row in body["children"]}
    assert set(children) == {"Xã Mù Cang Chải", "Xã Văn Yên"}
    a = _kpis(children["Xã Mù Cang Chải"])
    assert a["learners"] == {
        "metric": "learners",
        "plan": 8,
        "actual": 4,
        "percent_of_plan": 50.0,
        "below_plan": True,
    }
    follow_up = body["locality"]["follow_up"]
    assert follow_up["learners"] == 7 and follow_up["respondents"] == 0
    assert follow_up["response_rate"] == 0.0 and follow_up["achieved_rate"] is None
    assert body["rule"]["version"] == 1 and body["rule"]["definition"]["version"] == 1
    assert body["rule"]["wording"] and "v1" in body["rule"]["title"]


def test_the_wording_is_vietnamese_by_default_and_english_on_request(f, api, world):
    client = api(f.user(role="admin"))
    url = f"/api/v1/campaigns/{world.campaign.id}/indicators"
    english = client.get(url + "?lang=en").get_json()["rule"]
    assert english["title"] == "Rule v1: applies AI effectively"
    default = client.get(url).get_json()["rule"]
    assert default["definition"] == english["definition"]


def test_a_commune_user_gets_their_commune_and_404_for_the_sibling(f, api, world):
    client = api(f.user(role="coordinator", locality=world.a))
    url = f"/api/v1/campaigns/{world.campaign.id}/indicators"
    body = client.get(url).get_json()
    assert body["locality"]["locality"]["code"] == world.a.code
    assert _kpis(body["locality"])["classes"]["actual"] == 2
    assert client.get(f"{url}?locality={world.b.code}").status_code == 404
    assert client.get(f"{url}?locality={world.province.code}").status_code == 404
    assert client.get(f"{url}?locality=99999").status_code == 404
    admin = api(f.user(role="admin"))
    b = admin.get(f"{url}?locality={world.b.code}").get_json()
    assert b["locality"]["locality"]["name"] == "Xã Văn Yên" and b["children"] == []


def test_segment_and_date_filters(f, api, world):
    world.classes["a2"].segment = "business"
    db.session.flush()
    client = api(f.user(role="admin"))
    url = f"/api/v1/campaigns/{world.campaign.id}/indicators"
    body = client.get(f"{url}?segment=business&date_from=2026-01-01&date_to=2026-12-31").get_json()
    assert body["filters"] == {
        "segment": "business",
        "date_from": "2026-01-01",
        "date_to": "2026-12-31",
        "geography": "collected",
    }
    assert _kpis(body["locality"])["classes"]["actual"] == 1
    later = client.get(f"{url}?date_from=2026-06-01").get_json()
    assert _kpis(later["locality"])["classes"]["actual"] == 0
    empty = client.get(f"{url}?date_from=2026-05-01&date_to=2026-04-01").get_json()
    assert _kpis(empty["locality"])["learners"]["actual"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "segment=aliens",
        "date_from=2026-13-01",
        "geography=mars",
        "lang=fr",
        "locality=%00",
    ],
)
def test_bad_arguments_get_422_json(f, api, world, query):
    response = api(f.user(role="admin")).get(
        f"/api/v1/campaigns/{world.campaign.id}/indicators?{query}"
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"]


def test_a_campaign_outside_the_scope_is_404(f, api, world):
    other = f.campaign(world.b)
    response = api(f.user(role="evaluator", locality=world.a)).get(
        f"/api/v1/campaigns/{other.id}/indicators"
    )
    assert response.status_code == 404
