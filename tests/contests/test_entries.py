"""Team entries of product rounds: the pupil's form, its rules and time window, and who
among the staff may list and read entries."""

import pytest
import sqlalchemy as sa

from surveyapp.contests import entries
from surveyapp.contests.entry_models import Entry
from surveyapp.errors import DomainError
from surveyapp.extensions import db

from .conftest import T0, pupil_client
from .entry_helpers import make_entry

FORM = {
    "title": "Trợ lý AI Mù Cang Chải",
    "category": "Nông nghiệp",
    "description": "Nhận diện bệnh trên lá lúa bằng ảnh chụp điện thoại.",
    "ai_usage": "Chúng em dùng AI để gán nhãn ảnh và tự viết ứng dụng.",
    "link": "https://example.vn/demo",
}


def _entry(team):
    db.session.expire_all()
    return db.session.scalar(sa.select(Entry).where(Entry.team_id == team.id))


def test_pupil_sends_and_edits_the_team_entry(app, world, clock):
    client = pupil_client(app, world["pupils_a"][0])
    url = f"/contests/rounds/{world['product'].id}/my-entry"
    page = client.get(url)
    assert page.status_code == 200 and "Đội Mù Cang Chải" in page.get_data(as_text=True)
    assert client.post(url, data=FORM).status_code == 302
    entry = _entry(world["teams"][0])
    assert entry.title == "Trợ lý AI Mù Cang Chải" and entry.category == "Nông nghiệp"
    # a team mate edits the same entry
    mate = pupil_client(app, world["pupils_a"][1])
    assert mate.post(url, data={**FORM, "title": "Bản mới"}).status_code == 302
    assert _entry(world["teams"][0]).title == "Bản mới"
    assert db.session.scalar(sa.select(sa.func.count(Entry.id))) == 1


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"link": "javascript:alert(1)"}, "http:// or https://"),
        ({"link": "ftp://example.vn/x"}, "http:// or https://"),
        ({"category": "Không có"}, "categories"),
        ({"title": ""}, "required"),
        ({"ai_usage": "  "}, "required"),
    ],
)
def test_bad_entry_is_refused_and_typed_text_kept(app, world, clock, change, words):
    client = pupil_client(app, world["pupils_a"][0])
    response = client.post(
        f"/contests/rounds/{world['product'].id}/my-entry", data={**FORM, **change}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and words in text
    assert "Nhận diện bệnh trên lá lúa" in text
    assert _entry(world["teams"][0]) is None


def test_window_before_and_after(app, world, clock):
    url = f"/contests/rounds/{world['product'].id}/my-entry"
    client = pupil_client(app, world["pupils_a"][0])
    clock.advance(minutes=-1)
    response = client.post(url, data=FORM)
    assert response.status_code == 400 and "not open yet" in response.get_data(as_text=True)
    clock.advance(days=7, minutes=1)
    response = client.post(url, data=FORM)
    assert response.status_code == 400 and "closed" in response.get_data(as_text=True)
    assert _entry(world["teams"][0]) is None


def test_closed_round_shows_the_entry_read_only(app, world, clock):
    make_entry(world["product"], world["teams"][0], title="Đèn giao thông AI")
    clock.advance(days=8)
    url = f"/contests/rounds/{world['product'].id}/my-entry"
    page = pupil_client(app, world["pupils_a"][0]).get(url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Đèn giao thông AI" in text
    assert 'name="title"' not in text and 'type="file"' not in text


def test_pupil_pages_need_a_pupil_with_a_team(app, world, clock, f):
    url = f"/contests/rounds/{world['product'].id}/my-entry"
    assert app.test_client().get(url).status_code == 404
    from surveyapp.contests.models import ClubMember

    loner = ClubMember(club=world["clubs"][0], full_name="Giàng A Lử", grade="7")
    db.session.add(loner)
    db.session.flush()
    assert pupil_client(app, loner).get(url).status_code == 404
    quiz_url = f"/contests/rounds/{world['quiz'].id}/my-entry"
    assert pupil_client(app, world["pupils_a"][0]).get(quiz_url).status_code == 404


def test_save_entry_service_rules(world):
    with pytest.raises(DomainError, match="does not take entries"):
        entries.check_open(world["quiz"], T0)
    entry = entries.save_entry(
        world["product"],
        world["teams"][1],
        title=" Văn Yên ",
        description="Mô tả",
        category="Giáo dục",
        ai_usage="AI",
        link="",
        now=T0,
    )
    assert entry.title == "Văn Yên" and entry.link == ""
    assert entries.clean_link(" https://vi.wikipedia.org/wiki/Văn_Yên ").startswith("https://")


def test_staff_lists(world, as_user, f):
    product = world["product"]
    team_a, team_b = world["teams"]
    make_entry(product, team_a, title="Bài Mù Cang Chải")
    make_entry(product, team_b, title="Bài Văn Yên")
    url = f"/contests/product-rounds/{product.id}/entries"
    page = as_user(world["organiser"]).get(url).get_data(as_text=True)
    assert "Bài Mù Cang Chải" in page and "Bài Văn Yên" in page
    leader_a, _ = world["leaders"]
    page = as_user(leader_a).get(url).get_data(as_text=True)
    assert "Bài Mù Cang Chải" in page and "Bài Văn Yên" not in page
    commune_coordinator = f.user("coordinator", world["b"])
    page = as_user(commune_coordinator).get(url).get_data(as_text=True)
    assert "Bài Văn Yên" in page and "Bài Mù Cang Chải" not in page
    stranger = f.user("trainer", world["a"])
    assert as_user(stranger).get(url).status_code == 404
    assert as_user(world["judge"]).get(url).status_code == 403
    assert as_user(None).get(url).status_code == 302


def test_staff_entry_detail(world, as_user):
    entry = make_entry(world["product"], world["teams"][0], title="Bài Mù Cang Chải")
    url = f"/contests/entries/{entry.id}"
    assert "Bài Mù Cang Chải" in as_user(world["organiser"]).get(url).get_data(as_text=True)
    assert as_user(world["leaders"][0]).get(url).status_code == 200
    assert as_user(world["leaders"][1]).get(url).status_code == 404
    assert as_user(world["judge"]).get(url).status_code == 404


@pytest.mark.parametrize(("status", "words"), [("draft", "not open yet"), ("closed", "closed")])
def test_contest_status_gates_entries(world, status, words):
    world["contest"].status = status
    with pytest.raises(DomainError, match=words):
        entries.check_open(world["product"], T0)
