"""Manual (rubric) marking of open items and the totals of a response.

An *open item* earns points (``points > 0``) but the form engine cannot score it: a text
answer, or a question without an answer key. Its answers keep ``Answer.points`` NULL until
a trainer marks them. A response's total follows the engine: the automatic score of the
items that showed, plus the marks given so far; an open item counts towards the maximum
only once its answer is marked, so an unmarked answer never lowers the percentage.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from surveyapp.approvals import locks
from surveyapp.audit.services import record
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.instruments import engine
from surveyapp.instruments.models import Item
from surveyapp.instruments.qtypes import CENT, get_type, is_scored, plain, points_of, to_decimal
from surveyapp.responses.models import Answer, Response

MAX_NOTE = 500


def is_auto_scored(item) -> bool:
    """True when the engine scores ``item`` itself (a scorable type with a key and points)."""
    return get_type(item.qtype).scorable and is_scored(item)


def is_open_item(item) -> bool:
    """True for an item with points that only a person can mark."""
    qtype = get_type(item.qtype)
    return qtype.has_answer and points_of(item) > 0 and not is_auto_scored(item)


def stored_answers(response: Response) -> dict[str, object]:
    """The response's answers as the engine reads them: ``{item key: stored value}``."""
    return {answer.item.key: answer.value for answer in response.answers}


def totals(response: Response, items) -> tuple[Decimal | None, Decimal | None]:
    """``(score, max_score)`` of ``response``: engine score plus the marks of open items.

    Both are None when nothing is scored (as the engine stores them at submission).
    """
    today = response.submitted_at.date() if response.submitted_at else None
    result = engine.score(items, stored_answers(response), today=today)
    score, maximum = result.score, result.max_score
    for answer in response.answers:
        if answer.points is not None and is_open_item(answer.item):
            score += Decimal(answer.points)
            maximum += points_of(answer.item).quantize(CENT)
    if not maximum:
        return None, None
    return score.quantize(CENT), maximum.quantize(CENT)


def parse_points(value, item: Item) -> Decimal:
    """Points typed for ``item``: a number from 0 to the item's points, two decimals at most."""
    text = str(value).strip().replace(",", ".") if value is not None else ""
    number = to_decimal(text) if text else None
    maximum = points_of(item)
    if number is None:
        raise DomainError(_l("Enter the points as a number, for example 1.5."), field="points")
    if number != number.quantize(CENT):
        raise DomainError(_l("Give the points with at most two decimals."), field="points")
    if not 0 <= number <= maximum:
        raise DomainError(_l("Give from 0 to %(max)s points.", max=plain(maximum)), field="points")
    return number.quantize(CENT)


def mark_answer(answer: Answer, points, actor, note: str = "") -> Answer:
    """Give ``points`` to an open item's answer, update the response's totals, audit it."""
    item = answer.item
    if not is_open_item(item):
        raise DomainError(_l("This answer is scored automatically; it cannot be marked."))
    new_points = parse_points(points, item)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(_l("Write at most %(n)s characters.", n=MAX_NOTE), field="note")
    response = answer.response
    locks.refuse_if_locked(response)  # the figures of an approved period must not move
    old_points = answer.points
    old_score = response.score
    answer.points = new_points
    response.score, response.max_score = totals(response, response.version.items)
    record(
        actor,
        "answer.marked",
        answer,
        locality_id=response.locality_id,
        response_id=response.id,
        item_key=item.key,
        old_points=old_points,
        new_points=new_points,
        old_score=old_score,
        new_score=response.score,
        note=note,
    )
    db.session.flush()
    return answer


def find_answer(response_id: int, item_key: str) -> Answer | None:
    """The answer of response ``response_id`` to the item keyed ``item_key``."""
    return db.session.scalar(
        sa.select(Answer)
        .join(Item, Item.id == Answer.item_id)
        .where(Answer.response_id == response_id, Item.key == item_key)
    )


def open_item_ids(class_id: int) -> list[int]:
    """Ids of the open items of the versions answered in class ``class_id``."""
    versions = sa.select(Response.version_id).where(Response.class_id == class_id).distinct()
    items = db.session.scalars(
        sa.select(Item).where(Item.version_id.in_(versions), Item.points > 0)
    ).all()
    return [item.id for item in items if is_open_item(item)]


def marking_queue(class_id: int, *, limit: int = 200) -> tuple[list[Answer], list[Answer]]:
    """``(to mark, marked)``: answers to open items in the class, oldest first / latest first."""
    ids = open_item_ids(class_id)
    if not ids:
        return [], []
    base = (
        sa.select(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.class_id == class_id, Answer.item_id.in_(ids))
        .options(joinedload(Answer.item), joinedload(Answer.response))
    )
    pending = db.session.scalars(
        base.where(Answer.points.is_(None)).order_by(Response.submitted_at, Answer.id).limit(limit)
    ).all()
    marked = db.session.scalars(
        base.where(Answer.points.is_not(None))
        .order_by(Response.submitted_at.desc(), Answer.id.desc())
        .limit(limit)
    ).all()
    return list(pending), list(marked)
