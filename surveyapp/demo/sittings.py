"""A demo learner's sittings: when they came to class, which forms they sent and when, how
long each took, and the stored rows, scored by the form engine as a real submission is.

Times are local (UTC+7) class hours stored in UTC. Durations spread around a typical time
per form; about 1% of responses are rushed (under a fifth of it) and about 1% of survey
responses give one point to every Likert item, for the data-quality checks to find.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from surveyapp.classes.models import ClassStatus, TrainingClass
from surveyapp.demo import answers as draw
from surveyapp.demo.learners import Person
from surveyapp.instruments import engine
from surveyapp.instruments.qtypes import is_scored, points_of
from surveyapp.responses.models import ClassForm
from surveyapp.responses.services import RECEIPT_ALPHABET, RECEIPT_LENGTH, jsonable

VN = timezone(timedelta(hours=7))
# The demo's "today": the Lào Cai campaign has classes done, one under way, some planned.
DEMO_NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
TYPICAL_SECONDS = {"pre_survey": 180, "pre_test": 660, "post_survey": 210, "post_test": 540,
                   "follow_up": 300}  # fmt: skip
RUSHED, STRAIGHT = 0.01, 0.01
PRE_BASE = -0.65  # logit level of an average learner before the class
GAIN, DECLINE, CEILING = (1.4, 0.5), 0.03, 0.02
FOLLOW_UP_DAYS = (30, 75)
# Who answers the follow-up among those who agreed: mostly the learners who did well.
RESPONSE_BASE, RESPONSE_CAP = -0.6, 0.87


@dataclass
class Forms:
    """The five standard forms of one class."""

    pre_survey: ClassForm
    pre_test: ClassForm
    post_survey: ClassForm
    post_test: ClassForm
    follow_up: ClassForm


@dataclass
class Scored:
    share: float | None = None  # of the points of the post-test
    safety: float | None = None  # of the points of its safety items


class Recorder:
    """Scores answers with the engine and keeps the response and answer rows to insert."""

    def __init__(self, rng: random.Random, items: dict[int, list], taken_receipts: set[str]):
        self.rng = rng
        self.items = items
        self.places: dict[int, int] = {}  # class id -> its locality id
        self.safety = {
            version_id: {
                i.key: points_of(i) for i in rows if i.competency == draw.SAFETY and is_scored(i)
            }
            for version_id, rows in items.items()
        }
        self.receipts = set(taken_receipts)
        self.responses: list[dict] = []
        self.answers: list[list[dict]] = []
        self.first_submitted: dict[int, datetime] = {}

    def record(self, form: ClassForm, person: Person, answers: dict, started: datetime, kind: str):
        """Store one response begun at ``started``; returns its submission time and score."""
        items = self.items[form.version_id]
        shown = {item.key for item in engine.visible_items(items, answers)}
        answers = {key: value for key, value in answers.items() if key in shown}
        result = engine.score(items, answers)
        scored = result.max_score > 0
        seconds = self.duration(kind)
        submitted = started + timedelta(seconds=seconds)
        self.responses.append(
            {
                "submission_id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                "receipt_code": self.receipt(), "class_id": form.class_id,
                "version_id": form.version_id, "class_form_id": form.id, "moment": form.moment,
                "participant_id": person.id, "locality_id": self.places[form.class_id],
                "started_at": started, "submitted_at": submitted, "received_at": submitted,
                "duration_seconds": seconds, "score": result.score if scored else None,
                "max_score": result.max_score if scored else None, "assisted_by_id": None,
                "excluded": False, "exclusion_note": "", "flags": [],
            }
        )  # fmt: skip
        self.answers.append(
            [
                {"item_id": row.item.id, "value": jsonable(row.value), "number": row.number,
                 "points": row.points}
                for row in engine.answer_rows(items, answers)
            ]
        )  # fmt: skip
        first = self.first_submitted.get(form.version_id)
        if first is None or submitted < first:
            self.first_submitted[form.version_id] = submitted
        return submitted, self.scored(form.version_id, result)

    def scored(self, version_id: int, result: engine.ScoreResult) -> Scored:
        if not result.max_score:
            return Scored()
        safety = self.safety[version_id]
        shown = [key for key in safety if key in result.per_item]
        safety_max = sum(safety[key] for key in shown)
        return Scored(
            float(result.score / result.max_score),
            float(sum(result.per_item[key] for key in shown) / safety_max) if safety_max else None,
        )

    def duration(self, kind: str) -> int:
        typical = TYPICAL_SECONDS[kind]
        if self.rng.random() < RUSHED:
            return round(typical * self.rng.uniform(0.06, 0.18))
        return max(20, round(typical * self.rng.lognormvariate(0, 0.35)))

    def receipt(self) -> str:
        while True:
            code = "".join(self.rng.choices(RECEIPT_ALPHABET, k=RECEIPT_LENGTH))
            if code not in self.receipts:
                self.receipts.add(code)
                return code


def local(day: date, hours: float) -> datetime:
    """``hours`` after midnight of ``day`` in Vietnam, as an aware UTC time."""
    return (datetime.combine(day, time(), VN) + timedelta(hours=hours)).astimezone(UTC)


class Timetable:
    """When each class starts and ends (a morning, afternoon or evening session)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.hours: dict[int, float] = {}

    def start_hour(self, cls: TrainingClass) -> float:
        if cls.id not in self.hours:
            evening = cls.status == ClassStatus.ONGOING
            self.hours[cls.id] = 19.0 if evening else self.rng.choice((7.5, 7.5, 8.0, 13.5))
        return self.hours[cls.id]

    def start(self, cls: TrainingClass) -> datetime:
        return local(cls.start_date, self.start_hour(cls))

    def end(self, cls: TrainingClass) -> datetime:
        hour = self.start_hour(cls)
        return local(cls.end_date, {7.5: 16.5, 8.0: 16.5, 13.5: 17.0}.get(hour, 21.0))

    def arrival(self, cls: TrainingClass) -> datetime:
        return self.start(cls) + timedelta(minutes=self.rng.uniform(-20, 15))


