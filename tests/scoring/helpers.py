"""Builders for the scoring tests: a skill test, learners and their stored responses."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from surveyapp.extensions import db
from surveyapp.instruments import engine
from surveyapp.participants.models import Enrolment, Participant
from surveyapp.responses.models import Answer, Response
from surveyapp.responses.services import jsonable
from tests.journey.helpers import choices, make_class, make_instrument, make_user, vi

_seq = itertools.count(1)
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def skill_items() -> list[dict]:
    """Two one-point choice items, a two-point multiple choice and a 3-point open text."""
    return [
        {
            "key": "q1",
            "qtype": "single_choice",
            "choices": choices("a", "b", "c"),
            "answer_key": "a",
            "points": Decimal(1),
            "competency": "prompting",
            "label": vi("Câu 1 ở Mù Cang Chải"),
        },
        {
            "key": "q2",
            "qtype": "yes_no",
            "answer_key": "no",
            "points": Decimal(1),
            "competency": "privacy_safety",
            "label": vi("Câu 2"),
        },
        {
            "key": "q3",
            "qtype": "multiple_choice",
            "choices": choices("a", "b", "c"),
            "answer_key": ["a", "c"],
            "points": Decimal(2),
            "competency": "privacy_safety",
            "label": vi("Câu 3"),
        },
        {
            "key": "essay",
            "qtype": "long_text",
            "points": Decimal(3),
            "competency": "prompting",
            "label": vi("Viết một câu lệnh"),
        },
    ]


def skill_test(key: str | None = None, items=None, **kwargs):
    return make_instrument(
        key or f"skill-{next(_seq)}", "skill_test", items or skill_items(), **kwargs
    )


def world(f):
    """Province > communes a (Mù Cang Chải) and b (Văn Yên); one class in each; a test."""
    province, a, b = f.tree()
    campaign = f.campaign(province)
    trainer_a = make_user("trainer", a, name="Giàng A Lử")
    trainer_b = make_user("trainer", b, name="Hoàng Văn Yên")
    class_a = make_class(f, campaign, a, trainers=[trainer_a])
    class_b = make_class(f, campaign, b, trainers=[trainer_b])
    return SimpleNamespace(
        province=province,
        a=a,
        b=b,
        campaign=campaign,
        class_a=class_a,
        class_b=class_b,
        trainer_a=trainer_a,
        trainer_b=trainer_b,
        version=skill_test(),
    )


def person(cls, segment: str = "resident", name: str = "Lò Thị Mai") -> Participant:
    n = next(_seq)
    learner = Participant(
        public_id=f"P{n:06d}",
        full_name=name,
        segment=segment,
        locality_id=cls.locality_id,
        identity_key=f"{n:064d}",
        follow_up_token=f"{n:032d}",
    )
    db.session.add(learner)
    db.session.flush()
    db.session.add(Enrolment(participant_id=learner.id, class_id=cls.id))
    db.session.flush()
    return learner


def answer(cls, version, learner, moment: str, answers: dict, *, minutes=0, excluded=False):
    """A response stored as the app stores a submission (engine score, answer rows)."""
    items = version.items
    result = engine.score(items, answers)
    scored = bool(result.max_score)
    response = _response(cls, version, learner, moment, minutes, excluded)
    response.score = result.score if scored else None
    response.max_score = result.max_score if scored else None
    for row in engine.answer_rows(items, answers):
        response.answers.append(
            Answer(
                item_id=row.item.id, value=jsonable(row.value), number=row.number, points=row.points
            )
        )
    db.session.add(response)
    db.session.flush()
    return response


def scored(cls, version, learner, moment: str, score, max_score=10, *, minutes=0, excluded=False):
    """A response with a given score only (no answers), for the gain formulas."""
    response = _response(cls, version, learner, moment, minutes, excluded)
    response.score = None if score is None else Decimal(str(score))
    response.max_score = None if score is None else Decimal(str(max_score))
    db.session.add(response)
    db.session.flush()
    return response


def _response(cls, version, learner, moment, minutes, excluded) -> Response:
    n = next(_seq)
    return Response(
        submission_id=f"sub-{n}",
        receipt_code=f"R{n:07d}",
        class_id=cls.id,
        version_id=version.id,
        moment=moment,
        participant_id=learner.id if learner else None,
        locality_id=cls.locality_id,
        submitted_at=T0 + timedelta(minutes=minutes),
        excluded=excluded,
        flags=[],
    )
