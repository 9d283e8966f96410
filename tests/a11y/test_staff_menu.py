"""The staff menu: on a phone the links wait behind "Menu" (a <details>, no script), which
opens with the keyboard; on a wide screen they sit in the bar and "Menu" is not shown."""

from __future__ import annotations

import re

import pytest

from tests.a11y.conftest import ADMIN, VIEWPORTS, new_context
from tests.a11y.test_keyboard import tab_to

pytestmark = pytest.mark.browser


def log_in(page, site) -> None:
    page.goto(site.url + "/login")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/home$"))


def test_on_a_phone_the_links_wait_behind_menu_and_open_by_keyboard(browser, site):
    context = new_context(browser, VIEWPORTS["phone"])
    try:
        page = context.new_page()
        log_in(page, site)
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < 200  # not fourteen links wrapped over six lines
        personal = page.get_by_role("link", name="Personal data")
        assert not personal.is_visible()
        tab_to(page, ".nav-compact summary")
        page.keyboard.press("Enter")
        assert personal.is_visible()
        box = personal.bounding_box()
        assert box["height"] >= 40  # a finger-sized target
        personal.click()
        page.wait_for_url(re.compile(r"/privacy/$"))
    finally:
        context.close()
    assert context.server_errors == []


def test_on_a_wide_screen_the_links_sit_in_the_bar(browser, site):
    context = new_context(browser, VIEWPORTS["desktop"])
    try:
        page = context.new_page()
        log_in(page, site)
        assert not page.locator(".nav-compact summary").is_visible()
        link = page.locator(".site-nav").get_by_role("link", name="Personal data")
        assert link.is_visible()
        assert page.get_by_role("link", name="Personal data").count() == 1  # one is shown
    finally:
        context.close()
    assert context.server_errors == []
