"""The public results page of a contest: published rounds only, names only with consent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from surveyapp.contests import clubs
from surveyapp.contests.entry_models import Entry, JudgeAssignment, JudgeScore, RubricCriterion
from surveyapp.contests.quiz_models import QuizAttempt
from surveyapp.extensions import db

from .conftest import T0


def _attempt(world, member, score, duration_s):
    rnd = world["quiz"]
    attempt = QuizAttempt(
        round_id=rnd.id,
        contestant_key=f"m{member.id}",
        member_id=member.id,
        team_id=world["teams"][0].id,
        number=1,
        seed=7,
        started_at=T0,
        deadline_at=T0 + timedelta(minutes=10),
        submitted_at=T0 + timedelta(seconds=duration_s),
        answers={},
        raw_score=Decimal(score),
        score=Decimal(score),
        max_score=Decimal(10),
        duration_ms=duration_s * 1000,
    )
    db.session.add(attempt)
    return attempt


def _criterion(world):
    criterion = RubricCriterion(
        round_id=world["product"].id,
        name="Sáng tạo",
        weight=Decimal(1),
        min_score=Decimal(0),
        max_score=Decimal(10),
    )
    db.session.add(criterion)
    db.session.flush()
    return criterion


def _scored_entry(world, criterion, team, title, score):
    rnd = world["product"]
    entry = Entry(round_id=rnd.id, team_id=team.id, title=title, category="Giáo dục")
    db.session.add(entry)
    db.session.flush()
    assignment = JudgeAssignment(entry_id=entry.id, judge_id=world["judge"].id, scored_at=T0)
    db.session.add(assignment)
    db.session.flush()
    db.session.add(
        JudgeScore(assignment_id=assignment.id, criterion_id=criterion.id, score=Decimal(score))
    )
    db.session.flush()
    return entry


def test_draft_contest_has_no_public_page(world, client):
    world["contest"].status = "draft"
    db.session.flush()
    assert client.get(f"/contests/{world['contest'].id}/results").status_code == 404
    assert client.get("/contests/999999/results").status_code == 404


def test_nothing_published_yet(world, client):
    _attempt(world, world["pupils_a"][0], 8, 100)
    db.session.flush()
    page = client.get(f"/contests/{world['contest'].id}/results").get_data(as_text=True)
    assert "No results have been published yet." in page
    assert "Vòng trắc nghiệm" not in page and "Lò Văn Páo" not in page


def test_revealed_quiz_board_shows_names_only_with_consent(world, client):
    páo, mỷ = world["pupils_a"]
    clubs.record_consent(None, mỷ, clubs.Consent(True, True, "Hà Văn Tám"), now=T0)
    _attempt(world, páo, 9, 200)
    _attempt(world, mỷ, 9, 150)
    world["quiz"].revealed_at = T0 + timedelta(hours=3)
    db.session.flush()
    page = client.get(f"/contests/{world['contest'].id}/results").get_data(as_text=True)
    assert "Vòng trắc nghiệm" in page
    assert "Hà Thị Mỷ" in page  # both consents recorded
    assert "Lò Văn Páo" not in page  # no consent: the team's name stands in
    assert "Đội Mù Cang Chải" in page
    assert page.index("Hà Thị Mỷ") < page.index("Đội Mù Cang Chải")  # faster on equal score
    assert "Vòng sản phẩm" not in page  # not published


def test_published_product_round_lists_ranked_entries(world, client):
    team_a, team_b = world["teams"]
    criterion = _criterion(world)
    _scored_entry(world, criterion, team_a, "Máy tưới cây thông minh", 7)
    _scored_entry(world, criterion, team_b, "Trợ lý học tiếng Anh", 9)
    world["product"].results_published_at = T0 + timedelta(days=8)
    db.session.flush()
    page = client.get(f"/contests/{world['contest'].id}/results").get_data(as_text=True)
    assert "Vòng sản phẩm" in page
    assert page.index("Trợ lý học tiếng Anh") < page.index("Máy tưới cây thông minh")
    assert "Đội Văn Yên" in page and "Đặng Thu Hà" not in page
    assert "Vòng trắc nghiệm" not in page
