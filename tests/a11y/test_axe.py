"""axe-core finds no serious or critical violation on the trainee pages (access code,
identification with consent, each form with and without errors, receipts with results,
follow-up, certificate check), the login page and the dashboard, at 360 px and 1280 px."""

from __future__ import annotations

import itertools
import re
import zlib

import pytest
import sqlalchemy as sa

from surveyapp.certificates import services as certificates
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.participants.models import Participant
from tests.a11y.audit import Findings
from tests.a11y.conftest import ADMIN, VIEWPORTS, new_context

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r"/receipt/[A-Z0-9]+$")
PEOPLE = itertools.count(1)  # a new person for each run of the journey


def submit(page) -> None:
    """Press the page's own submit button (not the language switch in the header)."""
    page.locator("main button[type=submit]").first.click()


def identify(page, site, name: str) -> None:
    """Identify as a new person (name and phone of their own), agreeing to follow-up."""
    page.check("input[name=consent_evaluation][value=yes]")
    page.fill("#full_name", name)
    page.fill("#birth_year", "1990")
    page.check("input[name=gender][value=male]")
    page.select_option("#segment", "resident")
    page.select_option("#commune", str(site.commune_id))
    page.check("input[name=consent_follow_up][value=yes]")
    page.fill("#phone", f"09{zlib.crc32(name.encode()) % 10**8:08d}")
    submit(page)
    page.wait_for_url(re.compile(rf"/c/{site.code}$"))


def send(page) -> None:
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(RECEIPT)


def skill_test(page, findings: Findings, label: str) -> None:
    page.check("input[name=q1][value=c]")
    page.check("input[name=q2][value=no]")
    page.get_by_role("button", name="Next").click()
    page.wait_for_selector("input[name=q3]")
    findings.check(page, f"{label} page 2")
    page.check("input[name=q3][value=a]")
    page.check("input[name=q3][value=c]")
    send(page)
    findings.check(page, f"{label} result")


def test_public_pages_and_their_errors(screen, site):
    findings = Findings()
    page = screen.new_page()
    for path, name in (
        ("/login", "login"),
        ("/c", "code entry"),
        ("/verify", "verify"),
        ("/f", "follow-up code entry"),
    ):
        page.goto(site.url + path)
        findings.check(page, name)
        submit(page)  # empty: required field missing
        findings.check(page, f"{name} with an error")
    page.goto(site.url + "/login")
    page.fill("#email", "khong-co@example.vn")
    page.fill("#password", "sai mật khẩu")
    submit(page)
    findings.check(page, "login refused")
    page.goto(f"{site.url}/c/ZZZZZZ")
    findings.check(page, "class not found")
    page.goto(f"{site.url}/verify/ZZZZ-ZZZZ")
    findings.check(page, "certificate not found")
    page.goto(f"{site.url}/c/{site.code}")
    findings.check(page, "class page")
    page.goto(f"{site.url}/c/{site.code}/identify")
    findings.check(page, "identification and consent")
    submit(page)
    findings.check(page, "identification with errors")
    page.check("input[name=consent_evaluation][value=no]")
    submit(page)
    findings.check(page, "consent declined")
    findings.assert_clean()


def test_trainee_journey_pages(screen, site):
    name = f"Hà Thị Mù Cang Chải {next(PEOPLE)}"
    findings = Findings()
    page = screen.new_page()
    page.goto(f"{site.url}/c/{site.code}/identify")
    identify(page, site, name)
    findings.check(page, "class page, identified")

    page.goto(f"{site.url}/c/{site.code}/form/{site.forms['pre']}")
    findings.check(page, "pre-survey")
    page.get_by_role("button", name="Send").click()  # required answers missing
    page.wait_for_selector("#item-se_confident-error")
    findings.check(page, "pre-survey with errors")
    page.check("input[name=se_confident][value='4']")
    page.check("input[name=ai_frequency][value=weekly]")
    page.fill("#item-hours-input", "abc")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("#item-hours-error")
    findings.check(page, "pre-survey with a wrong number")
    page.fill("#item-hours-input", "6")
    page.fill("#item-note_text-input", "Văn Yên")
    send(page)
    findings.check(page, "pre-survey receipt")

    for key in ("skill", "skill_post"):
        page.goto(f"{site.url}/c/{site.code}/form/{site.forms[key]}")
        findings.check(page, f"{key} page 1")
        skill_test(page, findings, key)

    page.goto(f"{site.url}/c/{site.code}/form/{site.forms['post']}")
    findings.check(page, "post-survey")
    page.check("input[name=se_confident][value='5']")
    page.fill("#item-comment-input", "Lớp học rất bổ ích")
    send(page)
    findings.check(page, "post-survey receipt with follow-up code")
    page.goto(f"{site.url}/c/{site.code}")
    findings.check(page, "class page, all sent")
    page.goto(f"{site.url}/c/{site.code}/form/{site.forms['pre']}")
    findings.check(page, "form already sent")

    token, code = _follow_up_token_and_certificate(site, name)
    page.goto(f"{site.url}/verify/{code}")
    findings.check(page, "certificate check")
    page.goto(f"{site.url}/f/{token}")
    findings.check(page, "follow-up form")
    page.check("input[name=ai_frequency][value=daily]")
    page.fill("#item-example-input", "Soạn công văn cho xã Văn Yên")
    send(page)
    findings.check(page, "follow-up receipt")
    findings.assert_clean()


def _follow_up_token_and_certificate(site, name: str) -> tuple[str, str]:
    with site.app.app_context():
        person = db.session.scalar(sa.select(Participant).where(Participant.full_name == name))
        cls = db.session.get(TrainingClass, site.class_id)
        certificate = certificates.issue_completion(person, cls)
        db.session.commit()
        return person.follow_up_token, certificate.code


def test_the_journey_without_the_page_script(browser, site):
    """Errors rendered by the server (journey.js blocked) are as accessible as the script's.
    (JavaScript stays on for axe itself; only the page's own script is kept out.)"""
    findings = Findings()
    context = new_context(browser, VIEWPORTS["phone"])
    context.route("**/journey.js", lambda route: route.abort())
    try:
        page = context.new_page()
        page.goto(f"{site.url}/c/{site.code}/identify")
        identify(page, site, f"Lò Văn Páo {next(PEOPLE)}")
        page.goto(f"{site.url}/c/{site.code}/form/{site.forms['pre']}")
        page.get_by_role("button", name="Send").click()
        page.wait_for_selector("#item-se_confident-error")
        findings.check(page, "pre-survey with errors, no page script")
    finally:
        context.close()
    assert context.server_errors == []
    findings.assert_clean()


def test_login_and_dashboard(screen, site):
    findings = Findings()
    page = screen.new_page()
    page.goto(site.url + "/login")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    submit(page)
    page.wait_for_url(re.compile(r"/home$"))
    findings.check(page, "home")
    page.goto(site.url + "/dashboard")
    findings.check(page, "dashboard")
    page.locator("main .cards a").first.click()
    page.wait_for_url(re.compile(r"/campaigns/\d+/dashboard"))
    findings.check(page, "campaign dashboard")
    page.locator(".kpi-children tbody a").first.click()
    page.wait_for_load_state("load")
    findings.check(page, "campaign dashboard, one level down")
    findings.assert_clean()
