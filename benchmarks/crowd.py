"""The people of the synthetic province: participants, enrolments, responses, answers, reviews.

Each person gets a home class (their first enrolment) and sometimes a second class; some sit
the skill test before and after the class, some answer the follow-up (a few too early, a few
in both of their classes), a few responses are excluded and trainers have reviewed most of
the examples. Answers are drawn by the demo's models (``surveyapp.demo.answers``) and stored
as the engine stores them (``engine.score``/``engine.answer_rows``). Rows are buffered and
written with Core ``executemany`` in large batches, parents before children.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from surveyapp.campaigns.models import Segment
from surveyapp.demo import answers as draw
from surveyapp.extensions import db
from surveyapp.indicators.models import ExampleReview
from surveyapp.instruments import engine
from surveyapp.participants.models import Enrolment, Participant
from surveyapp.responses.models import Answer, Response
from surveyapp.responses.services import jsonable

BATCH = 50_000
PRE_SHARE, POST_SHARE = 0.10, 0.20
FOLLOW_UP_AFTER_POST, FOLLOW_UP_WITHOUT_POST = 0.75, 0.17
SECOND_CLASS, SECOND_POST, SECOND_FOLLOW_UP = 0.08, 0.15, 0.30
EXCLUDED, REVIEWED, ACCEPTED = 0.02, 0.7, 0.8
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hà", "Lò", "Giàng")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "A", "Hữu")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Sùng", "Yên", "Thảo")
SEGMENTS = tuple(Segment)


@dataclass(frozen=True)
class SyntheticClass:
    id: int
    locality_id: int
    segment: str
    start: date
    end: date
    forms: dict[str, int]  # moment -> class form id (pre/post: skill test; follow_up)
    group: int  # index of its district, to pick a second class nearby


@dataclass(frozen=True)
class Versions:
    skill_id: int
    skill_items: list
    follow_id: int
    follow_items: list


@dataclass
class Writer:
    """Buffers rows per table and writes them in dependency order."""

    next_ids: dict[str, int]
    rows: dict[str, list[dict]] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)

    ORDER = (Participant, Enrolment, Response, Answer, ExampleReview)

    def new_id(self, model) -> int:
        name = model.__tablename__
        value = self.next_ids[name]
        self.next_ids[name] = value + 1
        return value

    def add(self, model, row: dict) -> None:
        self.rows.setdefault(model.__tablename__, []).append(row)

    def add_many(self, model, rows: list[dict]) -> None:
        buffer = self.rows.setdefault(model.__tablename__, [])
        buffer.extend(rows)
        if len(buffer) >= BATCH:
            self.flush()

    def flush(self) -> None:
        for model in self.ORDER:
            rows = self.rows.pop(model.__tablename__, [])
            for start in range(0, len(rows), BATCH):
                db.session.execute(sa.insert(model.__table__), rows[start : start + BATCH])
            self.written[model.__tablename__] = self.written.get(model.__tablename__, 0) + len(rows)


@dataclass
class Person:
    id: int
    segment: str
    classes: list[SyntheticClass]
    level: float
    drive: float


def build_crowd(
    rng: random.Random, writer: Writer, classes: list[SyntheticClass], versions: Versions, n: int
) -> None:
    """Draw ``n`` people and everything they answered; rows go through ``writer``."""
    by_group: dict[int, list[SyntheticClass]] = {}
    for cls in classes:
        by_group.setdefault(cls.group, []).append(cls)
    second_enrolments: list[dict] = []
    for number in range(n):
        person = _person(rng, writer, classes, by_group, number)
        for index, cls in enumerate(person.classes):
            row = {
                "participant_id": person.id,
                "class_id": cls.id,
                "enrolled_at": _at(cls.start, 8),
            }
            if index == 0:
                writer.add(Enrolment, {"id": writer.new_id(Enrolment), **row})
            else:
                second_enrolments.append(row)
        _sittings(rng, writer, person, versions)
    writer.flush()
    # Second enrolments come after every first one: the home class has the smallest id.
    for row in second_enrolments:
        row["id"] = writer.new_id(Enrolment)
    writer.add_many(Enrolment, second_enrolments)
    writer.flush()


def _person(rng, writer: Writer, classes, by_group, number: int) -> Person:
    home = classes[rng.randrange(len(classes))]
    chosen = [home]
    nearby = by_group[home.group]
    if len(nearby) > 1 and rng.random() < SECOND_CLASS:
        chosen.append(rng.choice([c for c in nearby if c.id != home.id]))
    segment = home.segment if rng.random() < 0.8 else rng.choice(SEGMENTS).value
    pid = writer.new_id(Participant)
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    writer.add(
        Participant,
        {
            "id": pid,
            "public_id": f"S{pid:012d}",
            "full_name": name,
            "birth_year": rng.randint(1950, 2008),
            "gender": rng.choice(("female", "male")),
            "segment": segment,
            "organisation": "",
            "locality_id": home.locality_id,
            "phone": None,
            "identity_key": f"{pid:064x}",
            "name_key": f"{pid:064x}",
            "follow_up_token": f"{pid:032x}",
            "created_at": _at(home.start, 8),
            "erased_at": None,
        },
    )
    return Person(pid, segment, chosen, rng.gauss(0, 1), rng.gauss(0, 1))


def _sittings(rng: random.Random, writer: Writer, person: Person, versions: Versions) -> None:
    home = person.classes[0]
    second = person.classes[1] if len(person.classes) > 1 else None
    if rng.random() < PRE_SHARE:
        _skill_test(rng, writer, person, home, versions, post=False)
    post = None
    if rng.random() < POST_SHARE:
        post = _skill_test(rng, writer, person, home, versions, post=True)
        if second is not None and rng.random() < SECOND_POST:
            _skill_test(rng, writer, person, second, versions, post=True)
    chance = FOLLOW_UP_AFTER_POST if post is not None else FOLLOW_UP_WITHOUT_POST
    if rng.random() < chance:
        _follow_up(rng, writer, person, home, versions, post)
        if second is not None and rng.random() < SECOND_FOLLOW_UP:
            _follow_up(rng, writer, person, second, versions, post)


def _skill_test(rng, writer: Writer, person: Person, cls, versions: Versions, *, post: bool):
    """Record a pre- or post-test; returns (share of points, share on safety items)."""
    items = versions.skill_items
    level = person.level + (0.8 if post else 0.0)
    answers = draw.test_answers(rng, items, level, post=post, perfect=rng.random() < 0.01)
    day = cls.end if post else cls.start
    submitted = _at(day, 16 if post else 8, rng.randint(0, 59))
    result = engine.score(items, answers)
    _record(
        rng,
        writer,
        person,
        cls,
        versions.skill_id,
        "post" if post else "pre",
        submitted,
        items,
        answers,
        result,
    )
    safety = [i for i in items if i.competency == draw.SAFETY and i.key in result.per_item]
    top = sum(i.points for i in safety)
    share = float(result.score / result.max_score) if result.max_score else None
    got = sum(result.per_item[i.key] for i in safety)
    return share, (float(got / top) if top else None)


def _follow_up(rng, writer: Writer, person: Person, cls, versions: Versions, post) -> None:
    share, safety = post if post is not None else (None, None)
    outcome = draw.follow_up_outcome(rng, person.segment, share, safety, person.drive)
    mood = draw.Mood(confidence=3.6 + 0.3 * person.drive)
    items = versions.follow_items
    answers = draw.follow_up_answers(rng, items, person.segment, outcome, mood)
    shown = {item.key for item in engine.visible_items(items, answers)}
    answers = {key: value for key, value in answers.items() if key in shown}
    submitted = _at(cls.end + timedelta(days=_days_after(rng)), rng.randint(1, 21))
    rid = _record(
        rng, writer, person, cls, versions.follow_id, "follow_up", submitted, items, answers, None
    )
    if "example" in answers and rng.random() < REVIEWED:
        accepted = rng.random() < (ACCEPTED if outcome.concrete else 0.3)
        writer.add(
            ExampleReview,
            {
                "id": writer.new_id(ExampleReview),
                "response_id": rid,
                "status": "accepted" if accepted else "rejected",
                "quality_gain": accepted and outcome.quality,
                "note": "",
                "reviewed_at": submitted + timedelta(days=3),
                "reviewer_id": None,
            },
        )


def _days_after(rng: random.Random) -> int:
    """Days between the class's end and the follow-up: mostly 31-120, some too early, and
    the edges of the default 30-day threshold."""
    draw_ = rng.random()
    if draw_ < 0.08:
        return rng.randint(5, 28)
    if draw_ < 0.10:
        return 29
    if draw_ < 0.12:
        return 30
    return rng.randint(31, 120)


def _record(
    rng, writer: Writer, person, cls, version_id, moment, submitted, items, answers, result
) -> int:
    """A response and its answers; returns the response id."""
    rid = writer.new_id(Response)
    scored = result is not None and result.max_score > 0
    excluded = rng.random() < EXCLUDED
    seconds = rng.randint(240, 1500)
    writer.add(
        Response,
        {
            "id": rid,
            "submission_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "receipt_code": f"B{rid:011d}",
            "class_id": cls.id,
            "version_id": version_id,
            "class_form_id": cls.forms[moment],
            "moment": moment,
            "participant_id": person.id,
            "locality_id": cls.locality_id,
            "submitted_at": submitted,
            "received_at": submitted,
            "started_at": submitted - timedelta(seconds=seconds),
            "duration_seconds": seconds,
            "score": result.score if scored else None,
            "max_score": result.max_score if scored else None,
            "assisted_by_id": None,
            "excluded": excluded,
            "exclusion_note": "synthetic" if excluded else "",
            "flags": [],
        },
    )
    _answers(writer, rid, items, answers)
    return rid


def _answers(writer: Writer, response_id: int, items, answers: dict) -> None:
    """The answer rows the engine would store for ``answers``."""
    writer.add_many(
        Answer,
        [
            {
                "id": writer.new_id(Answer),
                "response_id": response_id,
                "item_id": row.item.id,
                "value": jsonable(row.value),
                "number": row.number,
                "points": row.points,
            }
            for row in engine.answer_rows(items, answers)
        ],
    )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)
