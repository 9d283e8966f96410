"""A world to submit into, for the load benchmark and the fault tests.

``build_world`` writes (and commits) one province with communes, one campaign, ``classes``
classes each with the default post-class survey open, and ``per_class`` people identified
in each class (rows written with SQLAlchemy Core, so 40,000 people take seconds).
``seats`` turns them into what a real browser would hold after identifying: the form's
path, a signed session cookie naming the person (and a CSRF token in it), the matching
CSRF form token. ``answers_body`` is the whole post-class survey as the browser posts it
on its last page ("Send"), with the placeholders the load harness fills per request.

    with app.app_context():
        world = build_world(classes=100, per_class=40)
        body = answers_body(world.items, started_at=utcnow() - timedelta(minutes=6))
        for seat in seats(app, world): ...

Seats are ordered class by class in turn (seat 0 of every class, then seat 1...), so
consecutive requests go to different classes, as in a province where many classes end
at the same time.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote, urlencode

import sqlalchemy as sa
from flask import Flask
from itsdangerous import URLSafeTimedSerializer

from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.instruments.imports import DEFAULTS_DIR, import_file
from surveyapp.instruments.models import Item
from surveyapp.instruments.services import find_instrument
from surveyapp.localities.models import Locality, LocalityScheme
from surveyapp.models_base import utcnow
from surveyapp.participants.models import Enrolment, Participant
from surveyapp.responses.models import ClassForm

SURVEY_KEY = "post-survey"
# One plausible, not straight-lined, answer per item of the default post-class survey.
ANSWERS = {
    "se_draft": "4",
    "se_prompt": "4",
    "se_complex": "2",
    "se_verify": "3",
    "se_privacy": "5",
    "se_scam": "4",
    "se_work": "4",
    "satisfaction": "5",
    "relevance": "4",
    "clarity": "5",
    "pace": "just_right",
    "intend_use": "4",
    "most_useful": "Cách viết câu lệnh rõ ràng để soạn công văn, ở xã Mù Cang Chải.",
    "improve": "Thêm thời gian thực hành trên điện thoại.",
}


@dataclass(frozen=True)
class World:
    class_ids: list[int]
    class_codes: dict[int, str]  # class id -> access code
    form_ids: dict[int, int]  # class id -> the open post-survey class form
    people: list[tuple[int, int]]  # (class id, participant id), class by class in turn
    items: list[Item]


@dataclass(frozen=True)
class Seat:
    """One identified person in front of one open form."""

    path: str  # /c/<code>/form/<id>
    cookie: str  # "session=<signed session>"
    csrf: str  # the form's csrf_token field
    participant_id: int
    class_id: int


def _survey_version():
    instrument = find_instrument(SURVEY_KEY)
    if instrument is None:
        path = DEFAULTS_DIR / "post-survey.yaml"
        import_file(path.read_bytes(), path.name, actor=None, now=utcnow())
        instrument = find_instrument(SURVEY_KEY)
    return instrument.latest


def _places(classes: int) -> list[Locality]:
    scheme = LocalityScheme(code="bench-load", name="Load bench", effective_from=date(2025, 7, 1))
    db.session.add(scheme)
    db.session.flush()
    province = Locality(scheme_id=scheme.id, code="LB", name="Tỉnh Yên Bái", kind="province")
    db.session.add(province)
    db.session.flush()
    province.set_parent(None)
    communes = []
    for n in range(max(1, classes // 4)):
        name = "Xã Mù Cang Chải" if n % 2 else "Xã Văn Yên"
        commune = Locality(
            scheme_id=scheme.id, code=f"LB{n:05d}", name=f"{name} {n}", kind="commune"
        )
        db.session.add(commune)
        db.session.flush()
        commune.set_parent(province)
        communes.append(commune)
    db.session.flush()
    return [province, *communes]


def _classes(count: int, version) -> tuple[list[TrainingClass], dict[int, int]]:
    province, *communes = _places(count)
    campaign = Campaign(
        name="Chiến dịch thử tải",
        root_locality=province,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        status="active",
    )
    db.session.add(campaign)
    tag = secrets.token_hex(2).upper()
    classes = [
        TrainingClass(
            campaign=campaign,
            locality=communes[n % len(communes)],
            title=f"Lớp bình dân học AI số {n + 1}",
            segment="resident",
            start_date=date(2026, 3, 1),
            end_date=date(2026, 3, 1),
            access_code=f"L{tag}{n:05d}",
        )
        for n in range(count)
    ]
    db.session.add_all(classes)
    db.session.flush()
    forms = [
        ClassForm(class_id=c.id, version=version, moment="post", is_open=True) for c in classes
    ]
    db.session.add_all(forms)
    db.session.flush()
    return classes, {form.class_id: form.id for form in forms}


def _people(classes: list[TrainingClass], per_class: int) -> list[tuple[int, int]]:
    """Participants and enrolments written with Core; ``(class id, participant id)``."""
    first = (db.session.scalar(sa.select(sa.func.max(Participant.id))) or 0) + 1
    rows, enrolments, people = [], [], []
    now = utcnow()
    for _seat in range(per_class):
        for cls in classes:
            pid = first + len(rows)
            key = hashlib.sha256(f"load-{pid}-{secrets.token_hex(4)}".encode()).hexdigest()
            rows.append(
                {
                    "id": pid,
                    "public_id": f"LB{pid:012d}",
                    "full_name": f"Nguyễn Thị Yên {pid}",
                    "birth_year": 1960 + pid % 45,
                    "gender": "female" if pid % 2 else "male",
                    "segment": "resident",
                    "organisation": "",
                    "locality_id": cls.locality_id,
                    "identity_key": key,
                    "name_key": key,
                    "follow_up_token": secrets.token_hex(12).upper(),
                    "created_at": now,
                }
            )
            enrolments.append({"participant_id": pid, "class_id": cls.id, "enrolled_at": now})
            people.append((cls.id, pid))
    for start in range(0, len(rows), 5000):
        db.session.execute(sa.insert(Participant), rows[start : start + 5000])
        db.session.execute(sa.insert(Enrolment), enrolments[start : start + 5000])
    return people


def build_world(classes: int, per_class: int) -> World:
    """Write the world in the current app's database and commit it."""
    version = _survey_version()
    made, form_ids = _classes(classes, version)
    people = _people(made, per_class)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT setval('participant_id_seq', max(id)) FROM participant"))
    db.session.commit()
    with db.engine.connect() as connection:  # statistics, as autovacuum would keep them
        connection.execute(sa.text("ANALYZE"))
        connection.commit()
    items = list(version.items)
    return World(
        class_ids=[c.id for c in made],
        class_codes={c.id: c.access_code for c in made},
        form_ids=form_ids,
        people=people,
        items=items,
    )


