"""The leaderboard page (public, cached, ETag), the organisers' reveal and attempts list,
with their access rules."""

from datetime import timedelta

import pytest

from surveyapp.extensions import db

from .conftest import T0, pupil_client
from .quiz_fixtures import make_quiz
from .test_leaderboard import add_attempt


@pytest.fixture
def board_round(world, clock):
    quiz = world["quiz"]
    make_quiz(quiz)
    team_a, team_b = world["teams"]
    p1, p2 = world["pupils_a"]
    p3 = world["pupils_b"][0]
    p1.pupil_consent_at = p1.guardian_consent_at = T0
    add_attempt(quiz, member=p1, team=team_a, score=8, seconds=300, at=10)
    add_attempt(quiz, member=p2, team=team_a, score=9, seconds=400, at=11)
    add_attempt(quiz, member=p3, team=team_b, score=3, seconds=200, at=12)
    clock.advance(minutes=20)
    return quiz


def url(quiz, suffix=""):
    return f"/contests/rounds/{quiz.id}/leaderboard{suffix}"


def test_the_public_sees_the_board_and_the_rule(client, board_round):
    response = client.get(url(board_round))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Higher score first" in html and "shorter time taken" in html
    assert html.index("Đội Mù Cang Chải") < html.index("Lò Văn Páo") < html.index("Đội Văn Yên")
    assert "Hà Thị Mỷ" not in html and "Đặng Thu Hà" not in html  # no consent, no name
    assert "Reveal" not in html


