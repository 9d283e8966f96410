"""Every route that takes an id, tried by users of a sibling commune guessing the ids of
objects in the other commune: they get 403 or 404, never the object. An admin reaching
the same URLs proves the ids are real, so the test cannot pass vacuously.

A route with a parameter this file does not know fails the suite: add it to ``_values``.
"""

from datetime import date
from decimal import Decimal

import pytest

from surveyapp.approvals.models import FigureApproval
from surveyapp.campaigns.models import CoreMember, Material
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.participants.models import Enrolment, Participant
from surveyapp.responses.models import ClassForm, Response

from .contests.entry_helpers import sibling_product
from .test_access_matrix import ROUTES, _method


@pytest.fixture
def sibling_world(f):
    """Commune B's objects; users of commune A (and an admin) to try them."""
    province, a, b = f.tree()
    campaign = f.campaign(b, name="Chiến dịch riêng của xã Văn Yên")
    cls = f.training_class(campaign, b, access_code="BBQRST")
    member = CoreMember(
        campaign=campaign, locality=b, full_name="Lò Văn Páo", joined_on=date(2026, 2, 1)
    )
    material = Material(
        campaign=campaign, locality=b, title="Video hướng dẫn", published_on=date(2026, 2, 1)
    )
    instrument = Instrument(key="b-own", kind="pre_survey", title={"vi": "Phiếu"}, locality_id=b.id)
    version = InstrumentVersion(instrument=instrument, number=1, title={"vi": "Phiếu"})
    version.items.append(Item(key="q1", position=1, qtype="short_text", label={"vi": "Câu 1"}))
    db.session.add_all([member, material, instrument, version])
    db.session.flush()
    form = ClassForm(class_id=cls.id, version_id=version.id, moment="pre", is_open=True)
    person = Participant(
        public_id="PB0001",
        full_name="Lò Thị Mai",
        segment="resident",
        locality_id=b.id,
        identity_key="k" * 64,
        follow_up_token="t" * 32,
    )
    db.session.add_all([form, person])
    db.session.flush()
    db.session.add(Enrolment(participant_id=person.id, class_id=cls.id))
    response = Response(
        submission_id="s-b-1",
        receipt_code="RBBBBB1",
        class_id=cls.id,
        version_id=version.id,
        class_form_id=form.id,
        moment="pre",
        participant_id=person.id,
        locality_id=b.id,
        score=Decimal(0),
    )
    db.session.add(response)
    owner = f.user(role="trainer", locality=b)
    approval = FigureApproval(
        campaign_id=campaign.id,
        locality_id=b.id,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        snapshot={},
    )
    db.session.add(approval)
    db.session.flush()
    values = {
        "campaign_id": campaign.id,
        "class_id": cls.id,
        "item_id": member.id,
        "user_id": owner.id,
        "locality_id": b.id,
        "instrument_id": instrument.id,
        "number": 1,
        "item_key": "q1",
        "form_id": form.id,
        "participant_id": person.id,
        "receipt": "RBBBBB1",
        "response_id": response.id,
        "version_id": version.id,
        "code": b.code,  # /api/v1/localities/<code>
        "approval_id": approval.id,
    }
    values.update(_contest_values(b, campaign, owner))
    values.update(sibling_product(f, b, campaign, values))  # entries, files, judging
    return a, values, material.id


def _contest_values(b, campaign, leader):
    """Contest objects of commune B: school, club, pupil, contest, team, round, judge."""
    from datetime import UTC, datetime

    from surveyapp.contests.models import (
        Club,
        ClubMember,
        Contest,
        ContestJudge,
        Round,
        School,
        Team,
    )

    school = School(name="Trường THCS Văn Yên", locality_id=b.id)
    db.session.add(school)
    db.session.flush()
    club = Club(name="CLB AI Văn Yên", school=school, locality_id=b.id, leader=leader,
                join_code="BBCLUB")  # fmt: skip
    pupil = ClubMember(club=club, full_name="Đặng Thu Hà", grade="8A")
    contest = Contest(title="Cuộc thi xã Văn Yên", campaign_id=campaign.id, locality_id=b.id,
                      status="open")  # fmt: skip
    db.session.add_all([club, pupil, contest])
    db.session.flush()
    team = Team(contest=contest, club=club, name="Đội Mù Cang Chải", members=[pupil])
    opens = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    quiz = Round(contest=contest, kind="quiz", title="Vòng 1", opens_at=opens,
                 closes_at=opens.replace(hour=10), time_limit_seconds=600)  # fmt: skip
    judge = ContestJudge(contest_id=contest.id, user_id=leader.id, school_id=school.id)
    db.session.add_all([team, quiz, judge])
    db.session.flush()
    return {
        "school_id": school.id,
        "club_id": club.id,
        "member_id": pupil.id,
        "contest_id": contest.id,
        "team_id": team.id,
        "round_id": quiz.id,
        "judge_id": judge.id,
    }


def _url(rule, values, material_id):
    unknown = set(rule.arguments) - set(values)
    assert not unknown, f"{rule.rule}: add {unknown} to the scope matrix"
    chosen = dict(values)
    if "/materials/" in rule.rule:
        chosen["item_id"] = material_id
    return rule.build({k: chosen[k] for k in rule.arguments})[1]


WITH_IDS = [(rule, roles) for rule, roles in ROUTES if rule.arguments]


@pytest.mark.parametrize(("rule", "roles"), WITH_IDS, ids=[r.endpoint for r, _ in WITH_IDS])
def test_sibling_commune_cannot_reach_other_communes_objects(f, login, sibling_world, rule, roles):
    a, values, material_id = sibling_world
    url = _url(rule, values, material_id)
    method = _method(rule)
    for role in ("coordinator", "trainer", "evaluator", "judge"):
        if role not in roles:
            continue
        client = login(f.user(role=role, locality=a))
        status = getattr(client, method)(url).status_code
        assert status in (403, 404), (role, url, status)
    if method == "get":
        admin = login(f.user(role="admin"))
        assert admin.get(url).status_code < 400, url