class Sittings:
    """Draws every form a learner sends in their classes, and their follow-up."""

    def __init__(self, rng: random.Random, recorder: Recorder, timetable: Timetable):
        self.rng = rng
        self.recorder = recorder
        self.timetable = timetable

    def mood(self, confidence: float) -> draw.Mood:
        """How a survey is answered: around ``confidence``, or (rarely) one point for all."""
        straight = None
        if self.rng.random() < STRAIGHT:
            straight = self.rng.choice((3, 4, 5, 5))
        return draw.Mood(confidence, straight)

    def learner(self, person: Person, forms: dict[int, Forms], rng: random.Random) -> None:
        """Everything ``person`` sends, drawn from ``rng``: a stream of their own, so that a
        change in one learner's draws leaves the others' answers as they were."""
        self.rng = self.recorder.rng = rng
        level = PRE_BASE + 0.85 * person.theta
        best = Scored()
        for cls, arrival in zip(person.classes, person.arrivals, strict=True):
            level, scored = self.in_class(person, cls, forms[cls.id], arrival, level)
            if scored.share is not None and (best.share is None or scored.share > best.share):
                best = scored
        self.follow_up(person, forms, best)

    def in_class(self, person: Person, cls, forms: Forms, arrival: datetime, level: float):
        """The pre forms (most learners) and, once the class is over, the post forms."""
        rng, rec = self.rng, self.recorder
        confidence = 2.5 + 0.45 * person.theta
        at = arrival + timedelta(minutes=rng.uniform(1, 6))
        if rng.random() < 0.975:
            answers = draw.pre_survey_answers(
                rng, rec.items[forms.pre_survey.version_id], person.segment, person.theta,
                self.mood(confidence),
            )  # fmt: skip
            at, _score = rec.record(forms.pre_survey, person, answers, at, "pre_survey")
            at += timedelta(seconds=rng.uniform(10, 120))
        if rng.random() < 0.985:
            answers = draw.test_answers(
                rng, rec.items[forms.pre_test.version_id], level, post=False,
                perfect=rng.random() < 0.004,
            )  # fmt: skip
            rec.record(forms.pre_test, person, answers, at, "pre_test")
        if cls.status != ClassStatus.COMPLETED or rng.random() > 0.93:
            return level, Scored()  # the class is not over, or they left early
        gain = rng.gauss(-0.5, 0.3) if rng.random() < DECLINE else rng.gauss(*GAIN)
        confidence += 0.6 + 0.3 * gain
        return level + gain, self.post(person, cls, forms, level + gain, confidence)

    def post(self, person: Person, cls, forms: Forms, level: float, confidence: float) -> Scored:
        rng, rec = self.rng, self.recorder
        at = self.timetable.end(cls) - timedelta(minutes=rng.uniform(10, 30))
        if rng.random() < 0.99:
            items = rec.items[forms.post_survey.version_id]
            answers = draw.post_survey_answers(rng, items, person.segment, self.mood(confidence))
            at, _score = rec.record(forms.post_survey, person, answers, at, "post_survey")
            at += timedelta(seconds=rng.uniform(10, 120))
        if rng.random() > 0.99:
            return Scored()
        answers = draw.test_answers(
            rng, rec.items[forms.post_test.version_id], level, post=True,
            perfect=rng.random() < CEILING,
        )  # fmt: skip
        return rec.record(forms.post_test, person, answers, at, "post_test")[1]

    def follow_up(self, person: Person, forms: dict[int, Forms], best: Scored) -> None:
        """About half of those who agreed answer, 30 to 75 days after their last class."""
        rng = self.rng
        done = [c for c in person.classes if c.status == ClassStatus.COMPLETED]
        if not person.follow_up or not done:
            return
        chance = 0.15
        if best.share is not None:
            use = RESPONSE_BASE + 0.6 * person.drive + 30 * (best.share - 0.67)
            chance = RESPONSE_CAP * draw.sigmoid(use)
        day = done[-1].end_date + timedelta(days=rng.randint(*FOLLOW_UP_DAYS))
        at = local(day, rng.uniform(7, 21.5))
        if rng.random() > chance or at > DEMO_NOW:
            return
        outcome = draw.follow_up_outcome(rng, person.segment, best.share, best.safety, person.drive)
        form = forms[done[-1].id].follow_up
        items = self.recorder.items[form.version_id]
        answers = draw.follow_up_answers(
            rng, items, person.segment, outcome, self.mood(3.8 + 0.3 * person.drive)
        )
        self.recorder.record(form, person, answers, at, "follow_up")
