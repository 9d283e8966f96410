"""Teams: size limits, one club, one team per pupil and contest, leader-only pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.contests import teams
from surveyapp.contests.entry_models import Entry
from surveyapp.contests.models import ClubMember, Team
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.security import compute_scope


def _pupils(club, n, grade="6A"):
    members = [
        ClubMember(club=club, full_name=f"Học sinh {i} Mù Cang Chải", grade=grade) for i in range(n)
    ]
    db.session.add_all(members)
    db.session.flush()
    return members


def _create(world, name, members, club=None, actor=None):
    actor = actor or world["leaders"][0]
    return teams.create_team(
        actor,
        world["contest"],
        club or world["clubs"][0],
        name,
        members,
        scope=compute_scope(actor),
    )


def test_team_of_one_to_max_size(world):
    club = world["clubs"][0]
    extra = _pupils(club, 7)
    assert _create(world, "Đội Một", extra[:1]).members == extra[:1]
    with pytest.raises(DomainError) as caught:
        _create(world, "Đội Sáu", extra[1:])
    assert caught.value.field == "members"
    with pytest.raises(DomainError):
        _create(world, "Đội Trống", [])
    assert len(_create(world, "Đội Năm", extra[1:6]).members) == 5


def test_smaller_contest_limit_is_respected(world):
    world["contest"].max_team_size = 2
    extra = _pupils(world["clubs"][0], 3)
    with pytest.raises(DomainError, match="1 to 2"):
        _create(world, "Đội Ba", extra)


def test_a_pupil_is_in_one_team_per_contest(world):
    taken = world["pupils_a"][0]
    with pytest.raises(DomainError) as caught:
        _create(world, "Đội Hai", [taken])
    assert "Lò Văn Páo" in str(caught.value.message)
    team_a = world["teams"][0]
    leader = world["leaders"][0]
    # Editing a team keeps its own pupils.
    teams.update_team(leader, team_a, "Đội Mù Cang Chải", [taken], scope=compute_scope(leader))
    assert team_a.members == [taken]


def test_pupils_of_another_club_and_other_leaders_are_refused(world):
    with pytest.raises(DomainError):
        _create(world, "Đội Lẫn", [world["pupils_b"][0]])
    fresh = _pupils(world["clubs"][0], 1)
    with pytest.raises(NotAllowed):
        _create(world, "Đội Lạ", fresh, actor=world["leaders"][1])


def test_team_names_are_unique_in_a_contest(world):
    fresh = _pupils(world["clubs"][0], 1)
    with pytest.raises(DomainError) as caught:
        _create(world, " Đội  Văn Yên ", fresh)
    assert caught.value.field == "name"


def test_closed_contest_teams_are_frozen(world):
    world["contest"].status = "closed"
    with pytest.raises(DomainError, match="closed"):
        _create(world, "Đội Muộn", _pupils(world["clubs"][0], 1))


def test_team_with_an_entry_cannot_be_deleted(world):
    leader = world["leaders"][0]
    team = world["teams"][0]
    db.session.add(Entry(round_id=world["product"].id, team_id=team.id, title="Máy tưới AI"))
    db.session.flush()
    with pytest.raises(DomainError):
        teams.delete_team(leader, team, scope=compute_scope(leader))
    other = _create(world, "Đội Xoá", _pupils(world["clubs"][0], 1))
    teams.delete_team(leader, other, scope=compute_scope(leader))
    assert db.session.get(Team, other.id) is None


def test_team_pages(world, login):
    club = world["clubs"][0]
    contest = world["contest"]
    fresh = _pupils(club, 2)
    client = login(world["leaders"][0])
    url = f"/clubs/{club.id}/contests/{contest.id}/teams"
    page = client.get(url).get_data(as_text=True)
    assert "Đội Mù Cang Chải" in page and "Học sinh 0 Mù Cang Chải" in page
    response = client.post(url, data={"name": "Đội Sapa", "members": [p.id for p in fresh]})
    assert response.status_code == 302
    team = db.session.scalar(sa.select(Team).where(Team.name == "Đội Sapa"))
    assert {m.id for m in team.members} == {p.id for p in fresh}
    # Too many pupils: the form returns with the name kept.
    world["contest"].max_team_size = 1
    db.session.flush()
    response = client.post(
        url, data={"name": "Đội Quá Đông", "members": [world["pupils_a"][0].id, fresh[0].id]}
    )
    assert response.status_code == 400
    assert "Đội Quá Đông" in response.get_data(as_text=True)
    edit = f"/contests/teams/{team.id}/edit"
    assert client.get(edit).status_code == 200
    response = client.post(edit, data={"name": "Đội Sa Pa", "members": [fresh[1].id]})
    assert response.status_code == 302
    db.session.expire_all()
    assert team.name == "Đội Sa Pa" and [m.id for m in team.members] == [fresh[1].id]
    team_id = team.id
    assert client.post(f"/contests/teams/{team_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Team.id).where(Team.id == team_id)) is None


def test_team_pages_are_closed_to_other_clubs(world, login, f):
    club_a = world["clubs"][0]
    team_a = world["teams"][0]
    contest = world["contest"]
    other = login(world["leaders"][1])
    assert other.get(f"/clubs/{club_a.id}/contests/{contest.id}/teams").status_code == 404
    assert other.get(f"/contests/teams/{team_a.id}/edit").status_code == 404
    assert other.post(f"/contests/teams/{team_a.id}/delete").status_code == 404
    coordinator_b = login(f.user("coordinator", world["b"]))
    assert coordinator_b.get(f"/contests/teams/{team_a.id}/edit").status_code == 404
    # The province organiser manages every club of the contest's area.
    organiser = login(world["organiser"])
    assert organiser.get(f"/contests/teams/{team_a.id}/edit").status_code == 200


def test_club_outside_the_contest_area_cannot_enter(world, f, login):
    other_province = f.locality("Tỉnh Khác")
    campaign = f.campaign(other_province)
    from surveyapp.contests.models import Contest

    elsewhere = Contest(
        title="Cuộc thi khác", campaign_id=campaign.id, locality_id=other_province.id, status="open"
    )
    db.session.add(elsewhere)
    db.session.flush()
    with pytest.raises(DomainError):
        teams.create_team(
            None,
            elsewhere,
            world["clubs"][0],
            "Đội X",
            _pupils(world["clubs"][0], 1),
            scope=compute_scope(None),
        )
    admin = login(f.user("admin"))
    url = f"/clubs/{world['clubs'][0].id}/contests/{elsewhere.id}/teams"
    assert admin.get(url).status_code == 404
