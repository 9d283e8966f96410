"""Rubric editor, judge assignment (never a judge of the team's school), and scoring."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from surveyapp.contests import judging, rubric
from surveyapp.contests.entry_models import JudgeAssignment, JudgeScore, RubricCriterion
from surveyapp.errors import DomainError
from surveyapp.extensions import db

from .conftest import T0
from .entry_helpers import add_judge, give_scores, make_entry, make_rubric


def _count(model, *where):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count(model.id)).where(*where))


# ---------------------------------------------------------------- rubric


def test_organiser_builds_the_rubric(world, as_user):
    product = world["product"]
    client = as_user(world["organiser"])
    url = f"/contests/product-rounds/{product.id}/rubric"
    assert client.get(url).status_code == 200
    data = {"name": "Tính sáng tạo", "weight": "1,5", "min_score": "0", "max_score": "10"}
    assert client.post(url, data=data).status_code == 302
    criterion = db.session.scalar(sa.select(RubricCriterion))
    assert criterion.name == "Tính sáng tạo" and criterion.weight == Decimal("1.5")
    edit = f"/contests/criteria/{criterion.id}/edit"
    assert "1.5" in client.get(edit).get_data(as_text=True)
    assert client.post(edit, data={**data, "max_score": "20"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(RubricCriterion, criterion.id).max_score == Decimal(20)
    assert client.post(f"/contests/criteria/{criterion.id}/delete").status_code == 302
    assert _count(RubricCriterion) == 0


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"weight": "0"}, "above 0"),
        ({"weight": "abc"}, "Enter a number"),
        ({"min_score": "10", "max_score": "5"}, "above the lowest"),
        ({"name": ""}, "required"),
    ],
)
def test_bad_criterion_is_refused_next_to_its_field(world, as_user, change, words):
    url = f"/contests/product-rounds/{world['product'].id}/rubric"
    data = {"name": "Ứng dụng thực tế", "weight": "1", "min_score": "0", "max_score": "10"}
    response = as_user(world["organiser"]).post(url, data={**data, **change})
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and words in text
    assert _count(RubricCriterion) == 0


def test_rubric_locks_once_scored(world):
    product = world["product"]
    crit = make_rubric(product, [("Sáng tạo", 1, 0, 10)])
    entry = make_entry(product, world["teams"][0])
    give_scores(entry, world["judge"], crit, [7])
    for call in (
        lambda: rubric.add_criterion(
            product, name="Mới", description="", weight=1, min_score=0, max_score=5
        ),
        lambda: rubric.delete_criterion(crit[0], product),
    ):
        with pytest.raises(DomainError, match="can no longer change"):
            call()


def test_rubric_pages_only_for_organisers(world, as_user, f):
    url = f"/contests/product-rounds/{world['product'].id}/rubric"
    assert as_user(f.user("coordinator", world["a"])).get(url).status_code == 404
    assert as_user(world["leaders"][0]).get(url).status_code == 403
    assert as_user(f.user("admin")).get(url).status_code == 200
    quiz_url = f"/contests/product-rounds/{world['quiz'].id}/rubric"
    assert as_user(world["organiser"]).get(quiz_url).status_code == 404


# ---------------------------------------------------------------- assignment


def test_judge_of_the_same_school_is_refused(world, f):
    school_a, school_b = world["schools"]
    entry = make_entry(world["product"], world["teams"][0])
    teacher_a = add_judge(f, world["contest"], world["a"], school_a)
    with pytest.raises(DomainError, match="may not judge"):
        judging.assign(entry, teacher_a, now=T0)
    teacher_b = add_judge(f, world["contest"], world["b"], school_b)
    assert judging.assign(entry, teacher_b, now=T0).judge_id == teacher_b.id
    with pytest.raises(DomainError, match="already"):
        judging.assign(entry, teacher_b, now=T0)
    with pytest.raises(DomainError, match="not a judge"):
        judging.assign(entry, f.user("judge", world["a"]), now=T0)


def test_assign_form_shows_the_refusal(world, as_user, f):
    school_a, _ = world["schools"]
    entry = make_entry(world["product"], world["teams"][0])
    teacher_a = add_judge(f, world["contest"], world["a"], school_a)
    url = f"/contests/product-rounds/{world['product'].id}/judges"
    response = as_user(world["organiser"]).post(
        url, data={"entry": entry.id, "judge": teacher_a.id}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "Trường THCS Mậu A" in text and "may not judge" in text
    assert _count(JudgeAssignment) == 0
    ok = as_user(world["organiser"]).post(url, data={"entry": entry.id, "judge": world["judge"].id})
    assert ok.status_code == 302 and _count(JudgeAssignment) == 1


def test_auto_assign_is_balanced_and_never_same_school(world, f):
    school_a, school_b = world["schools"]
    product, contest = world["product"], world["contest"]
    team_a, team_b = world["teams"]
    entries = [make_entry(product, team_a, title="A1"), make_entry(product, team_b, title="B1")]
    judges = [
        add_judge(f, contest, world["a"], school_a),
        add_judge(f, contest, world["b"], school_b),
        add_judge(f, contest, world["b"], school_b),
    ]  # plus world["judge"] without a school
    added = judging.auto_assign(product, 2, now=T0)
    assert added == 4
    pairs = {(a.entry_id, a.judge_id) for a in judging.round_assignments(product)}
    assert (entries[0].id, judges[0].id) not in pairs
    assert (entries[1].id, judges[1].id) not in pairs and (entries[1].id, judges[2].id) not in pairs
    loads = [sum(1 for _e, j in pairs if j == judge.id) for judge in [*judges, world["judge"]]]
    assert max(loads) - min(loads) <= 1
    # running again adds nothing: every entry has its 2 judges
    assert judging.auto_assign(product, 2, now=T0) == 0


def test_auto_assign_all_or_nothing(world, f):
    school_a, _ = world["schools"]
    make_entry(world["product"], world["teams"][0], title="Đội Mù Cang Chải dự thi")
    make_entry(world["product"], world["teams"][1])
    add_judge(f, world["contest"], world["a"], school_a)
    with pytest.raises(DomainError, match="only 1 eligible"):
        judging.auto_assign(world["product"], 2, now=T0)
    assert _count(JudgeAssignment) == 0


def test_unassign_refused_after_scoring(world, as_user):
    crit = make_rubric(world["product"], [("Sáng tạo", 1, 0, 10)])
    entry = make_entry(world["product"], world["teams"][0])
    assignment = give_scores(entry, world["judge"], crit, [5])
    url = f"/contests/assignments/{assignment.id}/delete"
    assert as_user(world["organiser"]).post(url).status_code == 302
    assert _count(JudgeAssignment) == 1


# ---------------------------------------------------------------- scoring


@pytest.fixture
def scored_setup(world):
    crit = make_rubric(world["product"], [("Sáng tạo", 2, 0, 10), ("Trình bày", 1, 1, 5)])
    entry = make_entry(world["product"], world["teams"][0], title="Bài Mù Cang Chải")
    assignment = JudgeAssignment(entry_id=entry.id, judge_id=world["judge"].id)
    db.session.add(assignment)
    db.session.flush()
    return crit, entry, assignment


def test_judge_sees_assigned_entries_and_scores(world, as_user, scored_setup):
    crit, entry, assignment = scored_setup
    client = as_user(world["judge"])
    assert "Bài Mù Cang Chải" in client.get("/contests/judging").get_data(as_text=True)
    url = f"/contests/assignments/{assignment.id}/score"
    assert client.get(url).status_code == 200
    data = {f"c{crit[0].id}": "8,5", f"c{crit[1].id}": "4", "comment": "Ý tưởng hay"}
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    saved = db.session.get(JudgeAssignment, assignment.id)
    assert saved.scored_at is not None and saved.comment == "Ý tưởng hay"
    assert sorted(s.score for s in saved.scores) == [Decimal(4), Decimal("8.5")]
    # changing the scores replaces them
    assert client.post(url, data={**data, f"c{crit[1].id}": "5"}).status_code == 302
    assert _count(JudgeScore) == 2


@pytest.mark.parametrize(
    ("value", "words"), [("11", "between 0 and 10"), ("x", "number"), ("", "required")]
)
def test_score_out_of_bounds_is_refused(world, as_user, scored_setup, value, words):
    crit, _entry, assignment = scored_setup
    data = {f"c{crit[0].id}": value, f"c{crit[1].id}": "3"}
    response = as_user(world["judge"]).post(
        f"/contests/assignments/{assignment.id}/score", data=data
    )
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert _count(JudgeScore) == 0


def test_who_may_open_a_score_form(world, as_user, scored_setup, f):
    _crit, _entry, assignment = scored_setup
    url = f"/contests/assignments/{assignment.id}/score"
    other_judge = add_judge(f, world["contest"], world["b"])
    assert as_user(other_judge).get(url).status_code == 404
    assert as_user(other_judge).post(url, data={}).status_code == 404
    organiser = as_user(world["organiser"])
    assert organiser.get(url).status_code == 200
    assert organiser.post(url, data={}).status_code == 403
    assert as_user(f.user("coordinator", world["a"])).get(url).status_code == 404
    assert as_user(world["leaders"][0]).get(url).status_code == 403


def test_scoring_closes_when_results_are_published(world, scored_setup):
    crit, _entry, assignment = scored_setup
    world["product"].results_published_at = T0
    with pytest.raises(DomainError, match="published"):
        judging.submit_scores(assignment, {crit[0].id: 5, crit[1].id: 3}, "", now=T0)


def test_assignment_page_auto_and_remove(world, as_user, f):
    _school_a, school_b = world["schools"]
    make_entry(world["product"], world["teams"][0], title="Bài Mù Cang Chải")
    add_judge(f, world["contest"], world["b"], school_b)
    client = as_user(world["organiser"])
    base = f"/contests/product-rounds/{world['product'].id}/judges"
    page = client.get(base).get_data(as_text=True)
    assert "Bài Mù Cang Chải" in page and "Trường THPT Văn Yên" in page
    bad = client.post(base + "/auto", data={"k": "3"})
    assert bad.status_code == 400 and "only 2 eligible" in bad.get_data(as_text=True)
    assert client.post(base + "/auto", data={"k": "0"}).status_code == 400
    assert client.post(base + "/auto", data={"k": "2"}).status_code == 302
    assert _count(JudgeAssignment) == 2
    first = db.session.scalar(sa.select(JudgeAssignment).order_by(JudgeAssignment.id))
    assert client.post(f"/contests/assignments/{first.id}/delete").status_code == 302
    assert _count(JudgeAssignment) == 1


def test_judge_home_lists_only_own_assignments(world, as_user, f):
    entry = make_entry(world["product"], world["teams"][0], title="Bài Mù Cang Chải")
    other = add_judge(f, world["contest"], world["b"])
    db.session.add(JudgeAssignment(entry_id=entry.id, judge_id=other.id))
    db.session.flush()
    page = as_user(world["judge"]).get("/contests/judging").get_data(as_text=True)
    assert "Bài Mù Cang Chải" not in page and "No entry is assigned to you" in page
    assert "Bài Mù Cang Chải" in as_user(other).get("/contests/judging").get_data(as_text=True)


def test_score_form_shows_bounds_and_weights(world, as_user, scored_setup):
    _crit, _entry, assignment = scored_setup
    page = as_user(world["judge"], "vi").get(f"/contests/assignments/{assignment.id}/score")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Sáng tạo" in text and "10" in text and "Trình bày" in text
    page = as_user(world["judge"]).get(f"/contests/assignments/{assignment.id}/score")
    assert "Sáng tạo (from 0 to 10, weight 2)" in page.get_data(as_text=True)
