"""Real-browser tests: Debian's headless Chromium driven by Playwright, against the app served
by werkzeug in a background thread on 127.0.0.1, on a temporary SQLite file.

The server commits for real, so these tests do not run in the rolled-back transaction of
the other tests (``_transaction`` is overridden here). The data is seeded once through the
same factories and helpers as the journey tests, committed, and the file deleted at the end.
They always use SQLite, whatever ``TEST_DATABASE_URL`` says.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from surveyapp import create_app
from surveyapp.extensions import db
from surveyapp.participants.models import Participant
from surveyapp.responses.models import Response
from tests.factories import Factories
from tests.journey.helpers import attach, make_class, standard_versions

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config, items):
    # On CI (CI=true) a missing browser must fail, not skip: .ci/run installs it.
    if os.path.exists(CHROMIUM) or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(
        reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _transaction():
    """No rolled-back transaction: the live server must see committed rows."""
    yield


@contextlib.contextmanager
def serving(app, path: Path):
    """Serve ``app`` (on the SQLite file ``path``) on a free port of 127.0.0.1; yields its
    base URL, then stops the server and removes the database files."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _seed() -> SimpleNamespace:
    f = Factories()
    province = f.locality("Tỉnh Yên Bái", kind="province", scheme="2024", code="J15")
    district = f.locality("Huyện Văn Yên", parent=province, kind="district", code="J139")
    commune = f.locality("Xã Mậu A", parent=district, code="J04300")
    campaign = f.campaign(province)
    cls = make_class(f, campaign, commune, title="Lớp AI xã Mậu A")
    versions = standard_versions()
    forms = attach(cls, versions.pre, versions.skill, versions.post)
    db.session.commit()
    return SimpleNamespace(
        code=cls.access_code,
        commune_id=commune.id,
        forms={name: form.id for name, form in zip(("pre", "skill", "post"), forms, strict=True)},
    )


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """The app on a free port of 127.0.0.1, with real CSRF checks, in English."""
    path = Path(tmp_path_factory.mktemp("browser")) / "browser.sqlite"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "browser-test-secret",
            "LANGUAGES": ("en", "vi"),
        }
    )
    with app.app_context():
        db.create_all()
        seeded = _seed()
    with serving(app, path) as url:
        yield SimpleNamespace(app=app, url=url, **vars(seeded))


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser (its own cookies and storage) with JavaScript on."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(10_000)
    try:
        yield context
    finally:
        context.close()


# ---------------------------------------------------------------- helpers for the tests


def identify(page, live, name: str, birth_year: str) -> None:
    """Open the class page and identify as ``name`` (consenting to the evaluation)."""
    page.goto(f"{live.url}/c/{live.code}")
    page.get_by_role("link", name="Start: tell us who you are").click()
    page.check("input[name=consent_evaluation][value=yes]")
    page.fill("#full_name", name)
    page.fill("#birth_year", birth_year)
    page.check("input[name=gender][value=female]")
    page.select_option("#segment", "resident")
    page.select_option("#commune", str(live.commune_id))
    page.check("input[name=consent_follow_up][value=no]")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(rf"/c/{live.code}$"))


def open_form(page, live, name: str) -> None:
    page.click(f"a[href$='/form/{live.forms[name]}']")
    page.wait_for_url(re.compile(rf"/form/{live.forms[name]}$"))


def responses_of(live, name: str) -> list[Response]:
    with live.app.app_context():
        rows = db.session.scalars(
            sa.select(Response)
            .join(Participant, Participant.id == Response.participant_id)
            .where(Participant.full_name == name)
        ).all()
        db.session.expunge_all()
        return rows


def draft_keys(page) -> list[str]:
    return page.evaluate(
        "Object.keys(localStorage).filter((k) => k.indexOf('journey.draft.') === 0)"
    )


def wait_for_draft(page, text: str) -> None:
    """Wait until a draft saved on the device contains ``text`` (drafts save shortly after)."""
    page.wait_for_function(
        """(text) => Object.keys(localStorage).some(
             (k) => k.indexOf('journey.draft.') === 0 && localStorage.getItem(k).includes(text))""",
        arg=text,
    )
