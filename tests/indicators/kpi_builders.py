"""Builders of indicator data for the KPI tests: people, enrolments, responses, answers.

Rows are written directly with the models (bulk inserts for answers), so hundreds of
people are quick to build. ``Evidence`` describes what one person answered; ``expected``
turns it into the ``PersonEvidence`` that ``rule.evaluate`` reads, computing the post-test
percent and safety share exactly as the SQL does (floats of the stored decimals).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.indicators.models import ExampleReview, IndicatorRule
from surveyapp.indicators.rule import PersonEvidence, Rule
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.participants.models import Enrolment, Participant
from surveyapp.responses.models import Answer, Response

_seq = itertools.count(1)
SAFETY_POINTS = (Decimal(1), Decimal(1), Decimal(1))  # three safety items of 1 point


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), UTC)


@dataclass
class Evidence:
    """One person's follow-up and post-test; None leaves the answer (or response) out."""

    follow_up_on: date | None = None
    frequency: str | None = None
    purposes: list[str] | None = None
    time_saved: str | None = None
    verifies: int | None = None
    personal: int | None = None
    example: str | None = None
    review: tuple[str, bool] | None = None  # (status, quality_gain)
    score: Decimal | None = None  # post-test; None: no post-test
    max_score: Decimal = Decimal(100)
    safety: tuple[Decimal, ...] | None = SAFETY_POINTS  # points got per safety item
    no_safety_items: bool = False
    extra: dict = field(default_factory=dict)


def expected(evidence: Evidence, class_end: date) -> PersonEvidence:
    """What ``evaluate`` should see for a person (mirrors the SQL arithmetic)."""
    days = (evidence.follow_up_on - class_end).days if evidence.follow_up_on else None
    post = share = None
    if evidence.score is not None:
        if evidence.max_score > 0:
            post = float(evidence.score) * 100 / float(evidence.max_score)
        if not evidence.no_safety_items:
            got = sum(evidence.safety or (), Decimal(0))
            share = float(got) / float(sum(SAFETY_POINTS))
    review = evidence.review
    has_follow_up = evidence.follow_up_on is not None
    return PersonEvidence(
        days_after_class=days,
        ai_frequency=evidence.frequency if has_follow_up else None,
        purposes=list(evidence.purposes or []) if has_follow_up else [],
        example_accepted=(review[0] == "accepted") if review and has_follow_up else None,
        example_quality_gain=bool(review and review[1]) if has_follow_up else False,
        verifies_outputs=evidence.verifies if has_follow_up else None,
        enters_personal_data=evidence.personal if has_follow_up else None,
        post_percent=post,
        safety_share=share,
        time_saved=evidence.time_saved if has_follow_up else None,
    )