def seats(app: Flask, world: World) -> list[Seat]:
    """Cookies and CSRF tokens as the app itself would have given each person."""
    session_serializer = app.session_interface.get_signing_serializer(app)
    csrf_serializer = URLSafeTimedSerializer(
        app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key, salt="wtf-csrf-token"
    )
    result = []
    for class_id, participant_id in world.people:
        raw = hashlib.sha1(os.urandom(32)).hexdigest()  # noqa: S324 (what Flask-WTF stores)
        cookie = session_serializer.dumps(
            {"who": {str(class_id): participant_id}, "csrf_token": raw}
        )
        code = world.class_codes[class_id]
        result.append(
            Seat(
                path=f"/c/{code}/form/{world.form_ids[class_id]}",
                cookie=f"{app.config.get('SESSION_COOKIE_NAME', 'session')}={cookie}",
                csrf=csrf_serializer.dumps(raw),
                participant_id=participant_id,
                class_id=class_id,
            )
        )
    return result


def answers_body(
    items: list[Item], *, started_at: datetime, csrf: str = "{value3}", submission_id="{value4}"
) -> str:
    """The last page's post of the whole survey (form-encoded, UTF-8)."""
    last_page = max(item.page for item in items)
    fields = [
        ("csrf_token", csrf),
        ("submission_id", submission_id),
        ("started_at", started_at.replace(microsecond=0).isoformat()),
        ("page", str(last_page)),
        ("action", "next"),
    ]
    keys = {item.key for item in items}
    fields += [(key, value) for key, value in ANSWERS.items() if key in keys]
    # The placeholders must stay readable by the harness: do not percent-encode braces.
    return urlencode(fields, quote_via=lambda text, *_a: quote(text, safe="{}"))
