"""What a trainee sees after sending a form: the score, and per-question feedback when the
instrument allows it (``settings.show_feedback``): the answer chosen, the correct answer
and the explanation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _

from surveyapp.extensions import db
from surveyapp.instruments import engine
from surveyapp.instruments.i18n import tr
from surveyapp.instruments.models import InstrumentKind, InstrumentVersion
from surveyapp.instruments.qtypes import get_type, yes_no_key
from surveyapp.responses.models import Answer, Moment, Response

# After a form at the post-class moment a trainee gets their personal follow-up code and
# link; responses stored before moments existed fall back on the kind.
POST_CLASS_KINDS = (InstrumentKind.POST_SURVEY, InstrumentKind.SKILL_TEST)


@dataclass
class FeedbackLine:
    number: int
    label: str
    chosen: str
    correct: str
    right: bool
    points: Decimal | None
    max_points: Decimal
    explanation: str


@dataclass
class Outcome:
    score: Decimal | None
    max_score: Decimal | None
    percent: float | None
    passed: bool | None
    feedback: list[FeedbackLine]

    @property
    def score_text(self) -> str:
        return points_text(self.score)

    @property
    def max_text(self) -> str:
        return points_text(self.max_score)


def points_text(value: Decimal | None) -> str:
    """Points as people write them: ``7``, ``7,5`` (Vietnamese) or ``7.5`` (English)."""
    return "–" if value is None else format_decimal(value, format="#,##0.##")


def _text_of(item, value, locale: str) -> str:
    """An answer (or answer key) as words: choice labels, yes/no, or the value typed."""
    if value is None or value == "" or value == []:
        return "–"
    values = value if isinstance(value, list) else [value]
    if item.qtype == "yes_no":
        return ", ".join(_("Yes") if yes_no_key(v) == "yes" else _("No") for v in values)
    if item.choices:
        labels = {str(c.get("value")): tr(c.get("label"), locale) for c in item.choices}
        return "; ".join(labels.get(str(v), str(v)) for v in values)
    return ", ".join(get_type(item.qtype).to_raw(item, value) or [str(value)])


def answers_of(response: Response) -> dict[str, object]:
    """``{item key: stored value}`` of a response."""
    rows = db.session.execute(
        sa.select(Answer.item_id, Answer.value).where(Answer.response_id == response.id)
    ).all()
    keys = {item.id: item.key for item in response.version.items}
    return {keys[item_id]: value for item_id, value in rows if item_id in keys}


def feedback(version: InstrumentVersion, answers: dict, locale: str) -> list[FeedbackLine]:
    """One line per scored question that was shown, in order."""
    per_item = engine.score(version.items, answers).per_item
    lines = []
    for item in engine.visible_items(version.items, answers):
        if item.key not in per_item:
            continue
        earned = per_item[item.key]
        full = item.points.quantize(Decimal("0.01"))
        lines.append(
            FeedbackLine(
                number=len(lines) + 1,
                label=tr(item.label, locale),
                chosen=_text_of(item, answers.get(item.key), locale),
                correct=_text_of(item, item.answer_key, locale),
                right=earned >= full,
                points=earned,
                max_points=full,
                explanation=tr(item.explanation, locale),
            )
        )
    return lines


def outcome(response: Response, locale: str) -> Outcome:
    """Score, pass mark and (if allowed) feedback of a stored response."""
    version = response.version
    settings = version.settings or {}
    percent = response.percent
    pass_percent = settings.get("pass_percent")
    passed = None
    if percent is not None and pass_percent is not None:
        passed = percent >= float(pass_percent)
    lines = []
    if settings.get("show_feedback") and response.max_score:
        lines = feedback(version, answers_of(response), locale)
    return Outcome(response.score, response.max_score, percent, passed, lines)


def gives_follow_up_code(response: Response) -> bool:
    if response.moment:
        return response.moment == Moment.POST
    return response.version.instrument.kind in POST_CLASS_KINDS
