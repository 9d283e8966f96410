"""The demo's school AI contest: clubs, pupils, teams, a taken quiz round, a judged product
round with published results, and the public results page over it.

Built once for the module (like tests/demo/test_demo_data.py), inside a transaction that is
rolled back at the end; each test runs in a savepoint inside it.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.accounts.models import User
from surveyapp.contests.entry_models import Entry, JudgeAssignment
from surveyapp.contests.judging import conflict
from surveyapp.contests.models import Club, ClubMember, Contest, ContestJudge, Team
from surveyapp.contests.quiz_models import QuizAttempt
from surveyapp.demo.builder import build_demo
from surveyapp.extensions import db

from ..conftest import in_savepoint, rolled_back


@pytest.fixture(scope="module")
def _demo(app):
    """The demo, built once for the module, inside a transaction rolled back afterwards."""
    with rolled_back(app) as connection:
        build_demo(scale=0.02)
        db.session.commit()  # releases the savepoint; the outer transaction stays open
        db.session.remove()
        yield connection


@pytest.fixture(autouse=True)
def _transaction(app, _demo):
    """Overrides the suite's per-test transaction: a savepoint inside the demo's one."""
    with in_savepoint(app, _demo):
        yield


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _contest() -> Contest:
    return db.session.scalar(sa.select(Contest))


def test_clubs_pupils_and_teams():
    assert (_count(Club), _count(ClubMember), _count(Team)) == (2, 20, 5)
    clubs = db.session.scalars(sa.select(Club).order_by(Club.id)).all()
    assert clubs[0].locality_id != clubs[1].locality_id
    assert clubs[0].leader.email.startswith("giangvien@")
    consented = [m for m in db.session.scalars(sa.select(ClubMember)) if m.may_publish_name]
    assert 0 < len(consented) < 20
    for team in _contest().teams:
        assert 1 <= len(team.members) <= 5
        assert {m.club_id for m in team.members} == {team.club_id}


def test_quiz_round_was_taken_and_revealed():
    quiz, _product, practice = _contest().rounds
    attempts = db.session.scalars(sa.select(QuizAttempt).where(QuizAttempt.round_id == quiz.id))
    attempts = list(attempts)
    assert len(attempts) == 17 and all(a.submitted_at is not None for a in attempts)
    late = [a for a in attempts if a.late]
    assert len(late) == 1 and late[0].score == (late[0].raw_score / 2).quantize(late[0].score)
    assert quiz.revealed_at is not None and practice.revealed_at is None


def test_product_round_judged_by_three_judges_never_of_the_same_school():
    product = _contest().rounds[1]
    entries = db.session.scalars(sa.select(Entry).where(Entry.round_id == product.id)).all()
    assert len(entries) == 5
    judges = {j.user_id: j for j in db.session.scalars(sa.select(ContestJudge))}
    assert len(judges) == 4
    for entry in entries:
        assignments = db.session.scalars(
            sa.select(JudgeAssignment).where(JudgeAssignment.entry_id == entry.id)
        ).all()
        assert len(assignments) == 3 and all(a.scored_at for a in assignments)
        assert not any(conflict(judges[a.judge_id], entry.team) for a in assignments)
    assert product.results_published_at is not None
    assert any(e.prize for e in entries)


def test_demo_judge_login_has_assignments():
    judge = db.session.scalar(sa.select(User).where(User.email.like("giamkhao@%")))
    assigned = db.session.scalar(
        sa.select(sa.func.count()).where(JudgeAssignment.judge_id == judge.id)
    )
    assert assigned >= 3


def test_public_results_page_of_the_demo(client):
    contest = _contest()
    page = client.get(f"/contests/{contest.id}/results").get_data(as_text=True)
    assert "Vòng 1: Hiểu biết về AI" in page and "Vòng 2: Sản phẩm AI vì cộng đồng" in page
    hidden = db.session.scalars(
        sa.select(ClubMember.full_name).where(ClubMember.pupil_consent_at.is_(None))
    ).all()
    assert hidden and not any(name in page for name in hidden)
