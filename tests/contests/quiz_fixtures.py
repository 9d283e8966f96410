"""Helpers for the quiz-round tests: a small contest quiz attached to the world's quiz round."""

from __future__ import annotations

from decimal import Decimal

from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item

# Right answers of the quiz below: 2 + 2 + 1 + 1 = 6 points.
RIGHT = {"q1": "b", "q2": ["a", "c"], "q3": "yes", "q5": "42"}
MAX = Decimal("6.00")


def _choices(*values):
    return [{"value": v, "label": {"vi": f"Phương án {v}", "en": f"Option {v}"}} for v in values]


def make_quiz(round_, *, key="quiz-ai-2026", **round_fields) -> InstrumentVersion:
    """A contest_quiz version (single, multiple, yes/no, Likert, number, a note) on ``round_``."""
    instrument = Instrument(key=key, kind="contest_quiz", title={"vi": "Đố vui AI"})
    version = InstrumentVersion(instrument=instrument, number=1, title={"vi": "Đố vui AI"})
    version.items.extend(
        [
            Item(key="intro", position=1, qtype="note", label={"vi": "Chọn đáp án đúng."}),
            Item(
                key="q1",
                position=2,
                qtype="single_choice",
                label={"vi": "Trí tuệ nhân tạo là gì?", "en": "What is AI?"},
                choices=_choices("a", "b", "c", "d"),
                answer_key="b",
                points=Decimal(2),
                explanation={"vi": "Vì AI học từ dữ liệu.", "en": "Because AI learns from data."},
            ),
            Item(
                key="q2",
                position=3,
                qtype="multiple_choice",
                label={"vi": "Chọn các công cụ AI", "en": "Pick the AI tools"},
                choices=_choices("a", "b", "c"),
                answer_key=["a", "c"],
                points=Decimal(2),
                partial_credit=True,
            ),
            Item(
                key="q3",
                position=4,
                qtype="yes_no",
                label={"vi": "AI có thể sai không?", "en": "Can AI be wrong?"},
                answer_key="yes",
                points=Decimal(1),
            ),
            Item(
                key="q4",
                position=5,
                qtype="likert",
                label={"vi": "Em thích học AI", "en": "I like learning AI"},
            ),
            Item(
                key="q5",
                position=6,
                qtype="integer",
                label={"vi": "6 x 7 = ?", "en": "6 x 7 = ?"},
                answer_key=42,
                points=Decimal(1),
            ),
        ]
    )
    db.session.add_all([instrument, version])
    db.session.flush()
    round_.version_id = version.id
    for name, value in round_fields.items():
        setattr(round_, name, value)
    db.session.flush()
    return version