class KpiData:
    """Instruments shared by a test, and writers of people and their responses."""

    def __init__(self):
        self.follow_up_version = self._version(
            "follow_up",
            [
                ("ai_frequency", "single_choice", "", 0),
                ("ai_purposes", "multiple_choice", "", 0),
                ("time_saved", "single_choice", "", 0),
                ("example", "long_text", "", 0),
                ("verifies_outputs", "likert", "checking_outputs", 0),
                ("enters_personal_data", "likert", "privacy_safety", 0),
                ("satisfaction", "likert", "", 0),
            ],
        )
        test_items = [
            (f"s{i}", "single_choice", "privacy_safety", p) for i, p in enumerate(SAFETY_POINTS)
        ] + [("k1", "single_choice", "prompting", 5)]
        self.skill_version = self._version("skill_test", test_items)
        self.unsafe_version = self._version(
            "skill_test",
            [("k1", "single_choice", "prompting", 5), ("s0", "single_choice", "privacy_safety", 0)],
        )
        self.items = {
            v.id: {item.key: item for item in v.items}
            for v in (self.follow_up_version, self.skill_version, self.unsafe_version)
        }

    def _version(self, kind, items) -> InstrumentVersion:
        n = next(_seq)
        instrument = Instrument(key=f"kpi-{kind}-{n}", kind=kind, title={"vi": kind})
        version = InstrumentVersion(instrument=instrument, number=1)
        for position, (key, qtype, competency, points) in enumerate(items, 1):
            version.items.append(
                Item(key=key, position=position, qtype=qtype, competency=competency,
                     points=Decimal(points))
            )  # fmt: skip
        db.session.add(version)
        db.session.flush()
        return version

    def person(self, cls, *, segment="resident", enrolled_on: date | None = None, name=None):
        n = next(_seq)
        person = Participant(
            public_id=f"P{n:07d}",
            full_name=name or f"Người học {n}",
            segment=segment,
            identity_key=f"id-{n}",
            follow_up_token=f"tok-{n}",
        )
        db.session.add(person)
        db.session.flush()
        self.enrol(person, cls, enrolled_on)
        return person

    def enrol(self, person, cls, enrolled_on: date | None = None):
        enrolment = Enrolment(
            participant_id=person.id,
            class_id=cls.id,
            enrolled_at=at(enrolled_on or cls.start_date, 8),
        )
        db.session.add(enrolment)
        db.session.flush()
        return enrolment

    def response(self, person, cls, version, moment, *, on: date, excluded=False, hour=10,
                 score=None, max_score=None) -> Response:  # fmt: skip
        n = next(_seq)
        response = Response(
            submission_id=f"sub-{n}",
            receipt_code=f"R{n:09d}",
            class_id=cls.id,
            version_id=version.id,
            moment=moment,
            participant_id=person.id,
            submitted_at=at(on, hour),
            excluded=excluded,
            score=score,
            max_score=max_score,
        )
        db.session.add(response)
        db.session.flush()
        return response

    def answers(self, response, values: dict) -> None:
        """values: item key -> (value, number, points)."""
        items = self.items[response.version_id]
        rows = [
            {"response_id": response.id, "item_id": items[key].id, "value": value,
             "number": number, "points": points}
            for key, (value, number, points) in values.items()
        ]  # fmt: skip
        if rows:
            db.session.execute(sa.insert(Answer), rows)

    def evidence(self, person, cls, ev: Evidence, *, excluded=False, hour=10) -> None:
        """Write the follow-up and post-test that ``ev`` describes."""
        if ev.follow_up_on is not None:
            response = self.response(
                person, cls, self.follow_up_version, "follow_up", on=ev.follow_up_on,
                excluded=excluded, hour=hour,
            )  # fmt: skip
            values = {
                "ai_frequency": (ev.frequency, None, None),
                "ai_purposes": (ev.purposes, None, None),
                "time_saved": (ev.time_saved, None, None),
                "example": (ev.example, None, None),
                "verifies_outputs": (_likert(ev.verifies), ev.verifies, None),
                "enters_personal_data": (_likert(ev.personal), ev.personal, None),
            }
            self.answers(response, {k: v for k, v in values.items() if v[0] is not None})
            if ev.review is not None:
                status, gain = ev.review
                db.session.add(
                    ExampleReview(response_id=response.id, status=status, quality_gain=gain)
                )
                db.session.flush()
        if ev.score is not None:
            self.post(person, cls, ev, excluded=excluded, hour=hour)

    def post(self, person, cls, ev: Evidence, *, excluded=False, hour=10) -> Response:
        version = self.unsafe_version if ev.no_safety_items else self.skill_version
        response = self.response(
            person, cls, version, "post", on=cls.end_date, excluded=excluded, hour=hour,
            score=ev.score, max_score=ev.max_score,
        )  # fmt: skip
        if not ev.no_safety_items and ev.safety is not None:
            self.answers(response, {f"s{i}": ("a", None, got) for i, got in enumerate(ev.safety)})
        return response


def _likert(value: int | None):
    return None if value is None else str(value)


def store_rule(campaign, rule: Rule) -> Rule:
    """Store ``rule`` as the campaign's next version and return it with that version."""
    latest = db.session.scalar(
        sa.select(sa.func.max(IndicatorRule.version)).where(
            IndicatorRule.campaign_id == campaign.id
        )
    )
    version = (latest or 0) + 1
    definition = {**rule.to_dict(), "version": version}
    db.session.add(IndicatorRule(campaign_id=campaign.id, version=version, definition=definition))
    db.session.flush()
    return Rule.from_dict(definition)


def follow_up_after(cls, days: int) -> date:
    return cls.end_date + timedelta(days=days)
