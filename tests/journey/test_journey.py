"""The whole trainee journey over HTTP: class page, identification with consent, pre-survey,
skill test with score and feedback, post-survey, follow-up link."""

import re

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.participants.models import Consent, Participant
from surveyapp.responses.models import Answer, Response
from tests.journey.helpers import form_data, identity


def start(client, w, **overrides):
    data = identity(commune=str(w.mau_a.id), **overrides)
    response = client.post(f"/c/{w.cls.access_code}/identify", data=data)
    assert response.status_code == 302, response.text
    return response


def fill(client, url, *pages):
    """Answer ``pages`` (dicts) one after the other; return the last response."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    for answers in pages:
        response = client.post(url, data=form_data(response.text, answers))
    return response


def test_class_page_shows_class_place_date_and_open_forms(world, as_user):
    world.forms["follow"].is_open = False
    db.session.flush()
    text = as_user(None).get(f"/c/{world.cls.access_code.lower()}", follow_redirects=True).text
    assert "Lớp AI xã Mậu A" in text and "Xã Mậu A" in text and "01/03/2026" in text
    assert "Form t-pre" in text and "Form t-skill" in text and "Form t-post" in text
    assert "Form t-follow" not in text
    assert "Start: tell us who you are" in text


def test_identification_form_offers_the_communes_of_the_class_area(world, as_user):
    text = as_user(None).get(f"/c/{world.cls.access_code}/identify").text
    assert "Xã Mậu A" in text and "Xã Đông Cuông" in text
    assert "Xã Khao Mang" not in text
    assert "Using your answers to evaluate the class" in text
    assert 'value="official"' in text
    assert re.search(r'<option selected value="resident">|<option value="resident" selected', text)


def test_whole_journey(world, as_user):
    client = as_user(None)
    code = world.cls.access_code
    start(client, world, consent_follow_up="yes", phone="0912.345.678")
    person = db.session.scalar(sa.select(Participant))
    assert person.phone == "0912345678" and person.full_name == "Nguyễn Thị Lan"
    assert {c.purpose for c in db.session.scalars(sa.select(Consent))} == {
        "evaluation",
        "follow_up",
    }

    landing = client.get(f"/c/{code}").text
    assert "You are answering as Lan." in landing and "0912" not in landing

    # Pre-survey: "hours" is skipped when the person never uses AI.
    done = fill(
        client,
        f"/c/{code}/form/{world.forms['pre'].id}",
        {"se_confident": "2", "ai_frequency": "never", "hours": "5"},
    )
    assert done.status_code == 303
    receipt = client.get(done.location).text
    assert "Receipt code" in receipt and "Result" not in receipt
    assert "Your follow-up code" not in receipt
    pre = db.session.scalar(sa.select(Response).where(Response.version_id == world.v.pre.id))
    keys = {
        a.item.key: a.value
        for a in db.session.scalars(sa.select(Answer).where(Answer.response_id == pre.id))
    }
    assert keys == {"se_confident": 2, "ai_frequency": "never"}

    # Skill test, two pages, with a step back that keeps the answers.
    url = f"/c/{code}/form/{world.forms['skill'].id}"
    page1 = client.get(url)
    page2 = client.post(url, data=form_data(page1.text, {"q1": "b", "q2": "no"}))
    assert "Page 2 of 2" in page2.text
    back = client.post(url, data=form_data(page2.text, {"q3": ["a"]}, action="back"))
    assert "Page 1 of 2" in back.text
    assert re.search(r'value="b"\s*checked', back.text)
    page2 = client.post(url, data=form_data(back.text, {"q1": "b", "q2": "no"}))
    assert re.search(r'value="a"\s*checked', page2.text)  # q3 kept in a hidden field
    done = client.post(url, data=form_data(page2.text, {"q3": ["a", "c"]}))
    assert done.status_code == 303
    receipt = client.get(done.location).text
    assert "3 of 4 points (75%)" in receipt and "Well done: you passed." in receipt
    assert "Correct answer: Option c" in receipt
    assert "Câu lệnh C nêu rõ vai trò" in receipt
    assert "Form t-skill – before the class" in receipt
    assert "Your follow-up code" not in receipt  # the class has not ended yet
    skill = db.session.scalar(sa.select(Response).where(Response.version_id == world.v.skill.id))
    assert skill.score == 3 and skill.max_score == 4 and skill.started_at is not None
    assert skill.moment == "pre" and skill.class_form_id == world.forms["skill"].id

    # Post-survey, the same skill test again after the class, then the follow-up code.
    done = fill(
        client,
        f"/c/{code}/form/{world.forms['post'].id}",
        {"se_confident": "5", "comment": "Rất bổ ích"},
    )
    receipt = client.get(done.location).text
    token = person.follow_up_token
    assert token in receipt and f'href="/f/{token}"' in receipt
    done = fill(
        client,
        f"/c/{code}/form/{world.forms['skill_post'].id}",
        {"q1": "c", "q2": "no"},
        {"q3": ["a", "c"]},
    )
    receipt = client.get(done.location).text
    assert "4 of 4 points (100%)" in receipt and "Form t-skill – after the class" in receipt
    assert "Your follow-up code" in receipt
    landing = client.get(f"/c/{code}").text
    assert landing.count("Sent ✓") == 4 and token in landing

    # Weeks later, on another phone: the follow-up link, no identification, first name only.
    later = as_user(None)
    page = later.get(f"/f/{token.lower()}")
    assert page.status_code == 200
    assert "Lan" in page.text and "Nguyễn" not in page.text and "Mậu A" not in page.text
    assert "0912" not in page.text
    done = later.post(
        f"/f/{token}/form/{world.forms['follow'].id}",
        data=form_data(page.text, {"ai_frequency": "daily", "example": "Soạn thông báo họp thôn"}),
    )
    assert done.status_code == 303
    receipt = later.get(done.location)
    assert receipt.status_code == 200 and "Receipt code" in receipt.text
    again = later.get(f"/f/{token}")
    assert again.status_code == 302 and "/receipt/" in again.location
    follow = db.session.scalar(sa.select(Response).where(Response.version_id == world.v.follow.id))
    assert follow.participant_id == person.id and follow.class_id == world.cls.id
    assert follow.moment == "follow_up" and follow.class_form_id == world.forms["follow"].id
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 5


def test_a_different_person_on_the_same_phone(world, as_user):
    client = as_user(None)
    code = world.cls.access_code
    start(client, world)
    done = fill(
        client,
        f"/c/{code}/form/{world.forms['pre'].id}",
        {"se_confident": "2", "ai_frequency": "never"},
    )
    receipt_url = done.location
    assert client.get(receipt_url).status_code == 200
    response = client.post(f"/c/{code}/forget")
    assert response.status_code == 302
    landing = client.get(f"/c/{code}").text
    assert "You are answering as" not in landing
    assert client.get(receipt_url).status_code == 404
    response = client.get(f"/c/{code}/form/{world.forms['pre'].id}")
    assert response.status_code == 303 and "/identify" in response.location
    with client.session_transaction() as session:
        assert session.get("who") == {}


def test_follow_up_link_waits_until_the_form_is_open(world, as_user):
    world.forms["follow"].is_open = False
    db.session.flush()
    client = as_user(None)
    start(client, world)
    token = db.session.scalar(sa.select(Participant.follow_up_token))
    page = as_user(None).get(f"/f/{token}")
    assert page.status_code == 200 and "Hello, Lan!" in page.text
    assert "not open yet" in page.text
    entered = as_user(None).post("/f", data={"code": token.lower()})
    assert entered.status_code == 302 and entered.location.endswith(f"/f/{token}")


def test_vietnamese_is_the_default_language(world, app, vietnamese_default):
    text = app.test_client().get(f"/c/{world.cls.access_code}/identify").text
    assert "Dùng câu trả lời để đánh giá lớp học" in text
    assert "Nếu bạn không đồng ý, chúng tôi không lưu gì cả." in text


def test_the_class_page_names_the_moment_of_the_skill_test(world, as_user):
    text = as_user(None).get(f"/c/{world.cls.access_code}").text
    assert "Form t-skill – before the class" in text
    assert "Form t-skill – after the class" in text
    assert "Form t-pre</strong>" in text  # a survey has one moment: no suffix


def test_the_skill_test_after_the_class_is_not_blocked_by_the_one_before(world, as_user):
    client = as_user(None)
    code = world.cls.access_code
    start(client, world)
    before = f"/c/{code}/form/{world.forms['skill'].id}"
    after = f"/c/{code}/form/{world.forms['skill_post'].id}"
    fill(client, before, {"q1": "a", "q2": "yes"}, {"q3": ["b"]})
    again = client.get(before)
    assert "This form was already sent" in again.text
    assert "Form t-skill – before the class" in again.text
    page = client.get(after)
    assert "Form t-skill – after the class" in page.text and "Page 1 of 2" in page.text
    done = fill(client, after, {"q1": "c", "q2": "no"}, {"q3": ["a", "c"]})
    assert done.status_code == 303
    rows = db.session.execute(
        sa.select(Response.moment, Response.score).order_by(Response.moment.desc())
    ).all()
    assert rows == [("pre", 0), ("post", 4)]
    landing = client.get(f"/c/{code}").text
    assert landing.count("Sent ✓") == 2


def test_the_follow_up_link_opens_the_follow_up_form_of_the_class(world, as_user):
    client = as_user(None)
    start(client, world)
    token = db.session.scalar(sa.select(Participant.follow_up_token))
    page = as_user(None).get(f"/f/{token}")
    assert page.status_code == 200 and "Form t-follow" in page.text
    assert f'action="/f/{token}/form/{world.forms["follow"].id}"' in page.text
    # Other forms of the class, open as they are, cannot be reached through the link.
    for name in ("pre", "skill", "post", "skill_post"):
        assert as_user(None).get(f"/f/{token}/form/{world.forms[name].id}").status_code == 404
