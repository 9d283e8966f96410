"""Item analysis and responses in long form: figures, scope, pagination, arguments."""

import pytest

from surveyapp.extensions import db
from surveyapp.participants.models import Participant
from surveyapp.responses.models import Answer


def analysis_url(world, query=""):
    v = world.version
    return f"/api/v1/instruments/{v.instrument_id}/versions/{v.number}/item-analysis{query}"


def test_item_analysis_over_every_counted_response(f, api, world):
    response = api(f.user(role="admin")).get(analysis_url(world))
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["n"] == 6 and body["n_excluded"] == 1 and body["hand_marked"] == 0
    assert body["version_number"] == 1 and body["instrument_key"] == world.version.instrument.key
    items = {item["key"]: item for item in body["items"]}
    assert list(items) == ["q1", "q2", "q3"]
    q1 = items["q1"]
    assert q1["facility"] == pytest.approx(4 / 6)
    assert q1["label"] == {"vi": "Câu hỏi số 1"}
    options = {o["value"]: o for o in q1["options"]}
    assert options["a"] == {"value": "a", "count": 4, "share": pytest.approx(4 / 6), "is_key": True}
    assert options["b"]["count"] == 1 and not options["b"]["is_key"]
    assert q1["n_answered"] == 6 and q1["n_missing"] == 0
    assert body["overall"]["n_items"] == 3
    assert {c["competency"] for c in body["competencies"]} == {"basics", "privacy_safety"}


def test_item_analysis_follows_scope_and_filters(f, api, world):
    coordinator = api(f.user(role="coordinator", locality=world.a))
    assert coordinator.get(analysis_url(world)).get_json()["n"] == 4
    trainer = f.user(role="trainer", locality=world.a)
    world.classes["a2"].trainers.append(trainer)
    db.session.flush()
    assert api(trainer).get(analysis_url(world)).get_json()["n"] == 1
    admin = api(f.user(role="admin"))
    query = f"?locality={world.b.code}&scheme=2025&moment=post&campaign_id={world.campaign.id}"
    assert admin.get(analysis_url(world, query)).get_json()["n"] == 2
    assert admin.get(analysis_url(world, "?moment=pre")).get_json()["n"] == 0
    assert coordinator.get(analysis_url(world, f"?locality={world.b.code}")).status_code == 404


def test_item_analysis_of_unknown_or_hidden_versions_is_404(f, api, world):
    admin = api(f.user(role="admin"))
    v = world.version
    assert (
        admin.get(f"/api/v1/instruments/{v.instrument_id}/versions/9/item-analysis").status_code
        == 404
    )
    assert admin.get("/api/v1/instruments/99999/versions/1/item-analysis").status_code == 404
    assert admin.get(analysis_url(world, "?campaign_id=99999")).status_code == 404
    v.instrument.locality_id = world.b.id
    db.session.flush()
    sibling = api(f.user(role="coordinator", locality=world.a))
    assert sibling.get(analysis_url(world)).status_code == 404


@pytest.mark.parametrize(
    "query", ["?moment=later", "?campaign_id=x", "?campaign_id=0", "?scheme=%00"]
)
def test_item_analysis_bad_arguments_get_422(f, api, world, query):
    response = api(f.user(role="admin")).get(analysis_url(world, query))
    assert response.status_code == 422 and response.get_json()["errors"]


def responses_url(world, query=""):
    return f"/api/v1/campaigns/{world.campaign.id}/responses{query}"


def test_responses_in_long_form_one_row_per_answer(f, api, world):
    body = (
        api(f.user(role="evaluator", locality=world.province)).get(responses_url(world)).get_json()
    )
    rows = body["items"]
    assert len(rows) == 6 * 3 and body["next_cursor"] is None and body["limit"] == 1000
    first = rows[0]
    response = world.responses[0]
    assert first == {
        "response_id": response.id,
        "receipt_code": response.receipt_code,
        "participant": db.session.get(Participant, response.participant_id).public_id,
        "segment": "resident",
        "class_id": world.classes["a1"].id,
        "locality_code": world.a.code,
        "instrument_key": world.version.instrument.key,
        "version_number": 1,
        "moment": "post",
        "submitted_at": "2026-03-02T08:30:00+00:00",
        "score": 3.0,
        "max_score": 3.0,
        "excluded": False,
        "flags": [],
        "item_key": "q1",
        "value": "a",
        "number": None,
        "points": 1.0,
    }
    assert "Lò Văn" not in str(body)  # pseudonymous: no names
    with_excluded = api(f.user(role="admin")).get(responses_url(world, "?include_excluded=true"))
    assert len(with_excluded.get_json()["items"]) == 7 * 3


def test_responses_come_a_page_at_a_time_in_a_stable_order(f, api, world):
    client = api(f.user(role="admin"))
    everything = client.get(responses_url(world)).get_json()["items"]
    seen, cursor, pages = [], None, 0
    while True:
        query = "?limit=4" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(responses_url(world, query)).get_json()
        seen += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == everything and pages == 5
    # Answers added meanwhile to an earlier response do not shift later pages.
    assert [(r["response_id"], r["item_key"]) for r in seen] == sorted(
        (r["response_id"], r["item_key"]) for r in seen
    )


def test_responses_are_scoped_to_the_callers_area(f, api, world):
    url = responses_url(world)
    mine = api(f.user(role="coordinator", locality=world.a)).get(url).get_json()["items"]
    assert {r["locality_code"] for r in mine} == {world.a.code} and len(mine) == 4 * 3
    sibling = api(f.user(role="coordinator", locality=world.a))
    assert sibling.get(responses_url(world, f"?locality={world.b.code}")).status_code == 404
    other = f.campaign(world.b)
    assert sibling.get(f"/api/v1/campaigns/{other.id}/responses").status_code == 404
    assert api(f.user(role="trainer", locality=world.a)).get(url).status_code == 403


def test_responses_of_one_version_only(f, api, world):
    client = api(f.user(role="admin"))
    assert (
        len(client.get(responses_url(world, f"?version_id={world.version.id}")).get_json()["items"])
        == 18
    )
    assert client.get(responses_url(world, "?version_id=99999")).get_json()["items"] == []
    past_the_end = responses_url(world, f"?cursor={world.responses[0].id}-999999999999")
    assert len(client.get(past_the_end).get_json()["items"]) == 18 - 3  # first response done
    assert client.get(responses_url(world, "?cursor=99999999999-0")).get_json()["items"] == []


def test_json_answer_values_come_back_as_json(f, api, world):
    answer = db.session.get(Answer, world.responses[0].answers[0].id)
    answer.value = ["Soạn văn bản", "Tra cứu"]
    db.session.flush()
    rows = api(f.user(role="admin")).get(responses_url(world)).get_json()["items"]
    assert rows[0]["value"] == ["Soạn văn bản", "Tra cứu"]


@pytest.mark.parametrize(
    "query", ["?limit=0", "?limit=5001", "?cursor=12", "?cursor=a-b", "?include_excluded=maybe"]
)
def test_responses_bad_arguments_get_422(f, api, world, query):
    response = api(f.user(role="admin")).get(responses_url(world, query))
    assert response.status_code == 422 and response.get_json()["errors"]["query"]
