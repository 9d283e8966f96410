"""Trainee pages are light, need no script, and never point at another host."""

import gzip
import re

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.participants.models import Participant
from tests.journey.helpers import form_data, identity

LINKS = re.compile(r'\b(?:src|href|action)\s*=\s*"([^"]*)"', re.I)


def trainee_pages(world, client):
    code = world.cls.access_code
    pages = {
        "enter": client.get("/c"),
        "landing": client.get(f"/c/{code}"),
        "identify": client.get(f"/c/{code}/identify"),
    }
    client.post(f"/c/{code}/identify", data=identity(commune=str(world.mau_a.id)))
    url = f"/c/{code}/form/{world.forms['skill'].id}"
    pages["form"] = client.get(url)
    pages["form_error"] = client.post(url, data=form_data(pages["form"].text, {"q1": "zz"}))
    page2 = client.post(url, data=form_data(pages["form"].text, {"q1": "a", "q2": "no"}))
    done = client.post(url, data=form_data(page2.text, {"q3": ["b"]}))
    pages["receipt"] = client.get(done.location)
    token = db.session.scalar(sa.select(Participant.follow_up_token))
    pages["follow_up"] = client.get(f"/f/{token}")
    pages["not_found"] = client.get("/c/NOPE42")
    return pages


def test_pages_point_only_at_this_site(world, as_user):
    for name, response in trainee_pages(world, as_user(None)).items():
        assert response.status_code in (200, 400, 404), name
        html = response.text
        for link in LINKS.findall(html):
            assert not re.match(r"(?i)\s*(https?:)?//", link), (name, link)
        # Every page works without JavaScript; the only script is our own file, never inline.
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.I | re.S)
        assert all(body.strip() == "" for body in scripts), name
        assert len(scripts) == html.lower().count("<script"), name
        assert set(re.findall(r'<script src="([^"]*)"', html)) <= {"/static/journey.js"}, name
        assert 'style="' not in html, name
        assert 'name="viewport"' in html, name


def test_pages_weigh_little(world, as_user, app):
    css = app.test_client().get("/static/app.css")
    css_bytes = css.data
    css.close()
    for name, response in trainee_pages(world, as_user(None)).items():
        weight = len(gzip.compress(response.data)) + len(gzip.compress(css_bytes))
        assert weight < 60 * 1024, (name, weight)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_vietnamese_names_survive(world, as_user, lang):
    client = as_user(None, lang=lang)
    client.post(
        f"/c/{world.cls.access_code}/identify",
        data=identity(full_name="Giàng Thị Mỷ", commune=str(world.dong_cuong.id)),
    )
    person = db.session.scalar(sa.select(Participant))
    assert person.full_name == "Giàng Thị Mỷ" and person.locality_id == world.dong_cuong.id
    assert "Mỷ" in client.get(f"/c/{world.cls.access_code}").text


def test_csrf_is_checked_on_trainee_posts(app, world, as_user):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = as_user(None)
        url = f"/c/{world.cls.access_code}/identify"
        response = client.post(url, data=identity(commune=str(world.mau_a.id)))
        assert response.status_code == 400
        assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0
        page = client.get(url).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = identity(commune=str(world.mau_a.id), csrf_token=token)
        assert client.post(url, data=data).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
