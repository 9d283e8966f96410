"""Contest fixtures shared by the contest tests: a province with two communes, a school and
club in each, pupils, a contest of the province's campaign, a quiz round and a product round.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from surveyapp.contests.models import (
    Club,
    ClubMember,
    Contest,
    ContestJudge,
    Round,
    RoundKind,
    School,
    Team,
)
from surveyapp.extensions import db

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


class Clock:
    """An injectable contest clock (``app.config["CONTEST_CLOCK"]``)."""

    def __init__(self, at: datetime = T0):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **kwargs) -> None:
        self.at += timedelta(**kwargs)


@pytest.fixture
def clock(app):
    clock = Clock()
    app.config["CONTEST_CLOCK"] = clock
    yield clock
    app.config.pop("CONTEST_CLOCK", None)


@pytest.fixture
def world(f):
    """Two communes A and B of one province, each with a school, a club and pupils."""
    province, a, b = f.tree()
    campaign = f.campaign(province, name="Bình dân học AI 2026")
    school_a = School(name="Trường THCS Mậu A", locality_id=a.id)
    school_b = School(name="Trường THPT Văn Yên", locality_id=b.id)
    db.session.add_all([school_a, school_b])
    db.session.flush()
    leader_a = f.user("trainer", a)
    leader_b = f.user("trainer", b)
    club_a = Club(
        name="CLB AI Mậu A", school=school_a, locality_id=a.id, leader=leader_a, join_code="CLBAAA"
    )
    club_b = Club(
        name="CLB AI Văn Yên",
        school=school_b,
        locality_id=b.id,
        leader=leader_b,
        join_code="CLBBBB",
    )
    db.session.add_all([club_a, club_b])
    db.session.flush()
    pupils_a = [
        ClubMember(club=club_a, full_name=n, grade="8A") for n in ("Lò Văn Páo", "Hà Thị Mỷ")
    ]
    pupils_b = [ClubMember(club=club_b, full_name=n, grade="11") for n in ("Đặng Thu Hà", "Vũ Đức")]
    db.session.add_all(pupils_a + pupils_b)
    contest = Contest(
        title="Sản phẩm AI của em 2026",
        campaign_id=campaign.id,
        locality_id=province.id,
        status="open",
    )
    db.session.add(contest)
    db.session.flush()
    team_a = Team(contest=contest, club=club_a, name="Đội Mù Cang Chải", members=pupils_a)
    team_b = Team(contest=contest, club=club_b, name="Đội Văn Yên", members=pupils_b)
    quiz = Round(
        contest=contest,
        kind=RoundKind.QUIZ,
        title="Vòng trắc nghiệm",
        position=1,
        opens_at=T0,
        closes_at=T0 + timedelta(hours=2),
        time_limit_seconds=600,
    )
    product = Round(
        contest=contest,
        kind=RoundKind.PRODUCT,
        title="Vòng sản phẩm",
        position=2,
        opens_at=T0,
        closes_at=T0 + timedelta(days=7),
        categories=["Giáo dục", "Nông nghiệp"],
    )
    db.session.add_all([team_a, team_b, quiz, product])
    organiser = f.user("coordinator", province)
    judge = f.user("judge", province)
    db.session.flush()
    db.session.add(ContestJudge(contest_id=contest.id, user_id=judge.id, school_id=None))
    db.session.flush()
    return {
        "province": province,
        "a": a,
        "b": b,
        "campaign": campaign,
        "schools": (school_a, school_b),
        "clubs": (club_a, club_b),
        "pupils_a": pupils_a,
        "pupils_b": pupils_b,
        "leaders": (leader_a, leader_b),
        "contest": contest,
        "teams": (team_a, team_b),
        "quiz": quiz,
        "product": product,
        "organiser": organiser,
        "judge": judge,
    }


def pupil_client(app, member):
    """A test client whose session remembers ``member`` as the pupil using the browser."""
    from surveyapp.contests.students import SESSION_KEY

    client = app.test_client()
    with client.session_transaction() as session:
        session[SESSION_KEY] = member.id
    return client
