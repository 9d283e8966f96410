"""The trainee journey by keyboard alone on a phone-sized screen, with a visible focus at
every stop, and errors tied to their fields (aria-invalid, aria-describedby, role=alert)
whether the server or the page script shows them."""

from __future__ import annotations

import itertools
import re

import pytest

from tests.a11y.conftest import VIEWPORTS, new_context

pytestmark = pytest.mark.browser

PEOPLE = itertools.count(1)

# True when the focused element (or the option box around a radio) shows a focus ring.
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  const box = el.closest('.item-option, .likert-point') || el;
  const s = getComputedStyle(box);
  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
}"""


@pytest.fixture
def keyboard_page(browser):
    context = new_context(browser, VIEWPORTS["phone"])
    try:
        yield context.new_page()
    finally:
        context.close()
    assert context.server_errors == []


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus; each stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_SHOWN), page.evaluate("document.activeElement.outerHTML")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def choose_radio(page, name: str, steps: int) -> None:
    """Tab into a radio group, pick its first option with Space, then move with the arrows."""
    tab_to(page, f"input[name={name}]")
    page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")


def test_a_trainee_can_do_everything_with_the_keyboard(keyboard_page, site):
    page = keyboard_page
    page.goto(site.url + "/c")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")  # skip the header
    tab_to(page, "#code")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    page.keyboard.type(site.code.lower())
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/c/{site.code}(#main)?$"))

    tab_to(page, f"a[href$='/c/{site.code}/identify']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/identify$"))
    choose_radio(page, "consent_evaluation", 0)  # yes
    tab_to(page, "#full_name")
    page.keyboard.type(f"Giàng Thị Mù Cang Chải {next(PEOPLE)}")
    tab_to(page, "#birth_year")
    page.keyboard.type("1992")
    choose_radio(page, "gender", 0)  # female
    tab_to(page, "#segment")
    page.keyboard.type("Resident")
    tab_to(page, "#commune")
    page.keyboard.type("Xã Mù")
    choose_radio(page, "consent_follow_up", 1)  # no
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/c/{site.code}$"))

    tab_to(page, f"a[href$='/form/{site.forms['pre']}']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/form/{site.forms['pre']}$"))
    choose_radio(page, "se_confident", 3)  # 1 -> 4
    choose_radio(page, "ai_frequency", 1)  # never -> weekly
    tab_to(page, "#item-hours-input")
    page.keyboard.type("6")
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/receipt/[A-Z0-9]+$"))
    assert page.locator(".receipt-code").first.inner_text().strip()


def errors_are_tied_to_fields(page) -> list[str]:
    """Problems with the error markup: each invalid control is described by a visible
    role=alert message, and each such message describes a control."""
    return page.evaluate(
        """() => {
      const problems = [];
      const alerts = [...document.querySelectorAll('main p.error')];
      if (!alerts.length) problems.push('no error message shown');
      for (const p of alerts) {
        if (p.getAttribute('role') !== 'alert') problems.push(p.id + ' is not role=alert');
        if (!p.textContent.trim()) problems.push(p.id + ' is empty');
        const owner = document.querySelector(`[aria-describedby~="${p.id}"]`);
        if (!owner) problems.push(p.id + ' describes no field');
        const box = p.closest('.field, .item');
        const invalid = box && box.querySelector('[aria-invalid="true"]');
        if (!invalid) problems.push(p.id + ': its field is not aria-invalid');
      }
      return problems;
    }"""
    )


def test_errors_from_the_server_are_announced_and_tied_to_fields(keyboard_page, site):
    page = keyboard_page
    page.goto(f"{site.url}/c/{site.code}/identify")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector("#full_name-error")
    assert errors_are_tied_to_fields(page) == []
    assert page.locator("main .flash-error[role=alert]").count() == 1
    page.goto(site.url + "/login")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector("#email-error")
    assert errors_are_tied_to_fields(page) == []


def test_errors_from_the_page_script_are_tied_to_fields_and_get_the_focus(keyboard_page, site):
    page = keyboard_page
    page.goto(f"{site.url}/c/{site.code}/identify")
    page.check("input[name=consent_evaluation][value=yes]")
    page.fill("#full_name", f"Sùng A Páo {next(PEOPLE)}")
    page.fill("#birth_year", "1988")
    page.check("input[name=gender][value=male]")
    page.select_option("#segment", "resident")
    page.select_option("#commune", str(site.commune_id))
    page.check("input[name=consent_follow_up][value=no]")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/c/{site.code}$"))
    page.goto(f"{site.url}/c/{site.code}/form/{site.forms['pre']}")
    page.check("input[name=ai_frequency][value=weekly]")
    page.fill("#item-hours-input", "1000")
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("#item-se_confident-error")
    page.wait_for_selector("#item-hours-error")
    assert errors_are_tied_to_fields(page) == []
    assert page.evaluate("document.activeElement.name") == "se_confident"
    page.check("input[name=se_confident][value='3']")
    page.fill("#item-hours-input", "")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"/receipt/[A-Z0-9]+$"))
