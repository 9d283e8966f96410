"""The form engine: which items show, reading and checking a submitted form, scoring, pages.

Pure functions over items (``Item`` rows or any objects with the same attributes) and plain
dicts of answers: no database, no request. Expressions are parsed once per text (cached in
``expressions.parse``). Items are taken in the order given (``InstrumentVersion.items`` is
ordered by position); skip logic only looks at answers to earlier items.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from surveyapp.instruments import expressions
from surveyapp.instruments.i18n import current_language, tr
from surveyapp.instruments.qtypes import AnswerError, get_type, points_of

log = logging.getLogger(__name__)

REQUIRED_MESSAGE = _l("Please answer this question.")
CONSTRAINT_MESSAGE = _l("This answer is not accepted. Please check it.")


@dataclass
class SubmissionResult:
    """``answers`` {key: stored value} of visible, valid, non-empty answers; ``errors`` {key:
    translated message}; ``raw`` {key: strings sent} to show the form again; ``visible`` items."""

    answers: dict[str, object] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, list[str]] = field(default_factory=dict)
    visible: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ScoreResult:
    score: Decimal = Decimal("0.00")
    max_score: Decimal = Decimal("0.00")
    per_item: dict[str, Decimal] = field(default_factory=dict)

    @property
    def percent(self) -> Decimal | None:
        """Score as a percentage of the maximum (one decimal); ``None`` when nothing is scored."""
        if not self.max_score:
            return None
        return (self.score * 100 / self.max_score).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class StoredAnswer:
    """What to store for one answer: the value, its numeric reading and the points earned."""

    item: object
    value: object
    number: Decimal | None
    points: Decimal | None


def _expression(text: str | None, item, what: str) -> expressions.Expr | None:
    if not text or not text.strip():
        return None
    try:
        return expressions.parse(text.strip())
    except expressions.ExpressionError as error:
        # Definitions are checked at import; a broken stored expression must not break the form.
        log.warning("Ignoring the %s of item %s: %s", what, getattr(item, "key", "?"), error)
        return None


def is_relevant(item, answers: dict, *, today: date | None = None) -> bool:
    """Whether ``item`` shows, given the answers so far (no condition: always)."""
    expr = _expression(getattr(item, "relevant", None), item, "relevant")
    return expr is None or expr.test(answers, today=today)


def visible_items(items: Iterable, answers: dict, *, today: date | None = None) -> list:
    """The items that show, in order. An item hidden by skip logic hides its answer too, so a
    question that depends on a hidden one is hidden as well."""
    shown, seen = [], {}
    for item in items:
        if is_relevant(item, seen, today=today):
            shown.append(item)
            if item.key in answers:
                seen[item.key] = answers[item.key]
    return shown


def _raw(form, key: str) -> list[str]:
    if hasattr(form, "getlist"):
        return [str(v) for v in form.getlist(key)]
    value = form.get(key) if form else None
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def check_answer(item, raw: list[str], answers: dict, *, locale: str, today=None):
    """``(value, error)`` for one visible item: parse, required, then the constraint."""
    qtype = get_type(item.qtype)
    try:
        value = qtype.parse(item, raw)
    except AnswerError as error:
        return None, str(error.message)
    if value is None:
        return None, str(REQUIRED_MESSAGE) if getattr(item, "required", False) else None
    expr = _expression(getattr(item, "constraint", None), item, "constraint")
    if expr is not None and not expr.test(answers, value, today=today):
        custom = tr(getattr(item, "constraint_message", None), locale)
        return None, custom or str(CONSTRAINT_MESSAGE)
    return value, None


def validate_submission(
    items: Iterable,
    form,
    *,
    locale: str | None = None,
    today: date | None = None,
    earlier: dict | None = None,
) -> SubmissionResult:
    """Read and check the answers to ``items`` sent in ``form`` (a MultiDict or a dict).

    Required only applies to visible items; answers to hidden items are dropped (no error
    either). ``earlier`` holds answers accepted before (other pages), used by skip logic and
    constraints but not returned again.
    """
    locale = locale or current_language()
    result = SubmissionResult()
    known = dict(earlier or {})
    for item in items:
        raw = _raw(form, item.key)
        result.raw[item.key] = raw
        if not is_relevant(item, known, today=today):
            continue
        result.visible.append(item)
        if not get_type(item.qtype).has_answer:
            continue
        value, error = check_answer(item, raw, known, locale=locale, today=today)
        if error:
            result.errors[item.key] = error
        elif value is not None:
            result.answers[item.key] = known[item.key] = value
    return result


def score(items: Iterable, answers: dict, *, today: date | None = None) -> ScoreResult:
    """Points per scored item that showed, their total, and the maximum possible.

    Items hidden by skip logic count neither for nor against; unanswered scored items that
    showed earn 0.
    """
    result = ScoreResult()
    for item in visible_items(items, answers, today=today):
        points = get_type(item.qtype).score(item, answers.get(item.key))
        if points is None:
            continue
        result.per_item[item.key] = points
        result.score += points
        result.max_score += points_of(item).quantize(Decimal("0.01"))
    return result


def answer_rows(items: Iterable, answers: dict, *, today: date | None = None) -> list[StoredAnswer]:
    """What to store for each answered visible item (``Answer.value``, ``number``, ``points``)."""
    rows = []
    for item in visible_items(items, answers, today=today):
        qtype = get_type(item.qtype)
        value = answers.get(item.key)
        if qtype.has_answer and value is not None:
            rows.append(
                StoredAnswer(item, value, qtype.number(item, value), qtype.score(item, value))
            )
    return rows


def raw_values(items: Iterable, answers: dict) -> dict[str, list[str]]:
    """Form strings showing stored answers again (for ``render_page``'s ``values_by_key``)."""
    return {
        item.key: get_type(item.qtype).to_raw(item, answers[item.key])
        for item in items
        if answers.get(item.key) is not None
    }


def pages(items: Iterable) -> list[list]:
    """Items grouped by ``page`` (ascending), keeping their order inside each page."""
    grouped: dict[int, list] = {}
    for item in items:
        grouped.setdefault(getattr(item, "page", None) or 1, []).append(item)
    return [grouped[number] for number in sorted(grouped)]
