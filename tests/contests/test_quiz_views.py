"""The pupil's quiz pages: start, reload, answer, send, result; only their own attempts."""

import re
import uuid

import pytest

from surveyapp.contests.quiz_models import QuizAttempt
from surveyapp.extensions import db

from .conftest import pupil_client
from .quiz_fixtures import RIGHT, make_quiz


@pytest.fixture
def quiz(world, clock):
    make_quiz(world["quiz"])
    return world["quiz"]


def _start(app, quiz, member):
    client = pupil_client(app, member)
    response = client.post(f"/contests/quiz/{quiz.id}/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt_id = int(response.location.rstrip("/").split("/")[-1])
    return client, db.session.get(QuizAttempt, attempt_id)


def _send(client, attempt, answers, token=None):
    data = {**answers, "submission_id": token or str(uuid.uuid4())}
    return client.post(f"/contests/quiz/attempts/{attempt.id}", data=data)


def _order_on_page(html):
    return re.findall(r'id="item-(q\d|intro)"', html)


def test_round_page_shows_rules_and_start_button(app, world, quiz):
    page = pupil_client(app, world["pupils_a"][0]).get(f"/contests/quiz/{quiz.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Vòng trắc nghiệm" in html and "Đội Mù Cang Chải" in html
    assert "Start the quiz" in html and "10 minutes" in html


def test_without_a_pupil_session_the_pupil_is_told_to_join(client, quiz):
    for url in (f"/contests/quiz/{quiz.id}", f"/contests/quiz/{quiz.id}/start"):
        response = client.get(url) if not url.endswith("start") else client.post(url)
        assert response.status_code == 403
        assert "Join your club first" in response.get_data(as_text=True)


def test_start_then_reload_shows_the_same_order(app, world, quiz, clock):
    client, attempt = _start(app, quiz, world["pupils_a"][0])
    first = client.get(f"/contests/quiz/attempts/{attempt.id}").get_data(as_text=True)
    clock.advance(minutes=2)
    again = client.post(f"/contests/quiz/{quiz.id}/start")
    assert again.location.endswith(f"/contests/quiz/attempts/{attempt.id}")
    second = client.get(f"/contests/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert _order_on_page(first) == _order_on_page(second) == attempt.order["items"]
    assert "Time left: about 8 min" in second
    assert 'data-remaining="480"' in second


def test_options_are_shown_in_the_stored_order(app, world, quiz):
    client, attempt = _start(app, quiz, world["pupils_a"][0])
    html = client.get(f"/contests/quiz/attempts/{attempt.id}").get_data(as_text=True)
    block = html[html.index('id="item-q1"') :]
    shown = re.findall(r'name="q1" value="(\w)"', block)
    assert shown == attempt.order["options"]["q1"]


def test_sending_scores_and_shows_the_result(app, world, quiz, clock):
    client, attempt = _start(app, quiz, world["pupils_a"][0])
    clock.advance(minutes=3)
    response = _send(client, attempt, RIGHT)
    assert response.status_code == 302
    assert response.location.endswith(f"/contests/quiz/attempts/{attempt.id}/result")
    html = client.get(response.location).get_data(as_text=True)
    assert "6.00 of 6.00 points" in html and "3:00.0" in html
    assert "once the round has closed" in html
    # The attempt page now leads to the result.
    assert client.get(f"/contests/quiz/attempts/{attempt.id}").status_code == 302


def test_after_the_close_the_result_explains_each_question(app, world, quiz, clock):
    client, attempt = _start(app, quiz, world["pupils_a"][0])
    _send(client, attempt, {**RIGHT, "q1": "a"})
    clock.advance(hours=3)
    html = client.get(f"/contests/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "not correct" in html and "Because AI learns from data." in html


def test_a_resent_form_is_stored_once(app, world, quiz):
    client, attempt = _start(app, quiz, world["pupils_a"][0])
    token = str(uuid.uuid4())
    assert _send(client, attempt, RIGHT, token).status_code == 302
    assert _send(client, attempt, {"q1": "a"}, token).status_code == 302
    db.session.refresh(attempt)
    assert attempt.score == 6


def test_invalid_answers_come_back_with_messages_and_what_was_typed(app, world, quiz):
    client, attempt = _start(app, quiz, world["pupils_a"][0])
    response = _send(client, attempt, {"q5": "bốn mươi hai", "q3": "yes"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a whole number" in html and 'value="bốn mươi hai"' in html
    assert re.search(r'value="yes"\s+checked', html)


def test_a_late_submission_is_recorded_late(app, world, quiz, clock):
    client, attempt = _start(app, quiz, world["pupils_a"][0])
    clock.advance(minutes=11)
    page = client.get(f"/contests/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert "Time is up" in page
    _send(client, attempt, RIGHT)
    html = client.get(f"/contests/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "late" in html and "0.00 of 6.00 points" in html


def test_pupils_cannot_reach_other_pupils_attempts(app, world, quiz):
    _, attempt = _start(app, quiz, world["pupils_a"][0])
    for intruder in (world["pupils_a"][1], world["pupils_b"][0]):
        client = pupil_client(app, intruder)
        assert client.get(f"/contests/quiz/attempts/{attempt.id}").status_code == 404
        assert client.get(f"/contests/quiz/attempts/{attempt.id}/result").status_code == 404
        assert _send(client, attempt, RIGHT).status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(f"/contests/quiz/attempts/{attempt.id}").status_code == 403
    assert anonymous.get(f"/contests/quiz/attempts/{attempt.id}/result").status_code == 403


def test_team_mates_share_a_team_attempt(app, world, quiz):
    quiz.team_attempts = True
    db.session.flush()
    client, attempt = _start(app, quiz, world["pupils_a"][0])
    mate = pupil_client(app, world["pupils_a"][1])
    assert mate.get(f"/contests/quiz/attempts/{attempt.id}").status_code == 200
    assert _send(mate, attempt, RIGHT).status_code == 302
    response = _send(client, attempt, RIGHT)  # the other phone sends too
    assert response.status_code == 302 and response.location.endswith("/result")
    other_team = pupil_client(app, world["pupils_b"][0])
    assert other_team.get(f"/contests/quiz/attempts/{attempt.id}").status_code == 404


def test_unknown_and_product_rounds_are_404(app, world, quiz):
    client = pupil_client(app, world["pupils_a"][0])
    assert client.get("/contests/quiz/999999").status_code == 404
    assert client.get(f"/contests/quiz/{world['product'].id}").status_code == 404


def test_a_closed_round_does_not_start(app, world, quiz, clock):
    clock.advance(hours=3)
    client = pupil_client(app, world["pupils_a"][0])
    response = client.post(f"/contests/quiz/{quiz.id}/start", follow_redirects=True)
    assert "This round is closed." in response.get_data(as_text=True)
    assert db.session.query(QuizAttempt).count() == 0


def test_a_pupil_outside_the_contest_gets_403(app, world, quiz):
    from surveyapp.contests.models import ClubMember

    loner = ClubMember(club=world["clubs"][1], full_name="Sùng Thị Dợ", grade="6")
    db.session.add(loner)
    db.session.flush()
    response = pupil_client(app, loner).get(f"/contests/quiz/{quiz.id}")
    assert response.status_code == 403 and "not in a team" in response.get_data(as_text=True)


def test_pages_render_in_vietnamese_with_diacritics(app, world, quiz, vietnamese_default):
    client, attempt = _start(app, quiz, world["pupils_a"][0])
    html = client.get(f"/contests/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert 'lang="vi"' in html and "Trí tuệ nhân tạo là gì?" in html and "Phương án b" in html
    board = client.get(f"/contests/rounds/{quiz.id}/leaderboard").get_data(as_text=True)
    assert "Vòng trắc nghiệm" in board and "Sản phẩm AI của em 2026" in board
