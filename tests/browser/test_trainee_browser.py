"""The trainee journey in a real browser on a phone-sized screen: sending with the page
script, sending while offline (queued on the device, delivered once), sending without
JavaScript, and drafts kept on the device for one person only."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    draft_keys,
    identify,
    open_form,
    responses_of,
    wait_for_draft,
)

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r"/receipt/[A-Z0-9]+$")


def status_text(page, name: str) -> str:
    return page.get_attribute("#journey-status", f"data-{name}")


def form_posts(page) -> list:
    """(status, Accept header) of every answer of the server to a post of a form."""
    seen = []

    def on_response(response):
        request = response.request
        if request.method == "POST" and "/form/" in request.url:
            seen.append((response.status, request.headers.get("accept")))

    page.on("response", on_response)
    return seen


def fill_pre_survey(page) -> None:
    page.check("input[name=se_confident][value='4']")
    page.check("input[name=ai_frequency][value=weekly]")
    page.fill("#item-hours-input", "6")
    page.fill("#item-note_text-input", "Mù Cang Chải")


def test_a_phone_fills_in_the_pre_survey_and_sees_the_receipt(phone, live):
    page = phone.new_page()
    identify(page, live, "Nguyễn Thị Lan", "1985")
    open_form(page, live, "pre")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    posts = form_posts(page)
    page.check("input[name=ai_frequency][value=weekly]")
    page.get_by_role("button", name="Send").click()  # a required answer is missing
    expect(page.locator("#item-se_confident-error")).to_have_text("Please answer this question.")
    expect(page.locator("#journey-status")).to_have_text(status_text(page, "invalid"))
    fill_pre_survey(page)
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(RECEIPT)
    assert posts == [(400, "application/json"), (200, "application/json")]  # by the script
    [stored] = responses_of(live, "Nguyễn Thị Lan")
    expect(page.locator(".receipt-code").first).to_have_text(stored.receipt_code)
    assert page.url.endswith(f"/c/{live.code}/receipt/{stored.receipt_code}")
    assert stored.duration_seconds is not None
    assert draft_keys(page) == []


def queued(page) -> list[dict]:
    return page.evaluate(
        """() => new Promise(function (resolve) {
          var open = indexedDB.open("journey", 1);
          open.onsuccess = function () {
            var all = open.result.transaction("queue").objectStore("queue").getAll();
            all.onsuccess = function () { resolve(all.result); };
          };
        })"""
    )


def test_a_submission_made_offline_is_queued_then_delivered_once(phone, live):
    page = phone.new_page()
    identify(page, live, "Lò Văn Páo", "1979")
    open_form(page, live, "pre")
    fill_pre_survey(page)
    posts = form_posts(page)
    phone.set_offline(True)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#journey-status")).to_have_text(status_text(page, "queued"))
    [item] = queued(page)
    assert item["sid"] == page.input_value("input[name=submission_id]")
    assert responses_of(live, "Lò Văn Páo") == []

    phone.set_offline(False)  # the "online" event sends it
    page.wait_for_url(RECEIPT)
    [stored] = responses_of(live, "Lò Văn Páo")
    assert stored.submission_id == item["sid"]
    assert queued(page) == [] and draft_keys(page) == []
    assert posts == [(200, "application/json")]

    # The same queued post arriving again (a retry) gets the same receipt, nothing new.
    again = page.evaluate(
        """(item) => fetch(item.url, {method: "POST", body: item.body, headers: {
             "Content-Type": "application/x-www-form-urlencoded",
             "Accept": "application/json", "X-Journey-Person": item.person}})
           .then(function (r) { return r.json(); })""",
        item,
    )
    assert again["status"] == "stored" and again["receipt"] == stored.receipt_code
    page.reload()
    page.goto(f"{live.url}/c/{live.code}/form/{live.forms['pre']}")
    expect(page.get_by_role("heading", level=1)).to_have_text("This form was already sent")
    assert len(responses_of(live, "Lò Văn Páo")) == 1


def test_a_queued_submission_is_sent_when_a_page_is_opened_again(phone, live):
    page = phone.new_page()
    identify(page, live, "Sùng Thị Hoa", "1983")
    open_form(page, live, "pre")
    fill_pre_survey(page)
    phone.set_offline(True)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#journey-status")).to_have_text(status_text(page, "queued"))
    page.close()  # the phone is put away; later, with a connection, the class page is opened

    phone.set_offline(False)
    page = phone.new_page()
    page.goto(f"{live.url}/c/{live.code}")
    [stored] = responses_of_soon(live, "Sùng Thị Hoa")
    sent = status_text(page, "sent-earlier").replace("{code}", stored.receipt_code)
    expect(page.locator("#journey-status")).to_have_text(sent)
    assert queued(page) == []


def responses_of_soon(live, name: str, timeout: float = 10.0) -> list:
    deadline = time.monotonic() + timeout
    while not (found := responses_of(live, name)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_without_javascript_the_form_still_submits(browser, live):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    try:
        page = context.new_page()
        identify(page, live, "Hoàng Thị Mỷ", "1992")
        open_form(page, live, "pre")
        fill_pre_survey(page)
        page.get_by_role("button", name="Send").click()
        page.wait_for_url(RECEIPT)
        [stored] = responses_of(live, "Hoàng Thị Mỷ")
        expect(page.locator(".receipt-code").first).to_have_text(stored.receipt_code)
    finally:
        context.close()


def test_drafts_come_back_for_the_same_person_only(phone, live):
    page = phone.new_page()
    identify(page, live, "Vàng A Dính", "1988")
    open_form(page, live, "skill")
    first_id = page.input_value("input[name=submission_id]")
    page.check("input[name=q1][value=c]")
    wait_for_draft(page, '["q1","c"]')
    page.reload()  # a new id from the server; the page keeps the first one and the answer
    expect(page.locator("input[name=q1][value=c]")).to_be_checked()
    expect(page.locator("#journey-status")).to_have_text(status_text(page, "restored"))
    assert page.input_value("input[name=submission_id]") == first_id

    # Both pages are kept: leave on page 2, come back, everything is there.
    page.check("input[name=q2][value=no]")
    phone.set_offline(True)
    page.get_by_role("button", name="Next").click()  # offline: the page stays, and says why
    expect(page.locator("#journey-status")).to_have_text(status_text(page, "offline"))
    phone.set_offline(False)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    page.check("input[name=q3][value=a]")
    page.check("input[name=q3][value=c]")
    wait_for_draft(page, '["q3","c"]')
    page.get_by_role("link", name=re.compile("Leave this form")).click()
    open_form(page, live, "skill")
    expect(page.locator("input[name=q2][value=no]")).to_be_checked()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("input[name=q3][value=c]")).to_be_checked()
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(RECEIPT)
    [stored] = responses_of(live, "Vàng A Dính")
    assert stored.submission_id == first_id and stored.score == 4
    assert draft_keys(page) == []

    # A half-typed post-survey, then "I am a different person": nothing of it shows again.
    page.goto(f"{live.url}/c/{live.code}")
    open_form(page, live, "post")
    page.fill("#item-comment-input", "Góp ý riêng của Dính")
    wait_for_draft(page, "Góp ý riêng của Dính")
    [key] = draft_keys(page)
    left_behind = page.evaluate("(k) => localStorage.getItem(k)", key)
    page.goto(f"{live.url}/c/{live.code}")
    page.get_by_role("button", name="I am a different person").click()
    page.wait_for_url(re.compile(rf"/c/{live.code}$"))
    assert draft_keys(page) == []
    identify(page, live, "Đinh Văn Yên", "2001")
    open_form(page, live, "post")
    expect(page.locator("#item-comment-input")).to_have_value("")
    # Even a draft of the previous person still on the phone is never put into this form.
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, left_behind])
    page.reload()
    expect(page.locator("#item-comment-input")).to_have_value("")
    expect(page.locator("#journey-status")).to_have_text("")
