"""Accessibility audits: axe-core (bundled by the ``axe-playwright-python`` package, so
nothing is fetched at run time) in Debian's headless Chromium, against the app served on
127.0.0.1 by werkzeug in a background thread, on a temporary SQLite file.

The database holds the demo at a small scale (so the dashboard has real figures, charts and
drill-down) plus one class with a pre-survey, a two-page skill test, a post-class survey, the
post-class skill test and a follow-up form, all open. Like tests/browser, these tests commit
for real and always use SQLite, whatever ``TEST_DATABASE_URL`` says.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest

from surveyapp import create_app
from surveyapp.demo.builder import build_demo
from surveyapp.extensions import db
from tests.browser.conftest import (  # noqa: F401 (the skip hook is reused)
    pytest_collection_modifyitems,
    serving,
)
from tests.factories import Factories
from tests.journey.helpers import attach, make_class, standard_versions

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
ADMIN = ("admin@demo.binhdanhocai.vn", "demo-admin")  # surveyapp/demo/users.py


@pytest.fixture(autouse=True)
def _transaction():
    """No rolled-back transaction: the live server must see committed rows."""
    yield


def _seed() -> SimpleNamespace:
    build_demo(scale=0.02)
    f = Factories()
    province = f.locality("Tỉnh Yên Bái", kind="province", scheme="2023", code="A15")
    district = f.locality("Huyện Văn Yên", parent=province, kind="district", code="A139")
    commune = f.locality("Xã Mù Cang Chải", parent=district, code="A04300")
    campaign = f.campaign(province)
    cls = make_class(f, campaign, commune, title="Lớp AI xã Mù Cang Chải")
    v = standard_versions()
    names = ("pre", "skill", "post", "skill_post", "follow")
    forms = attach(cls, v.pre, v.skill, v.post, (v.skill, "post"), v.follow)
    db.session.commit()
    return SimpleNamespace(
        code=cls.access_code,
        class_id=cls.id,
        commune_id=commune.id,
        forms={name: form.id for name, form in zip(names, forms, strict=True)},
    )


@pytest.fixture(scope="package")
def site(tmp_path_factory):
    """The app on a free port of 127.0.0.1, with real CSRF checks, in English."""
    path = Path(tmp_path_factory.mktemp("a11y")) / "a11y.sqlite"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "a11y-test-secret",
            "LANGUAGES": ("en", "vi"),
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        seeded = _seed()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with serving(app, path) as url:
        yield SimpleNamespace(app=app, url=url, **vars(seeded))


def new_context(browser, viewport: dict):
    """A fresh context (own cookies and storage) that records every 5xx the server sends,
    so that an audit never passes on an error page: ``context.server_errors``."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(15_000)
    context.server_errors = []
    context.on(
        "response",
        lambda r: r.status >= 500 and context.server_errors.append(f"{r.status} {r.url}"),
    )
    return context


@pytest.fixture(params=sorted(VIEWPORTS))
def screen(request, browser):
    """A fresh browser context at 360 px and at 1280 px; no server error allowed."""
    context = new_context(browser, VIEWPORTS[request.param])
    try:
        yield context
    finally:
        context.close()
    assert context.server_errors == []
