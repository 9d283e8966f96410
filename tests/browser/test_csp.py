"""The pages work under the Content-Security-Policy of ``surveyapp.web_security`` in a real
browser: Chromium reports no violation (no blocked inline script or style, stylesheet,
font, image or fetch) on the trainee's pages, the page script's background sending, and
the staff pages with charts, the print-friendly report and the QR sheet.

The other security tests are in tests/security; this one lives here to share the live
server and the one Playwright instance of tests/browser."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.localities.models import Locality
from tests.browser.conftest import PHONE, identify, open_form
from tests.factories import Factories

pytestmark = pytest.mark.browser

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(browser):
    """A browser context that records every CSP violation and script error."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(15_000)
    context.add_init_script(WATCH)
    seen: list[str] = []

    def watch(page):
        page.on("console", lambda m: seen.append(m.text) if "Content Security" in m.text else None)
        page.on("pageerror", lambda error: seen.append(f"script error: {error}"))

    context.on("page", watch)
    try:
        yield context, seen
    finally:
        context.close()


def _check(page, seen: list[str]) -> None:
    page.wait_for_load_state("load")
    assert page.evaluate("window.__violations") == [], page.url
    assert seen == [], page.url
    # The stylesheet applied: the skip link is moved off screen by app.css.
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") in (
        "absolute",
        "fixed",
    )


def test_trainee_pages_and_sending_work_under_the_policy(watched, live):
    context, seen = watched
    page = context.new_page()
    for path in ("/c", "/f", "/verify", "/login", f"/c/{live.code}"):
        page.goto(live.url + path)
        _check(page, seen)
    identify(page, live, "Hoàng Thị Mù Cang Chải", "1990")
    _check(page, seen)
    open_form(page, live, "pre")
    _check(page, seen)
    page.check("input[name=se_confident][value='4']")
    page.check("input[name=ai_frequency][value=weekly]")
    page.fill("#item-hours-input", "3")
    page.get_by_role("button", name="Send").click()  # sent by the page script (fetch)
    page.wait_for_url(re.compile(r"/receipt/[A-Z0-9]+$"))
    _check(page, seen)


def _admin_and_ids(site) -> dict:
    with site.app.app_context():
        province = db.session.scalar(sa.select(Locality).where(Locality.code == "J15"))
        Factories().user(role="admin", locality=province, email="csp-admin@example.vn")
        db.session.commit()
        ids = {
            "campaign": db.session.scalar(sa.select(Campaign.id)),
            "class": db.session.scalar(sa.select(TrainingClass.id)),
        }
        db.session.remove()
    return ids


def test_staff_pages_work_under_the_policy(watched, live):
    ids = _admin_and_ids(live)
    context, seen = watched
    page = context.new_page()
    page.goto(live.url + "/login")
    page.fill("#email", "csp-admin@example.vn")
    page.fill("#password", "password123")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/home$"))
    for path in (
        "/home",
        "/dashboard",
        f"/campaigns/{ids['campaign']}",
        f"/campaigns/{ids['campaign']}/dashboard",
        f"/campaigns/{ids['campaign']}/report",
        f"/classes/{ids['class']}",
        f"/classes/{ids['class']}/sheet",
        f"/classes/{ids['class']}/report",
    ):
        response = page.goto(live.url + path)
        assert response.status == 200, path
        _check(page, seen)


def test_the_watch_sees_a_blocked_inline_style(watched, live):
    """The checks above would notice: an inline style put in a page is refused and reported."""
    context, seen = watched
    page = context.new_page()
    page.goto(live.url + "/login")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<style>p{color:red}</style>')")
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__violations")[0].startswith("style-src")
