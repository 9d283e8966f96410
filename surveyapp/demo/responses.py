"""Realistic answers in the demo classes: learners, consents, enrolments, responses, answers.

``build_demo_responses`` attaches the standard forms to every class of both demo
campaigns (closed once a class is over, open while it runs, the follow-up open while
its window lasts), then fills the classes that have started: about 2,500 distinct
learners in the 2024 pilot (``scale`` multiplies every count) and fewer in Lào Cai. Each
learner answers the surveys and the skill test before and after class; about 60% agree
to be contacted and over half of those answer the follow-up 30 to 75 days later, so that
some 600 pilot learners would meet the default "applies AI effectively" rule, as the
pilot reported. A few people attend two classes (one participant, two enrolments) and a
few were registered twice (same name, birth year and commune, another phone).

Rows go in with SQLAlchemy Core ``insert()`` over lists (executemany): scores, numbers and
points come from ``engine.score``/``engine.answer_rows``, as ``store_submission`` stores
them. Everything random comes from ``random.Random(seed)``. Flushes, never commits.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import ClassStatus, TrainingClass
from surveyapp.demo import current, pilot
from surveyapp.demo.common import apportion
from surveyapp.demo.learners import People, Person
from surveyapp.demo.sittings import DEMO_NOW, Forms, Recorder, Sittings, Timetable, local
from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion
from surveyapp.instruments.services import freeze
from surveyapp.participants.consent import CONSENT_TEXT_VERSION
from surveyapp.participants.models import Consent, ConsentPurpose, Enrolment, Participant
from surveyapp.responses import class_forms
from surveyapp.responses.models import Answer, Response
from surveyapp.security import Scope

ANSWERING = (ClassStatus.COMPLETED, ClassStatus.ONGOING)
REPEATERS = 0.01  # share of learners who attend a second class of the campaign
DUPLICATES = {pilot.NAME: 10, current.NAME: 2}  # people registered twice, at scale 1
FILL = (0.75, 0.95)  # share of seats taken in a Lào Cai class
FOLLOW_UP_WINDOW = (28, 90)  # days after the class the follow-up form is open


@dataclass(frozen=True)
class CampaignAnswers:
    name: str
    learners: int
    enrolments: int
    agreed_follow_up: int
    responses: int
    follow_ups: int
    answers: int

    def line(self) -> str:
        return (
            f"{self.name}: {self.learners:,} learners ({self.enrolments:,} enrolments, "
            f"{self.agreed_follow_up:,} agreed to a follow-up), {self.responses:,} responses "
            f"incl. {self.follow_ups:,} follow-ups, {self.answers:,} answers."
        )


@dataclass(frozen=True)
class ResponsesSummary:
    campaigns: tuple[CampaignAnswers, ...]
    seconds: float
    frozen_versions: tuple[int, ...] = field(default=())

    def lines(self) -> list[str]:
        return [c.line() for c in self.campaigns]


def build_demo_responses(*, seed: int = 2024, scale: float = 1.0) -> ResponsesSummary:
    """Fill both demo campaigns' classes with learners and answers (flush, no commit).

    The default instruments must be loaded (``instruments.imports.load_defaults``).
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    versions = _default_versions()
    recorder = Recorder(rng, {v.id: list(v.items) for v in versions}, _taken(Response))
    people = People(rng, _taken(Participant, "public_id") | _taken(Participant, "follow_up_token"))
    timetable = Timetable(rng)
    results = []
    for name in (pilot.NAME, current.NAME):
        classes = _classes_of(name)
        forms = {cls.id: attach_forms(cls, timetable) for cls in classes}
        recorder.places.update({cls.id: cls.locality_id for cls in classes})
        crowd = learners(rng, people, name, classes, scale)
        results.append(fill(rng, crowd, forms, recorder, timetable, name))
    frozen = []
    for version in versions:
        if version.id in recorder.first_submitted:
            freeze(version, recorder.first_submitted[version.id])
            frozen.append(version.id)
    db.session.flush()
    return ResponsesSummary(tuple(results), time.perf_counter() - started, tuple(frozen))


def _default_versions() -> list[InstrumentVersion]:
    versions = class_forms.default_versions()
    if len(versions) < len(class_forms.DEFAULT_KEYS):
        # build_demo loads them first: missing ones are a bug, not a user's mistake.
        raise RuntimeError("The demo answers need the default instruments (load_defaults).")
    return versions


def _taken(model, column: str = "receipt_code") -> set[str]:
    return set(db.session.scalars(sa.select(getattr(model, column))))


def _classes_of(name: str) -> list[TrainingClass]:
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.name == name))
    if campaign is None:
        raise RuntimeError(f"The demo campaign {name!r} must be built before its answers.")
    return list(
        db.session.scalars(
            sa.select(TrainingClass)
            .where(TrainingClass.campaign_id == campaign.id)
            .order_by(TrainingClass.start_date, TrainingClass.id)
        )
    )


# ---------------------------------------------------------------- the forms of a class


