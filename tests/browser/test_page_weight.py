"""A trainee form page, with its style sheet and script, weighs under 60 KB compressed on first
load (rural mobile networks); the script stays small. Measured on the live server's answers."""

import gzip
import re

import pytest

from tests.journey.helpers import identity

BUDGET = 60 * 1024
SCRIPT_BUDGET = 6 * 1024  # journey.js is served as written, comments included


def gz(data: bytes) -> int:
    return len(gzip.compress(data))


@pytest.fixture
def identified(live):
    """A test client of the live app, identified in its class (real CSRF tokens)."""
    client = live.app.test_client()
    url = f"/c/{live.code}/identify"
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)
    details = identity(
        full_name="Lường Thị Cân", birth_year="1990", commune=str(live.commune_id), csrf_token=token
    )
    assert client.post(url, data=details).status_code == 302
    return client


def test_form_pages_with_css_and_script_weigh_under_60_kb(live, identified):
    assets = [identified.get(f"/static/{name}") for name in ("app.css", "journey.js")]
    assert all(asset.status_code == 200 for asset in assets)
    script = assets[1].data
    assert gz(script) < SCRIPT_BUDGET
    assert b"http:" not in script and b"https:" not in script  # no outside requests
    for name, form_id in live.forms.items():
        page = identified.get(f"/c/{live.code}/form/{form_id}")
        assert page.status_code == 200 and 'src="/static/journey.js"' in page.text, name
        weight = gz(page.data) + sum(gz(asset.data) for asset in assets)
        assert weight < BUDGET, (name, weight)
    for asset in assets:
        asset.close()
