"""Schools, clubs, join codes, pupils joining, consent and removal (services and pages)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.classes.services import ACCESS_CODE_ALPHABET
from surveyapp.contests import clubs
from surveyapp.contests.models import Club, ClubMember, School
from surveyapp.contests.names import public_name, team_label
from surveyapp.contests.students import SESSION_KEY
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.security import compute_scope

from .conftest import T0, pupil_client


def _consent(member, *, guardian_name="Lò Văn Sáng"):
    clubs.record_consent(None, member, clubs.Consent(True, True, guardian_name), now=T0)


# ---------------------------------------------------------------- names


def test_public_name_needs_both_consents(world):
    pupil = world["pupils_a"][0]
    team = world["teams"][0]
    assert public_name(pupil, team) == "A member of Đội Mù Cang Chải"
    clubs.record_consent(None, pupil, clubs.Consent(True, False), now=T0)
    assert public_name(pupil, team) == "A member of Đội Mù Cang Chải"
    _consent(pupil)
    assert public_name(pupil, team) == "Lò Văn Páo"


def test_team_label_lists_names_only_when_everyone_consented(world):
    team = world["teams"][0]
    first, second = world["pupils_a"]
    _consent(first)
    assert team_label(team) == "Đội Mù Cang Chải"
    _consent(second, guardian_name="Hà Văn Tám")
    assert team_label(team) == "Đội Mù Cang Chải (Hà Thị Mỷ, Lò Văn Páo)"


# ---------------------------------------------------------------- schools and clubs


def test_create_club_gives_an_unambiguous_join_code_and_copies_the_locality(world, f):
    school = world["schools"][1]
    coordinator = world["organiser"]
    club = clubs.create_club(
        coordinator,
        clubs.ClubFields("CLB Robot Văn Yên", school, world["leaders"][1]),
        scope=compute_scope(coordinator),
    )
    assert len(club.join_code) == 6
    assert set(club.join_code) <= set(ACCESS_CODE_ALPHABET)
    assert not set(club.join_code) & set("0O1lI")
    assert club.locality_id == school.locality_id
    old = club.join_code
    clubs.renew_join_code(coordinator, club, scope=compute_scope(coordinator))
    assert club.join_code != old


def test_a_trainer_opening_a_club_leads_it_and_may_not_pick_another_leader(world):
    trainer = world["leaders"][0]
    club = clubs.create_club(
        trainer,
        clubs.ClubFields("CLB AI 2", world["schools"][0], world["leaders"][1]),
        scope=compute_scope(trainer),
    )
    assert club.leader == trainer


def test_club_outside_scope_and_leader_elsewhere_are_refused(world):
    trainer_a, trainer_b = world["leaders"]
    with pytest.raises(NotAllowed):
        clubs.create_club(
            trainer_a,
            clubs.ClubFields("CLB", world["schools"][1], None),
            scope=compute_scope(trainer_a),
        )
    organiser = world["organiser"]
    with pytest.raises(DomainError) as caught:
        clubs.create_club(
            organiser,
            clubs.ClubFields("CLB", world["schools"][0], trainer_b),
            scope=compute_scope(organiser),
        )
    assert caught.value.field == "leader"


def test_school_names_are_unique_per_locality(world):
    organiser = world["organiser"]
    scope = compute_scope(organiser)
    with pytest.raises(DomainError) as caught:
        clubs.create_school(organiser, "  Trường THCS   Mậu A ", world["a"], scope=scope)
    assert caught.value.field == "name"
    school = clubs.create_school(organiser, "Trường TH Mù Cang Chải", world["a"], scope=scope)
    assert school.name == "Trường TH Mù Cang Chải"


def test_schools_page_lists_and_adds_in_scope(world, login, f):
    coordinator_a = f.user("coordinator", world["a"])
    client = login(coordinator_a)
    page = client.get("/schools").get_data(as_text=True)
    assert "Trường THCS Mậu A" in page
    assert "Trường THPT Văn Yên" not in page
    response = client.post(
        "/schools", data={"name": "Trường TH Khau Phạ", "locality": world["a"].id}
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(School).where(School.name == "Trường TH Khau Phạ"))
    # A locality outside the scope is not a choice; the form comes back with a 400.
    response = client.post("/schools", data={"name": "Trường X", "locality": world["b"].id})
    assert response.status_code == 400
    assert "Trường X" in response.get_data(as_text=True)


def test_club_pages_for_leader_and_others(world, login, f):
    leader_a, leader_b = world["leaders"]
    club_a = world["clubs"][0]
    page = login(leader_a).get(f"/clubs/{club_a.id}").get_data(as_text=True)
    assert "CLBAAA" in page and "Lò Văn Páo" in page
    assert "/join?code=CLBAAA" in page
    assert login(leader_b).get(f"/clubs/{club_a.id}").status_code == 404
    assert login(leader_b).get(f"/clubs/{club_a.id}/edit").status_code == 404
    listing = login(leader_a).get("/clubs").get_data(as_text=True)
    assert "CLB AI Mậu A" in listing and "CLB AI Văn Yên" not in listing
    sheet = login(leader_a).get(f"/clubs/{club_a.id}/sheet")
    assert sheet.status_code == 200 and b"<svg" in sheet.data


def test_new_club_page_and_bad_input(world, login):
    organiser = world["organiser"]
    client = login(organiser)
    assert client.get("/clubs/new").status_code == 200
    response = client.post("/clubs/new", data={"name": "", "school": world["schools"][1].id})
    assert response.status_code == 400
    response = client.post(
        "/clubs/new",
        data={
            "name": "CLB Mù Cang Chải",
            "school": world["schools"][0].id,
            "leader": world["leaders"][0].id,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    club = db.session.scalar(sa.select(Club).where(Club.name == "CLB Mù Cang Chải"))
    assert club.leader == world["leaders"][0]
    response = client.post(
        f"/clubs/{club.id}/edit",
        data={"name": "CLB Mù Cang Chải 2", "school": club.school_id, "leader": ""},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert club.name == "CLB Mù Cang Chải 2" and club.leader is None
    old = club.join_code
    assert client.post(f"/clubs/{club.id}/code").status_code == 302
    db.session.expire_all()
    assert club.join_code != old


# ---------------------------------------------------------------- pupils joining


def test_join_with_code_remembers_the_pupil_and_asks_for_consent(world, client):
    response = client.post(
        "/join", data={"code": " clb-bbb ", "full_name": "Giàng A Sùng", "grade": "9B"}
    )
    assert response.status_code == 302
    assert response.location.endswith("/pupil/consent")
    member = db.session.scalar(sa.select(ClubMember).where(ClubMember.full_name == "Giàng A Sùng"))
    assert member.club == world["clubs"][1]
    with client.session_transaction() as session:
        assert session[SESSION_KEY] == member.id
    page = client.get("/pupil/consent").get_data(as_text=True)
    assert "Giàng A Sùng" in page
    home = client.get("/pupil").get_data(as_text=True)
    assert "not in a team yet" in home


def test_join_with_a_wrong_code_keeps_what_was_typed(world, client):
    response = client.post("/join", data={"code": "ZZZZZZ", "full_name": "Mùa A Dế", "grade": "7"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "No club has this code" in page and "Mùa A Dế" in page
    assert client.get("/join?code=CLBAAA").status_code == 200


def test_pupil_pages_need_a_remembered_pupil(world, client):
    assert client.get("/pupil").location.endswith("/join")
    assert client.get("/pupil/consent").location.endswith("/join")


def test_pupil_gives_and_withdraws_consent(world, app):
    pupil = world["pupils_a"][0]
    client = pupil_client(app, pupil)
    response = client.post("/pupil/consent", data={"pupil": "y", "guardian": "y"})
    assert response.status_code == 400
    assert 'id="guardian_name-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert pupil.pupil_consent_at is None
    response = client.post(
        "/pupil/consent", data={"pupil": "y", "guardian": "y", "guardian_name": "Lò Thị Dung"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert pupil.may_publish_name and pupil.guardian_name == "Lò Thị Dung"
    assert pupil.consent_text_version == clubs.CONSENT_TEXT_VERSION
    assert client.post("/pupil/consent", data={"guardian": "y", "guardian_name": "Lò Thị Dung"})
    db.session.expire_all()
    assert pupil.pupil_consent_at is None and not pupil.may_publish_name
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.object_id == pupil.id)
    ).all()
    assert actions.count("club.pupil_consent") == 2


def test_pupil_home_lists_team_and_rounds(world, app):
    client = pupil_client(app, world["pupils_a"][0])
    page = client.get("/pupil").get_data(as_text=True)
    assert "Đội Mù Cang Chải" in page
    assert "Vòng trắc nghiệm" in page and "Vòng sản phẩm" in page
    assert client.post("/pupil/leave").location.endswith("/join")
    assert client.get("/pupil").location.endswith("/join")


# ---------------------------------------------------------------- leader's pupil pages


def test_leader_records_paper_consent(world, login):
    pupil = world["pupils_a"][1]
    client = login(world["leaders"][0])
    assert client.get(f"/clubs/members/{pupil.id}/consent").status_code == 200
    response = client.post(
        f"/clubs/members/{pupil.id}/consent",
        data={"pupil": "y", "guardian": "y", "guardian_name": "Hà Văn Tám"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert pupil.may_publish_name
    entry = db.session.scalar(
        sa.select(AuditEntry).where(
            AuditEntry.action == "club.pupil_consent", AuditEntry.object_id == pupil.id
        )
    )
    assert entry.detail["on_paper"] is True and entry.actor_id == world["leaders"][0].id


def test_leader_edits_and_removes_a_pupil(world, login, clock):
    pupil = world["pupils_a"][1]
    team = world["teams"][0]
    client = login(world["leaders"][0])
    response = client.post(
        f"/clubs/members/{pupil.id}/edit", data={"full_name": "Hà Thị Mỷ Linh", "grade": "9A"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert pupil.full_name == "Hà Thị Mỷ Linh"
    assert client.post(f"/clubs/members/{pupil.id}/edit", data={"full_name": ""}).status_code == 400
    assert client.post(f"/clubs/members/{pupil.id}/remove").status_code == 302
    db.session.expire_all()
    assert pupil.erased_at is not None and pupil.full_name == ""
    assert pupil not in team.members
    assert client.get(f"/clubs/members/{pupil.id}/edit").status_code == 404


def test_other_leaders_and_evaluators_cannot_touch_pupils(world, login, f):
    pupil = world["pupils_a"][0]
    assert login(world["leaders"][1]).get(f"/clubs/members/{pupil.id}/edit").status_code == 404
    coordinator_b = f.user("coordinator", world["b"])
    assert login(coordinator_b).post(f"/clubs/members/{pupil.id}/remove").status_code == 404
    assert (
        login(f.user("evaluator", world["a"])).get(f"/clubs/{world['clubs'][0].id}").status_code
        == 403
    )
    with pytest.raises(NotAllowed):
        clubs.erase_member(
            world["leaders"][1], pupil, now=T0, scope=compute_scope(world["leaders"][1])
        )


def test_only_a_club_without_pupils_or_teams_is_deleted(world, login):
    organiser = world["organiser"]
    client = login(organiser)
    club_a = world["clubs"][0]
    assert client.post(f"/clubs/{club_a.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Club, club_a.id) is not None
    empty = clubs.create_club(
        organiser,
        clubs.ClubFields("CLB Trống", world["schools"][0], None),
        scope=compute_scope(organiser),
    )
    member = clubs.join_club(empty.join_code, "Sùng A Tủa", "7A", now=T0)
    clubs.erase_member(organiser, member, now=T0, scope=compute_scope(organiser))
    empty_id = empty.id
    assert login(world["leaders"][1]).post(f"/clubs/{empty_id}/delete").status_code == 404
    assert client.post(f"/clubs/{empty_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Club.id).where(Club.id == empty_id)) is None
    assert db.session.scalar(sa.select(ClubMember.id).where(ClubMember.club_id == empty_id)) is None