def attach_forms(cls: TrainingClass, timetable: Timetable) -> Forms:
    """Attach the five standard forms (trusted: no actor) and open or close them as the
    class's trainer would have: each sitting open during its session, the follow-up from
    four weeks after the class until three months after it."""
    scope = Scope(unrestricted=True)
    class_forms.attach_defaults(None, cls, scope=scope)
    slots = {(f.version.instrument.kind, f.moment): f for f in class_forms.forms_of(cls.id)}
    forms = Forms(
        pre_survey=slots[("pre_survey", "pre")],
        pre_test=slots[("skill_test", "pre")],
        post_survey=slots[("post_survey", "post")],
        post_test=slots[("skill_test", "post")],
        follow_up=slots[("follow_up", "follow_up")],
    )
    if cls.status not in ANSWERING:
        return forms
    start, end = timetable.start(cls), timetable.end(cls)
    sessions = [
        (forms.pre_survey, start - timedelta(minutes=30), end),
        (forms.pre_test, start - timedelta(minutes=30), end),
        (forms.post_survey, end - timedelta(hours=1), end + timedelta(hours=2)),
        (forms.post_test, end - timedelta(hours=1), end + timedelta(hours=2)),
    ]
    if cls.status == ClassStatus.COMPLETED:
        first, last = FOLLOW_UP_WINDOW
        sessions.append(
            (forms.follow_up, local(cls.end_date + timedelta(days=first), 8.0),
             local(cls.end_date + timedelta(days=last), 22.0))
        )  # fmt: skip
    for form, opened, closed in sessions:
        if opened > DEMO_NOW:
            continue
        class_forms.set_open(None, cls, form, True, scope=scope, now=opened)
        if cls.status == ClassStatus.COMPLETED and closed <= DEMO_NOW:
            class_forms.set_open(None, cls, form, False, scope=scope, now=closed)
    return forms


# ---------------------------------------------------------------- who comes to class


def class_sizes(rng: random.Random, name: str, classes: list[TrainingClass], scale: float):
    """Learners per class: the pilot's 2,500 over its classes by seats (less the people
    registered twice); in Lào Cai most seats of the classes that have started."""
    if name == pilot.NAME:
        total = round(pilot.TOTAL_LEARNERS * scale) - duplicates(name, scale)
        return apportion(max(0, total), [max(1, c.capacity) for c in classes])
    return [
        round(c.capacity * rng.uniform(*FILL) * scale) if c.status in ANSWERING else 0
        for c in classes
    ]


def duplicates(name: str, scale: float) -> int:
    return max(1, round(DUPLICATES[name] * scale)) if scale > 0 else 0


def learners(rng, people: People, name: str, classes, scale: float) -> list[Person]:
    """The campaign's learners, each with their classes (in order) and arrival times."""
    crowd = []
    for cls, size in zip(classes, class_sizes(rng, name, classes, scale), strict=True):
        for _seat in range(size):
            person = people.person(cls)
            person.classes.append(cls)
            crowd.append(person)
    if not crowd:
        return crowd
    open_classes = [c for c in classes if c.status in ANSWERING]
    for person in rng.sample(crowd, round(len(crowd) * REPEATERS)):
        later = [c for c in open_classes if c.start_date > person.classes[0].end_date]
        if later:
            person.classes.append(rng.choice(later))
    with_phone = [p for p in crowd if p.follow_up]
    for original in rng.sample(with_phone, min(len(with_phone), duplicates(name, scale))):
        twin = people.duplicate(original)
        home = original.classes[0].locality.parent_id
        nearby = [c for c in open_classes if c.locality.parent_id == home]
        twin.classes.append(rng.choice(nearby or open_classes))
        crowd.append(twin)
    return crowd


# ---------------------------------------------------------------- rows


def fill(rng, crowd: list[Person], forms, recorder: Recorder, timetable: Timetable, name: str):
    """Insert the campaign's participants, consents, enrolments, responses and answers."""
    enrolments = insert_people(crowd, timetable)
    first_response = len(recorder.responses)
    sittings = Sittings(rng, recorder, timetable)
    stream = rng.getrandbits(64)
    for index, person in enumerate(crowd):
        sittings.learner(person, forms, random.Random(f"{stream}-{index}"))
    responses = recorder.responses[first_response:]
    response_ids = insert_returning(Response, responses)
    answers = [
        {**row, "response_id": response_id}
        for response_id, rows in zip(response_ids, recorder.answers[first_response:], strict=True)
        for row in rows
    ]
    insert(Answer, answers)
    return CampaignAnswers(
        name=name,
        learners=len(crowd),
        enrolments=enrolments,
        agreed_follow_up=sum(p.follow_up for p in crowd),
        responses=len(responses),
        follow_ups=sum(r["moment"] == "follow_up" for r in responses),
        answers=len(answers),
    )


def insert_people(crowd: list[Person], timetable: Timetable) -> int:
    """Participants, then an enrolment and two consents (evaluation, follow-up) for each
    class a person came to, as identifying in that class records them; returns how many
    enrolments."""
    secret = current_app.config["SECRET_KEY"]
    for person in crowd:
        person.arrivals = [timetable.arrival(cls) for cls in person.classes]
    ids = insert_returning(Participant, [p.row(secret, p.arrivals[0]) for p in crowd])
    for person, participant_id in zip(crowd, ids, strict=True):
        person.id = participant_id
    enrolments = [
        (person, cls, at)
        for person in crowd
        for cls, at in zip(person.classes, person.arrivals, strict=True)
    ]
    insert(Enrolment, [
        {"participant_id": p.id, "class_id": cls.id, "enrolled_at": at}
        for p, cls, at in enrolments
    ])  # fmt: skip
    insert(Consent, [
        {"participant_id": p.id, "purpose": purpose, "granted": granted,
         "text_version": CONSENT_TEXT_VERSION, "at": at, "withdrawn_at": None}
        for p, _cls, at in enrolments
        for purpose, granted in ((ConsentPurpose.EVALUATION, True),
                                 (ConsentPurpose.FOLLOW_UP, p.follow_up))
    ])  # fmt: skip
    return len(enrolments)


def insert(model, rows: list[dict]) -> None:
    """One executemany of Core ``INSERT`` (nothing to do for no rows)."""
    if rows:
        db.session.execute(sa.insert(model.__table__), rows)


def insert_returning(model, rows: list[dict]) -> list[int]:
    """Insert ``rows`` in one statement batch and return their new ids, in order."""
    if not rows:
        return []
    table = model.__table__
    statement = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))
