"""Contests, rounds setup and judges: organiser rules, visibility and the pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from surveyapp.contests import contests, rounds
from surveyapp.contests.forms import local_to_utc, utc_to_local
from surveyapp.contests.models import Contest, ContestJudge, Round
from surveyapp.contests.quiz_models import QuizAttempt
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.security import compute_scope

from .conftest import T0


@pytest.fixture
def quiz_version(world):
    instrument = Instrument(key="thi-ai-2026", kind="contest_quiz", title={"vi": "Đố vui AI"})
    version = InstrumentVersion(instrument=instrument, number=1, title={"vi": "Đố vui AI"})
    version.items.append(
        Item(
            key="q1",
            position=1,
            qtype="single_choice",
            label={"vi": "AI là gì?"},
            choices=[{"value": "a", "label": {"vi": "Máy"}}],
            answer_key="a",
            points=1,
        )
    )
    db.session.add_all([instrument, version])
    db.session.flush()
    return version


def _quiz_fields(version, /, **changes):
    values = dict(
        kind="quiz",
        title="Vòng Mù Cang Chải",
        opens_at=T0,
        closes_at=T0 + timedelta(hours=1),
        version=version,
        time_limit_seconds=900,
    )
    values.update(changes)
    return rounds.RoundFields(**values)


# ---------------------------------------------------------------- contests


def test_create_contest_in_scope(world):
    organiser = world["organiser"]
    scope = compute_scope(organiser)
    fields = contests.ContestFields("  Sáng tạo AI  Văn Yên ", "Mô tả", world["b"], 3)
    contest = contests.create_contest(organiser, world["campaign"], fields, scope=scope)
    assert contest.title == "Sáng tạo AI Văn Yên" and contest.status == "draft"
    assert contest.max_team_size == 3
    with pytest.raises(DomainError) as caught:
        contests.create_contest(
            organiser,
            world["campaign"],
            contests.ContestFields("X", "", world["b"], 6),
            scope=scope,
        )
    assert caught.value.field == "max_team_size"


def test_only_coordinators_in_scope_organise(world, f):
    trainer = world["leaders"][0]
    with pytest.raises(NotAllowed):
        contests.create_contest(
            trainer,
            world["campaign"],
            contests.ContestFields("X", "", world["a"]),
            scope=compute_scope(trainer),
        )
    coordinator_a = f.user("coordinator", world["a"])
    assert not contests.may_organise(coordinator_a, world["contest"], compute_scope(coordinator_a))
    assert contests.may_organise(
        world["organiser"], world["contest"], compute_scope(world["organiser"])
    )


def test_status_moves_along_allowed_transitions(world):
    organiser = world["organiser"]
    contest = world["contest"]
    scope = compute_scope(organiser)
    with pytest.raises(DomainError):
        contests.set_contest_status(organiser, contest, "draft", scope=scope)
    contests.set_contest_status(organiser, contest, "closed", scope=scope)
    contests.set_contest_status(organiser, contest, "open", scope=scope)
    assert contest.status == "open"


def test_shrinking_the_team_size_below_a_team_is_refused(world):
    organiser = world["organiser"]
    fields = contests.ContestFields(world["contest"].title, "", world["province"], 1)
    with pytest.raises(DomainError) as caught:
        contests.update_contest(organiser, world["contest"], fields, scope=compute_scope(organiser))
    assert caught.value.field == "max_team_size"


def test_contest_pages(world, login):
    client = login(world["organiser"])
    campaign = world["campaign"]
    assert client.get("/contests").status_code == 200
    assert client.get(f"/campaigns/{campaign.id}/contests/new").status_code == 200
    bad = client.post(
        f"/campaigns/{campaign.id}/contests/new",
        data={"title": "Cuộc thi Mù Cang Chải", "locality": world["a"].id, "max_team_size": 9},
    )
    assert bad.status_code == 400 and "Cuộc thi Mù Cang Chải" in bad.get_data(as_text=True)
    good = client.post(
        f"/campaigns/{campaign.id}/contests/new",
        data={"title": "Cuộc thi Mù Cang Chải", "locality": world["a"].id, "max_team_size": 4},
    )
    assert good.status_code == 302
    contest = db.session.scalar(sa.select(Contest).where(Contest.title == "Cuộc thi Mù Cang Chải"))
    page = client.get(f"/contests/{contest.id}").get_data(as_text=True)
    assert "Add a quiz round" in page
    response = client.post(f"/contests/{contest.id}/status", data={"status": "open"})
    assert response.status_code == 302
    assert (
        client.post(f"/contests/{contest.id}/status", data={"status": "published"}).status_code
        == 400
    )
    response = client.post(
        f"/contests/{contest.id}/edit",
        data={"title": "Cuộc thi Văn Yên", "locality": world["b"].id, "max_team_size": 2},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert contest.title == "Cuộc thi Văn Yên" and contest.locality_id == world["b"].id


def test_contest_visibility(world, login, f):
    contest = world["contest"]
    # Commune staff see the province's contest (their clubs enter it) but cannot organise it.
    coordinator_a = login(f.user("coordinator", world["a"]))
    assert coordinator_a.get(f"/contests/{contest.id}").status_code == 200
    assert coordinator_a.get(f"/contests/{contest.id}/edit").status_code == 403
    leader = login(world["leaders"][0])
    page = leader.get(f"/contests/{contest.id}").get_data(as_text=True)
    assert "CLB AI Mậu A" in page and "Đội Mù Cang Chải" in page
    assert "Đội Văn Yên" not in page  # another club's team
    # A commune contest is invisible from the sibling commune.
    own = Contest(
        title="Cuộc thi xã A", campaign_id=world["campaign"].id, locality_id=world["a"].id
    )
    db.session.add(own)
    db.session.flush()
    assert login(world["leaders"][1]).get(f"/contests/{own.id}").status_code == 404
    assert "Cuộc thi xã A" not in login(world["leaders"][1]).get("/contests").get_data(as_text=True)


# ---------------------------------------------------------------- rounds


def test_quiz_round_rules(world, quiz_version):
    organiser = world["organiser"]
    scope = compute_scope(organiser)
    rnd = rounds.create_round(organiser, world["contest"], _quiz_fields(quiz_version), scope=scope)
    assert rnd.position == 3 and rnd.version_id == quiz_version.id
    cases = [
        (dict(closes_at=T0), "closes_at"),
        (dict(version=None), "version"),
        (dict(time_limit_seconds=7200), "time_limit_seconds"),
        (dict(attempts_allowed=0), "attempts_allowed"),
        (dict(late_rule="maybe"), "late_rule"),
        (dict(late_penalty_percent=120), "late_penalty_percent"),
        (dict(freeze_minutes=61), "freeze_minutes"),
    ]
    for changes, field in cases:
        with pytest.raises(DomainError) as caught:
            rounds.create_round(
                organiser, world["contest"], _quiz_fields(quiz_version, **changes), scope=scope
            )
        assert caught.value.field == field, changes


def test_a_survey_version_is_not_a_contest_quiz(world, quiz_version):
    quiz_version.instrument.kind = "skill_test"
    db.session.flush()
    organiser = world["organiser"]
    with pytest.raises(DomainError):
        rounds.create_round(
            organiser, world["contest"], _quiz_fields(quiz_version), scope=compute_scope(organiser)
        )


def test_product_round_categories_and_file_limit(world):
    organiser = world["organiser"]
    fields = rounds.RoundFields(
        kind="product",
        title="Sản phẩm",
        opens_at=T0,
        closes_at=T0 + timedelta(days=3),
        categories=[" Giáo dục ", "", "Giáo dục", "Nông nghiệp"],
        max_file_mb=30,
        standardise_scores=True,
    )
    rnd = rounds.create_round(organiser, world["contest"], fields, scope=compute_scope(organiser))
    assert rnd.categories == ["Giáo dục", "Nông nghiệp"] and rnd.standardise_scores
    fields.max_file_mb = 500
    with pytest.raises(DomainError) as caught:
        rounds.update_round(organiser, rnd, fields, scope=compute_scope(organiser))
    assert caught.value.field == "max_file_mb"


def test_started_round_keeps_its_quiz_and_cannot_be_deleted(world, quiz_version):
    organiser = world["organiser"]
    scope = compute_scope(organiser)
    rnd = rounds.create_round(organiser, world["contest"], _quiz_fields(quiz_version), scope=scope)
    pupil = world["pupils_a"][0]
    db.session.add(
        QuizAttempt(
            round_id=rnd.id,
            contestant_key=f"m{pupil.id}",
            member_id=pupil.id,
            seed=1,
            started_at=T0,
            deadline_at=T0 + timedelta(minutes=15),
        )
    )
    db.session.flush()
    other = InstrumentVersion(instrument=quiz_version.instrument, number=2, title={"vi": "v2"})
    other.items.append(Item(key="q1", position=1, qtype="yes_no", label={"vi": "Đúng?"}))
    db.session.add(other)
    db.session.flush()
    with pytest.raises(DomainError) as caught:
        rounds.update_round(organiser, rnd, _quiz_fields(other), scope=scope)
    assert caught.value.field == "version"
    rounds.update_round(
        organiser, rnd, _quiz_fields(quiz_version, title="Vòng 1 (sửa)"), scope=scope
    )
    assert rnd.title == "Vòng 1 (sửa)"
    with pytest.raises(DomainError):
        rounds.delete_round(organiser, rnd, scope=scope)


def test_local_times_round_trip():
    typed = datetime(2026, 11, 20, 15, 0)
    stored = local_to_utc(typed)
    assert stored == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert utc_to_local(stored) == typed
    assert utc_to_local(stored.replace(tzinfo=None)) == typed  # SQLite gives naive UTC back


def test_round_pages(world, login, quiz_version):
    client = login(world["organiser"])
    contest = world["contest"]
    url = f"/contests/{contest.id}/rounds/new?kind=quiz"
    page = client.get(url).get_data(as_text=True)
    assert "Đố vui AI (v1)" in page
    data = {
        "title": "Vòng Văn Yên",
        "opens_at": "2026-11-21T08:00",
        "closes_at": "2026-11-21T07:00",
        "version": quiz_version.id,
        "time_limit_minutes": 10,
        "attempts_allowed": 1,
        "late_rule": "penalty",
        "late_penalty_percent": 20,
        "grace_seconds": 5,
        "freeze_minutes": 10,
    }
    bad = client.post(url, data=data)
    assert bad.status_code == 400 and "Vòng Văn Yên" in bad.get_data(as_text=True)
    data["closes_at"] = "2026-11-21T09:00"
    assert client.post(url, data=data).status_code == 302
    rnd = db.session.scalar(sa.select(Round).where(Round.title == "Vòng Văn Yên"))
    assert contests.as_utc(rnd.opens_at) == datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    assert rnd.time_limit_seconds == 600 and rnd.late_rule == "penalty"
    edit = client.get(f"/contests/rounds/{rnd.id}/edit").get_data(as_text=True)
    assert 'value="2026-11-21T08:00"' in edit
    product = {
        "title": "Vòng sản phẩm 2",
        "opens_at": "2026-11-21T08:00",
        "closes_at": "2026-11-28T08:00",
        "categories": "Giáo dục\nY tế",
        "max_file_mb": 10,
    }
    assert (
        client.post(f"/contests/{contest.id}/rounds/new?kind=product", data=product).status_code
        == 302
    )
    made = db.session.scalar(sa.select(Round).where(Round.title == "Vòng sản phẩm 2"))
    assert made.kind == "product" and made.categories == ["Giáo dục", "Y tế"]
    assert client.post(f"/contests/rounds/{made.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Round.id).where(Round.title == "Vòng sản phẩm 2")) is None


def test_round_pages_are_for_organisers(world, login, f):
    quiz = world["quiz"]
    coordinator_a = login(f.user("coordinator", world["a"]))
    assert coordinator_a.get(f"/contests/rounds/{quiz.id}/edit").status_code == 403
    assert coordinator_a.post(f"/contests/rounds/{quiz.id}/delete").status_code == 403
    other_province = login(f.user("coordinator", f.locality("Tỉnh Khác")))
    assert other_province.get(f"/contests/rounds/{quiz.id}/edit").status_code == 404
    assert other_province.get(f"/contests/{world['contest'].id}/rounds/new").status_code == 404


# ---------------------------------------------------------------- judges


def test_judges_with_their_school(world, login, f):
    contest = world["contest"]
    organiser = world["organiser"]
    client = login(organiser)
    judge = f.user("judge", world["b"])
    school_b = world["schools"][1]
    page = client.get(f"/contests/{contest.id}/judges").get_data(as_text=True)
    assert judge.email in page and "Trường THPT Văn Yên" in page
    response = client.post(
        f"/contests/{contest.id}/judges", data={"judge": judge.id, "school": school_b.id}
    )
    assert response.status_code == 302
    found = db.session.scalar(sa.select(ContestJudge).where(ContestJudge.user_id == judge.id))
    assert found.school_id == school_b.id
    # A trainer is not a judge.
    response = client.post(f"/contests/{contest.id}/judges", data={"judge": world["leaders"][0].id})
    assert response.status_code == 400
    assert client.post(f"/contests/{contest.id}/judges/{found.id}/remove").status_code == 302
    db.session.expire_all()
    assert (
        db.session.scalar(sa.select(ContestJudge).where(ContestJudge.user_id == judge.id)) is None
    )


def test_judge_school_must_be_in_the_contest_area(world, f):
    organiser = world["organiser"]
    elsewhere = f.locality("Tỉnh Khác")
    from surveyapp.contests.models import School

    school = School(name="Trường ngoài tỉnh", locality_id=elsewhere.id)
    db.session.add(school)
    db.session.flush()
    judge = f.user("judge", world["province"])
    with pytest.raises(DomainError) as caught:
        contests.add_judge(
            organiser, world["contest"], judge, school, scope=compute_scope(organiser)
        )
    assert caught.value.field == "school"


def test_judge_pages_are_for_organisers(world, login, f):
    contest = world["contest"]
    assert (
        login(f.user("coordinator", world["a"])).get(f"/contests/{contest.id}/judges").status_code
        == 403
    )
    assert login(world["judge"]).get(f"/contests/{contest.id}/judges").status_code == 403


# ---------------------------------------------------------------- deleting


def test_only_a_draft_contest_without_teams_is_deleted(world, login, quiz_version):
    organiser = world["organiser"]
    client = login(organiser)
    contest = world["contest"]
    assert client.post(f"/contests/{contest.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Contest, contest.id) is not None  # open, with teams
    draft = contests.create_contest(
        organiser,
        world["campaign"],
        contests.ContestFields("Nháp Mù Cang Chải", "", world["a"]),
        scope=compute_scope(organiser),
    )
    rounds.create_round(
        organiser, draft, _quiz_fields(quiz_version), scope=compute_scope(organiser)
    )
    judge = world["judge"]
    contests.add_judge(organiser, draft, judge, None, scope=compute_scope(organiser))
    draft_id = draft.id
    assert "Delete this contest" in client.get(f"/contests/{draft_id}/edit").get_data(as_text=True)
    assert login(world["leaders"][0]).post(f"/contests/{draft_id}/delete").status_code == 403
    assert client.post(f"/contests/{draft_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Contest.id).where(Contest.id == draft_id)) is None
    left = sa.select(ContestJudge.id).where(
        ContestJudge.contest_id == draft_id, ContestJudge.user_id == judge.id
    )
    assert db.session.scalar(left) is None


def test_linked_pages_of_the_quiz_and_product_modules_exist(app):
    from surveyapp.contests.pupil_views import PUPIL_ROUND_PAGES
    from surveyapp.contests.views import ROUND_PAGES

    links = [(e, a) for pages in ROUND_PAGES.values() for e, a, _label, _organisers in pages]
    links += list(PUPIL_ROUND_PAGES.values())
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    for endpoint, argument in links:
        assert endpoint in rules and argument in rules[endpoint].arguments, endpoint


def test_the_contest_page_links_only_to_pages_the_viewer_may_open(app, world, as_user):
    """Organisers see the round pages of the modules; other staff who may read the contest
    see the public leaderboard only (no link leads to a 403 or 404)."""
    contest_id = world["contest"].id
    organiser = as_user(world["organiser"]).get(f"/contests/{contest_id}").text
    assert "/attempts" in organiser and "/leaderboard" in organiser
    reader = as_user(world["leaders"][0]).get(f"/contests/{contest_id}")
    assert reader.status_code == 200
    assert "/attempts" not in reader.text and "/rubric" not in reader.text
    assert "/leaderboard" in reader.text