def test_etag_and_cache_headers(client, board_round):
    first = client.get(url(board_round))
    assert first.headers["ETag"]
    assert "private" in first.headers["Cache-Control"]
    assert "max-age" in first.headers["Cache-Control"]
    again = client.get(url(board_round), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_the_etag_changes_when_an_attempt_is_sent(client, board_round, world):
    first = client.get(url(board_round)).headers["ETag"]
    add_attempt(
        board_round, member=world["pupils_b"][1], team=world["teams"][1], score=10, seconds=5, at=19
    )
    response = client.get(url(board_round), headers={"If-None-Match": first})
    assert response.status_code == 200 and response.headers["ETag"] != first
    assert "Đội Văn Yên" in response.get_data(as_text=True)


def test_a_pupil_sees_their_own_position(app, board_round, world):
    html = pupil_client(app, world["pupils_b"][0]).get(url(board_round)).get_data(as_text=True)
    assert "Your position: 3 of 3" in html


def test_the_frozen_board_says_so(client, board_round, clock):
    board_round.freeze_minutes = 30
    db.session.flush()
    clock.advance(minutes=80)  # T0 + 100 min: inside the last 30 minutes
    html = client.get(url(board_round)).get_data(as_text=True)
    assert "frozen" in html


def test_pages_of_one_hundred(client, board_round, world):
    from surveyapp.contests.models import ClubMember

    club, team = world["clubs"][0], world["teams"][0]
    members = [ClubMember(club=club, full_name=f"Học sinh {n}") for n in range(230)]
    db.session.add_all(members)
    db.session.flush()
    for n, member in enumerate(members):
        add_attempt(board_round, member=member, team=team, score=1, seconds=n + 1, at=1)
    html = client.get(url(board_round)).get_data(as_text=True)
    assert "Page 1 of 3" in html and html.count("<tr>") == 101
    last = client.get(url(board_round, "?page=3")).get_data(as_text=True)
    assert last.count("<tr>") == 34  # 233 rows: 33 on the last page, plus the header
    assert client.get(url(board_round, "?page=99")).status_code == 200


@pytest.mark.parametrize("case", ["unknown", "product", "draft"])
def test_no_board_for_unknown_product_or_draft(client, board_round, world, case):
    if case == "draft":
        world["contest"].status = "draft"
        db.session.flush()
    round_id = {"unknown": 999999, "product": world["product"].id}.get(case, board_round.id)
    assert client.get(f"/contests/rounds/{round_id}/leaderboard").status_code == 404


# ---------------------------------------------------------------- organisers


def test_organisers_see_live_and_reveal_after_the_close(login, board_round, world, clock):
    board_round.freeze_minutes = 30
    db.session.flush()
    organiser = login(world["organiser"])
    clock.advance(minutes=80)
    add_attempt(
        board_round, member=world["pupils_b"][1], team=world["teams"][1], score=10, seconds=5, at=99
    )
    assert "Vũ Đức" not in organiser.get(url(board_round)).get_data(as_text=True)  # no consent
    html = organiser.get(url(board_round)).get_data(as_text=True)
    assert "You see the live board" in html and html.count("Đội Văn Yên") == 2
    assert "Reveal the final board" not in html  # still open
    refused = organiser.post(url(board_round, "/reveal"), follow_redirects=True)
    assert "once the round has closed" in refused.get_data(as_text=True)
    clock.advance(hours=1)
    response = organiser.post(url(board_round, "/reveal"))
    assert response.status_code == 302
    db.session.refresh(board_round)
    assert board_round.revealed_at is not None
    public = organiser.application.test_client().get(url(board_round)).get_data(as_text=True)
    assert "Final board" in public and public.count("Đội Văn Yên") == 2


def test_reveal_and_attempts_need_an_organiser_in_scope(login, f, board_round, world, client):
    commune_coordinator = login(f.user("coordinator", world["a"]))  # below the province contest
    assert commune_coordinator.post(url(board_round, "/reveal")).status_code == 404
    assert commune_coordinator.get(f"/contests/rounds/{board_round.id}/attempts").status_code == 404
    for role in ("trainer", "judge", "evaluator"):
        other = login(f.user(role, world["province"]))
        assert other.post(url(board_round, "/reveal")).status_code == 403
        assert other.get(f"/contests/rounds/{board_round.id}/attempts").status_code == 403
    assert client.post(url(board_round, "/reveal")).status_code == 302  # to /login
    assert "/login" in client.get(f"/contests/rounds/{board_round.id}/attempts").location
    # A commune coordinator is not an organiser: the public (frozen) board only.
    html = commune_coordinator.get(url(board_round)).get_data(as_text=True)
    assert "All attempts" not in html


def test_the_attempts_list_shows_every_attempt_to_organisers(login, f, board_round, world):
    from surveyapp.contests import attempts

    attempts.start_attempt(board_round, world["pupils_b"][1], now=T0 + timedelta(minutes=15))
    db.session.flush()
    html = (
        login(world["organiser"])
        .get(f"/contests/rounds/{board_round.id}/attempts")
        .get_data(as_text=True)
    )
    assert "4 attempts" in html
    assert "Hà Thị Mỷ" in html and "Vũ Đức" in html and "in progress" in html
    admin = login(f.user("admin"))
    assert admin.get(f"/contests/rounds/{world['product'].id}/attempts").status_code == 404


def test_the_anonymous_page_writes_no_session_and_switches_language_by_link(client, board_round):
    response = client.get(url(board_round))
    html = response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers and "csrf_token" not in html
    assert f"/contests/rounds/{board_round.id}/leaderboard?lang=vi" in html
    switched = client.get(url(board_round, "?lang=vi&page=1"))
    assert switched.status_code == 302
    assert switched.location.endswith(url(board_round, "?page=1"))
    assert 'lang="vi"' in client.get(url(board_round)).get_data(as_text=True)
    assert client.get(url(board_round, "?lang=xx")).status_code == 302  # ignored, no error


def test_signed_in_staff_get_the_usual_language_form(login, f, board_round, world):
    html = login(f.user("trainer", world["a"])).get(url(board_round)).get_data(as_text=True)
    assert "csrf_token" in html and "?lang=" not in html


def test_the_etag_is_the_same_in_every_worker(client, board_round):
    from surveyapp.contests import leaderboard as lb

    first = client.get(url(board_round)).headers["ETag"]
    lb.forget(board_round.id)  # another process: its own cache, built at another moment
    assert client.get(url(board_round)).headers["ETag"] == first


def test_the_cached_board_is_kept_per_language(app, client, board_round):
    """Labels of pupils without consent are translated ("A member of <team>"), so a board
    cached for an English reader must not be served to a Vietnamese one."""
    app.config["LEADERBOARD_CACHE_SECONDS"] = 60
    try:
        english = client.get(url(board_round)).get_data(as_text=True)
        vietnamese = client.get(url(board_round, "?lang=vi"), follow_redirects=True)
        html = vietnamese.get_data(as_text=True)
    finally:
        app.config.pop("LEADERBOARD_CACHE_SECONDS")
    assert "A member of Đội Mù Cang Chải" in english
    assert 'lang="vi"' in html and "A member of" not in html
    assert "Thành viên" in html and "Đội Mù Cang Chải" in html
