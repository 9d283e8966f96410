"""Leaderboard ranking against hand-worked cases: best attempt, score, time, submission, ties,
freezing for the last minutes and revealing; public labels respect consent."""

from datetime import timedelta
from decimal import Decimal

import pytest

from surveyapp.contests import leaderboard as lb
from surveyapp.contests.models import ClubMember, Team
from surveyapp.contests.quiz_models import QuizAttempt
from surveyapp.extensions import db

from .conftest import T0
from .quiz_fixtures import make_quiz


def add_attempt(round_, *, member=None, team, score, seconds, at, number=1, late=False):
    """A submitted attempt sent ``at`` minutes after T0, taking ``seconds``."""
    key = f"t{team.id}" if member is None else f"m{member.id}"
    submitted = T0 + timedelta(minutes=at)
    attempt = QuizAttempt(
        round_id=round_.id,
        contestant_key=key,
        member_id=member.id if member else None,
        team_id=team.id,
        number=number,
        seed=1,
        order={},
        started_at=submitted - timedelta(seconds=seconds),
        deadline_at=submitted + timedelta(minutes=5),
        submitted_at=submitted,
        answers={},
        late=late,
        raw_score=Decimal(score),
        score=Decimal(score),
        max_score=Decimal(10),
        duration_ms=int(seconds * 1000),
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


@pytest.fixture
def quiz(world):
    make_quiz(world["quiz"])
    return world["quiz"]


@pytest.fixture
def six(world):
    """Six pupils: three in each team (the world's two plus one more each)."""
    team_a, team_b = world["teams"]
    extra_a = ClubMember(club=world["clubs"][0], full_name="Sùng A Chứ", grade="9")
    extra_b = ClubMember(club=world["clubs"][1], full_name="Nông Thị Én", grade="10")
    db.session.add_all([extra_a, extra_b])
    team_a.members.append(extra_a)
    team_b.members.append(extra_b)
    db.session.flush()
    return [(m, team_a) for m in team_a.members] + [(m, team_b) for m in team_b.members]


def ranks(board):
    return [(row.rank, row.key) for row in board.rows]


def test_score_then_time_then_submission(quiz, six):
    (p1, ta), (p2, _), (p3, _), (p4, tb), (p5, _), (p6, _) = six
    add_attempt(quiz, member=p1, team=ta, score=8, seconds=300, at=10)
    add_attempt(quiz, member=p2, team=ta, score=9, seconds=400, at=11)  # best score
    add_attempt(quiz, member=p3, team=ta, score=8, seconds=200, at=12)  # 8, faster than p1
    add_attempt(quiz, member=p4, team=tb, score=8, seconds=300, at=9)  # = p1 but sent earlier
    add_attempt(quiz, member=p5, team=tb, score=8, seconds=300, at=9)  # = p4 on all three
    add_attempt(quiz, member=p6, team=tb, score=2, seconds=50, at=1)
    board = lb.board(quiz, now=T0 + timedelta(hours=3))
    found = ranks(board)
    assert found[:2] == [(1, f"m{p2.id}"), (2, f"m{p3.id}")]
    # p4 and p5 are equal on score, time and submission: they share rank 3, then 5 follows.
    assert sorted(found[2:4]) == sorted([(3, f"m{p4.id}"), (3, f"m{p5.id}")])
    assert found[4:] == [(5, f"m{p1.id}"), (6, f"m{p6.id}")]
    assert board.rows[0].time_taken == "6:40.0"


def test_each_contestant_counts_once_with_their_best_attempt(quiz, six):
    (p1, ta), (p2, _), *_ = six
    add_attempt(quiz, member=p1, team=ta, score=4, seconds=100, at=5, number=1)
    add_attempt(quiz, member=p1, team=ta, score=7, seconds=500, at=20, number=2)
    add_attempt(quiz, member=p1, team=ta, score=7, seconds=400, at=30, number=3)
    add_attempt(quiz, member=p2, team=ta, score=6, seconds=60, at=6)
    board = lb.board(quiz, now=T0 + timedelta(hours=3))
    assert [(r.key, r.score, r.duration_ms) for r in board.rows] == [
        (f"m{p1.id}", Decimal(7), 400_000),
        (f"m{p2.id}", Decimal(6), 60_000),
    ]


def test_attempts_not_sent_do_not_count(quiz, six):
    (p1, ta), (p2, _), *_ = six
    add_attempt(quiz, member=p1, team=ta, score=5, seconds=100, at=5)
    open_attempt = add_attempt(quiz, member=p2, team=ta, score=9, seconds=100, at=6)
    open_attempt.submitted_at = None
    db.session.flush()
    assert [r.key for r in lb.board(quiz).rows] == [f"m{p1.id}"]


def test_late_scores_count_as_scored_by_the_late_rule(quiz, six):
    (p1, ta), (p2, _), *_ = six
    add_attempt(quiz, member=p1, team=ta, score=0, seconds=700, at=5, late=True)
    add_attempt(quiz, member=p2, team=ta, score=1, seconds=100, at=6)
    board = lb.board(quiz, now=T0 + timedelta(hours=3))
    assert [r.key for r in board.rows] == [f"m{p2.id}", f"m{p1.id}"]
    assert board.rows[1].late


def test_public_names_need_consent_of_pupil_and_guardian(quiz, six):
    (p1, ta), (p2, _), *_ = six
    p1.pupil_consent_at = p1.guardian_consent_at = T0
    p2.pupil_consent_at = T0  # no guardian consent yet
    add_attempt(quiz, member=p1, team=ta, score=5, seconds=100, at=5)
    add_attempt(quiz, member=p2, team=ta, score=4, seconds=100, at=6)
    labels = [r.label for r in lb.board(quiz).rows]
    assert labels == ["Lò Văn Páo", "A member of Đội Mù Cang Chải"]


def test_team_attempts_show_the_team_label(quiz, world):
    quiz.team_attempts = True
    team_a, team_b = world["teams"]
    for member in team_b.members:
        member.pupil_consent_at = member.guardian_consent_at = T0
    add_attempt(quiz, team=team_a, score=5, seconds=100, at=5)
    add_attempt(quiz, team=team_b, score=6, seconds=100, at=6)
    board = lb.board(quiz)
    first, second = (r.label for r in board.rows)
    assert second == "Đội Mù Cang Chải"  # its pupils have not consented
    assert first.startswith("Đội Văn Yên (") and "Vũ Đức" in first and "Đặng Thu Hà" in first
    # Every member of a team finds the team's row.
    assert board.row_of_member(world["pupils_a"][1].id).key == f"t{team_a.id}"


# ---------------------------------------------------------------- freezing and revealing


@pytest.fixture
def frozen_round(quiz, six):
    """Closes at T0+2h, freezes 30 min before: attempts at T0+60 and T0+100 minutes."""
    quiz.freeze_minutes = 30
    (p1, ta), (p2, _), *_ = six
    add_attempt(quiz, member=p1, team=ta, score=5, seconds=100, at=60)
    add_attempt(quiz, member=p2, team=ta, score=9, seconds=100, at=100)  # after the freeze
    return quiz, p1, p2


def test_before_the_freeze_everyone_sees_the_live_board(frozen_round):
    quiz, p1, p2 = frozen_round
    board = lb.board(quiz, now=T0 + timedelta(minutes=89))
    assert board.state == lb.LIVE and len(board.rows) == 2


def test_during_the_freeze_the_public_sees_the_board_at_freeze_time(frozen_round):
    quiz, p1, p2 = frozen_round
    for minutes in (90, 110, 200):  # in the last 30 minutes and after the close
        board = lb.board(quiz, now=T0 + timedelta(minutes=minutes))
        assert board.state == lb.FROZEN
        assert board.cutoff == T0 + timedelta(minutes=90)
        assert [r.key for r in board.rows] == [f"m{p1.id}"]


def test_organisers_always_see_the_live_board(frozen_round):
    quiz, p1, p2 = frozen_round
    board = lb.board(quiz, viewer_is_organiser=True, now=T0 + timedelta(minutes=110))
    assert board.state == lb.LIVE
    assert [r.key for r in board.rows] == [f"m{p2.id}", f"m{p1.id}"]


def test_revealing_shows_the_final_board_to_everyone(frozen_round):
    from surveyapp.contests import attempts

    quiz, p1, p2 = frozen_round
    attempts.reveal(quiz, actor=None, now=T0 + timedelta(hours=2, minutes=5))
    board = lb.board(quiz, now=T0 + timedelta(hours=3))
    assert board.state == lb.REVEALED
    assert [r.key for r in board.rows] == [f"m{p2.id}", f"m{p1.id}"]


# ---------------------------------------------------------------- the cache


def test_cached_board_is_reused_until_the_data_changes(app, quiz, six):
    (p1, ta), (p2, _), *_ = six
    add_attempt(quiz, member=p1, team=ta, score=5, seconds=100, at=5)
    first = lb.entry_for(quiz, organiser=False, now=T0 + timedelta(minutes=30))
    again = lb.entry_for(quiz, organiser=False, now=T0 + timedelta(minutes=31))
    assert again is first
    add_attempt(quiz, member=p2, team=ta, score=6, seconds=100, at=32)
    changed = lb.entry_for(quiz, organiser=False, now=T0 + timedelta(minutes=33))
    assert changed is not first and len(changed.board.rows) == 2


def test_within_the_ttl_no_query_is_needed(app, quiz, six):
    (p1, ta), (p2, _), *_ = six
    app.config["LEADERBOARD_CACHE_SECONDS"] = 60
    try:
        add_attempt(quiz, member=p1, team=ta, score=5, seconds=100, at=5)
        entry = lb.entry_for(quiz, organiser=False, now=T0 + timedelta(minutes=30))
        add_attempt(quiz, member=p2, team=ta, score=6, seconds=100, at=31)
        assert lb.fresh_entry(quiz.id, organiser=False, now=T0 + timedelta(minutes=32)) is entry
        # Crossing into the freeze changes what the public sees: the entry is not fresh then.
        quiz.freeze_minutes = 30
        lb.entry_for(quiz, organiser=False, now=T0 + timedelta(minutes=32))
        assert lb.fresh_entry(quiz.id, organiser=False, now=T0 + timedelta(minutes=95)) is None
        lb.forget(quiz.id)
        assert lb.fresh_entry(quiz.id, organiser=False, now=T0 + timedelta(minutes=32)) is None
    finally:
        app.config.pop("LEADERBOARD_CACHE_SECONDS")


def test_time_taken_is_written_in_minutes_and_seconds():
    assert lb.time_taken(0) == "0:00.0"
    assert lb.time_taken(61_299) == "1:01.2"
    assert lb.time_taken(3_723_400) == "1:02:03.4"
    assert lb.time_taken(None) == "0:00.0"


def test_a_team_without_members_still_gets_a_label(quiz, world):
    quiz.team_attempts = True
    lone = Team(contest=world["contest"], club=world["clubs"][0], name="Đội Trạm Tấu")
    db.session.add(lone)
    db.session.flush()
    add_attempt(quiz, team=lone, score=1, seconds=10, at=1)
    assert lb.board(quiz).rows[0].label == "Đội Trạm Tấu"


def test_renaming_the_round_refreshes_the_cached_board(quiz, six):
    first = lb.entry_for(quiz, organiser=False, now=T0)
    quiz.title = "Vòng trắc nghiệm Mù Cang Chải"
    again = lb.entry_for(quiz, organiser=False, now=T0)
    assert again is not first and again.info["title"] == "Vòng trắc nghiệm Mù Cang Chải"
