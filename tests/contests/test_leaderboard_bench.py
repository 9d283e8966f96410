"""The leaderboard benchmark's data: a real board, ranked, with consent respected (small)."""

from datetime import UTC, datetime

import sqlalchemy as sa

from benchmarks import leaderboard_bench as bench
from surveyapp.contests import leaderboard as lb
from surveyapp.contests.models import ClubMember, Team, team_member
from surveyapp.contests.quiz_models import QuizAttempt
from surveyapp.extensions import db


def test_the_bench_world_gives_a_full_ranked_board(ctx):
    now = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    contest, quiz, clubs = bench._contest(now)
    members, teams, links, attempts = bench._rows(contest, quiz, clubs, 120, now)
    offset = (db.session.scalar(sa.select(sa.func.max(ClubMember.id))) or 0) + 1000
    team_offset = (db.session.scalar(sa.select(sa.func.max(Team.id))) or 0) + 1000
    for row in members:
        row["id"] += offset
    for row in teams:
        row["id"] += team_offset
    for row in links:
        row["member_id"] += offset
        row["team_id"] += team_offset
    for row in attempts:
        row["member_id"] += offset
        row["team_id"] += team_offset
        row["contestant_key"] = f"m{row['member_id']}"
        row["submission_id"] = f"test-{row['member_id']}"
    db.session.execute(sa.insert(ClubMember), members)
    db.session.execute(sa.insert(Team), teams)
    db.session.execute(sa.insert(team_member), links)
    db.session.execute(sa.insert(QuizAttempt), attempts)
    board = lb.board(quiz, now=now)
    assert len(board.rows) == 120
    keys = [(-r.score, r.duration_ms, r.submitted_at) for r in board.rows]
    assert keys == sorted(keys)
    assert board.rows[0].rank == 1
    named = {m["full_name"] for m in members if m["pupil_consent_at"]}
    shown = {r.label for r in board.rows}
    assert shown & named and not shown & {m["full_name"] for m in members} - named
