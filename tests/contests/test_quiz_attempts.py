"""Quiz attempt services: time windows, server deadlines, late rules, idempotent submits."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from surveyapp.contests import attempts
from surveyapp.contests.quiz_models import QuizAttempt
from surveyapp.errors import DomainError
from surveyapp.extensions import db

from .conftest import T0
from .quiz_fixtures import RIGHT, make_quiz


@pytest.fixture
def quiz(world):
    make_quiz(world["quiz"])
    return world["quiz"]


def sid() -> str:
    return str(uuid.uuid4())


def test_start_sets_a_server_deadline_and_a_stored_order(world, quiz):
    pupil = world["pupils_a"][0]
    attempt = attempts.start_attempt(quiz, pupil, now=T0 + timedelta(minutes=1), seed=99)
    assert attempt.contestant_key == f"m{pupil.id}"
    assert attempt.team_id == world["teams"][0].id
    assert attempts.aware(attempt.deadline_at) == T0 + timedelta(minutes=11)
    assert attempt.order["items"][0] == "intro"
    assert attempt.seed == 99
    assert quiz.version_id and db.session.get(type(quiz), quiz.id).version_id == quiz.version_id


def test_starting_again_gives_back_the_same_attempt(world, quiz):
    pupil = world["pupils_a"][0]
    first = attempts.start_attempt(quiz, pupil, now=T0)
    again = attempts.start_attempt(quiz, pupil, now=T0 + timedelta(minutes=3))
    assert again.id == first.id
    assert again.order == first.order
    assert again.deadline_at == first.deadline_at


def test_the_deadline_never_passes_the_close(world, quiz):
    attempt = attempts.start_attempt(
        quiz, world["pupils_a"][0], now=T0 + timedelta(hours=1, minutes=55)
    )
    assert attempts.aware(attempt.deadline_at) == T0 + timedelta(hours=2)


@pytest.mark.parametrize(
    ("offset", "message"),
    [(timedelta(minutes=-1), "not opened"), (timedelta(hours=2), "closed")],
)
def test_no_start_outside_the_window(world, quiz, offset, message):
    with pytest.raises(DomainError, match=message):
        attempts.start_attempt(quiz, world["pupils_a"][0], now=T0 + offset)


def test_no_start_when_the_contest_is_not_open(world, quiz):
    world["contest"].status = "closed"
    with pytest.raises(DomainError, match="not open"):
        attempts.start_attempt(quiz, world["pupils_a"][0], now=T0)


def test_a_pupil_without_a_team_cannot_start(world, quiz, f):
    from surveyapp.contests.models import ClubMember

    loner = ClubMember(club=world["clubs"][0], full_name="Giàng A Lử", grade="7")
    db.session.add(loner)
    db.session.flush()
    with pytest.raises(DomainError, match="not in a team"):
        attempts.start_attempt(quiz, loner, now=T0)


def test_full_marks_on_time(world, quiz):
    attempt = attempts.start_attempt(quiz, world["pupils_a"][0], now=T0)
    attempts.submit_attempt(attempt, RIGHT, sid(), now=T0 + timedelta(minutes=4, seconds=2))
    assert attempt.score == attempt.raw_score == Decimal("6.00")
    assert attempt.max_score == Decimal("6.00")
    assert not attempt.late
    assert attempt.duration_ms == 242_000
    assert attempt.answers["q2"] == ["a", "c"]


def test_partial_and_wrong_answers_use_the_instruments_scorer(world, quiz):
    attempt = attempts.start_attempt(quiz, world["pupils_a"][0], now=T0)
    answers = {"q1": "a", "q2": ["a"], "q3": "yes", "q4": "5", "q5": "41"}
    attempts.submit_attempt(attempt, answers, sid(), now=T0 + timedelta(minutes=1))
    assert attempt.score == Decimal("2.00")  # q2 half of 2 + q3 1


@pytest.mark.parametrize(
    ("rule", "percent", "expected"),
    [("zero", 0, "0.00"), ("penalty", 25, "4.50"), ("accept", 0, "6.00")],
)
def test_late_answers_follow_the_round_rule(world, quiz, rule, percent, expected):
    quiz.late_rule, quiz.late_penalty_percent = rule, percent
    attempt = attempts.start_attempt(quiz, world["pupils_a"][0], now=T0)
    attempts.submit_attempt(attempt, RIGHT, sid(), now=T0 + timedelta(minutes=10, seconds=6))
    assert attempt.late
    assert attempt.raw_score == Decimal("6.00")
    assert attempt.score == Decimal(expected)


def test_the_grace_period_is_not_late(world, quiz):
    attempt = attempts.start_attempt(quiz, world["pupils_a"][0], now=T0)
    attempts.submit_attempt(attempt, RIGHT, sid(), now=T0 + timedelta(minutes=10, seconds=5))
    assert not attempt.late and attempt.score == Decimal("6.00")


def test_invalid_answers_are_refused_while_time_is_left(world, quiz):
    attempt = attempts.start_attempt(quiz, world["pupils_a"][0], now=T0)
    with pytest.raises(attempts.AnswerErrors) as caught:
        attempts.submit_attempt(attempt, {"q1": "z", "q5": "bốn"}, sid(), now=T0)
    assert set(caught.value.result.errors) == {"q1", "q5"}
    assert attempt.submitted_at is None


def test_after_the_deadline_invalid_answers_are_dropped_and_the_rest_recorded(world, quiz):
    quiz.late_rule = "accept"
    attempt = attempts.start_attempt(quiz, world["pupils_a"][0], now=T0)
    later = T0 + timedelta(minutes=30)
    attempts.submit_attempt(attempt, {"q1": "b", "q5": "bốn"}, sid(), now=later)
    assert attempt.late and attempt.score == Decimal("2.00")
    assert "q5" not in attempt.answers


def test_a_retried_submission_is_stored_once(world, quiz):
    attempt = attempts.start_attempt(quiz, world["pupils_a"][0], now=T0)
    token = sid()
    attempts.submit_attempt(attempt, RIGHT, token, now=T0 + timedelta(minutes=2))
    again = attempts.submit_attempt(attempt, {"q1": "a"}, token, now=T0 + timedelta(minutes=3))
    assert again.id == attempt.id and again.score == Decimal("6.00")
    assert attempts.aware(again.submitted_at) == T0 + timedelta(minutes=2)
    with pytest.raises(attempts.AlreadySubmitted):
        attempts.submit_attempt(attempt, RIGHT, sid(), now=T0 + timedelta(minutes=3))


def test_a_malformed_submission_id_is_refused(world, quiz):
    attempt = attempts.start_attempt(quiz, world["pupils_a"][0], now=T0)
    with pytest.raises(DomainError):
        attempts.submit_attempt(attempt, RIGHT, "not-a-uuid", now=T0)


def test_one_attempt_unless_the_round_allows_more(world, quiz):
    pupil = world["pupils_a"][0]
    first = attempts.start_attempt(quiz, pupil, now=T0)
    attempts.submit_attempt(first, RIGHT, sid(), now=T0 + timedelta(minutes=1))
    with pytest.raises(DomainError, match="all the attempts"):
        attempts.start_attempt(quiz, pupil, now=T0 + timedelta(minutes=2))
    quiz.attempts_allowed = 2
    second = attempts.start_attempt(quiz, pupil, now=T0 + timedelta(minutes=2))
    assert second.number == 2 and second.id != first.id


def test_team_attempts_are_shared_by_the_team(world, quiz):
    quiz.team_attempts = True
    one, two = world["pupils_a"]
    attempt = attempts.start_attempt(quiz, one, now=T0)
    assert attempt.contestant_key == f"t{world['teams'][0].id}" and attempt.member_id is None
    assert attempts.start_attempt(quiz, two, now=T0 + timedelta(minutes=1)).id == attempt.id
    attempts.submit_attempt(attempt, RIGHT, sid(), now=T0 + timedelta(minutes=2))
    with pytest.raises(DomainError, match="all the attempts"):
        attempts.start_attempt(quiz, two, now=T0 + timedelta(minutes=3))


def test_attempt_for_only_gives_own_or_team_attempts(world, quiz):
    pupil, teammate = world["pupils_a"]
    other = world["pupils_b"][0]
    attempt = attempts.start_attempt(quiz, pupil, now=T0)
    assert attempts.attempt_for(attempt.id, pupil) == attempt
    assert attempts.attempt_for(attempt.id, teammate) is None  # individual round
    assert attempts.attempt_for(attempt.id, other) is None
    quiz.team_attempts = True
    team_attempt = attempts.start_attempt(quiz, pupil, now=T0)
    assert attempts.attempt_for(team_attempt.id, teammate) == team_attempt
    assert attempts.attempt_for(team_attempt.id, other) is None


def test_starting_freezes_the_instrument_version(world, quiz):
    from surveyapp.instruments.models import InstrumentVersion

    attempts.start_attempt(quiz, world["pupils_a"][0], now=T0)
    assert db.session.get(InstrumentVersion, quiz.version_id).frozen_at is not None


def test_reveal_only_after_the_close(world, quiz):
    with pytest.raises(DomainError):
        attempts.reveal(quiz, actor=None, now=T0 + timedelta(hours=1))
    attempts.reveal(quiz, actor=None, now=T0 + timedelta(hours=2))
    assert attempts.aware(quiz.revealed_at) == T0 + timedelta(hours=2)
    with pytest.raises(DomainError):
        attempts.reveal(world["product"], actor=None, now=T0 + timedelta(days=8))


def test_attempts_are_stored_with_vietnamese_answers_intact(world, quiz):
    attempt = attempts.start_attempt(quiz, world["pupils_b"][0], now=T0)
    attempts.submit_attempt(attempt, RIGHT, sid(), now=T0 + timedelta(minutes=1))
    db.session.expire_all()
    stored = db.session.get(QuizAttempt, attempt.id)
    assert stored.member.full_name == "Đặng Thu Hà"
