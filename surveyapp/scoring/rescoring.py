"""Correcting an answer key and rescoring every response of that version.

A wrong key is found after people answered, so the change is allowed on a frozen version
(the only change that is). Every response of the version is scored again by the form
engine from its stored answers: ``Answer.points`` of the automatically scored items and
the response's totals change, nothing else does. One audit entry records the old and new
key and how many responses changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from surveyapp.approvals import locks
from surveyapp.audit.services import record
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.instruments import engine
from surveyapp.instruments import services as instrument_services
from surveyapp.instruments.models import Item
from surveyapp.instruments.qtypes import get_type, to_decimal, yes_no_key
from surveyapp.responses.models import Answer, Response
from surveyapp.scoring.marking import is_auto_scored, totals


@dataclass(frozen=True)
class Rescored:
    """What a key change did: responses scored again and how many of them changed."""

    item: Item
    old_key: object
    new_key: object
    responses: int
    changed: int


def may_change_key(actor, item: Item, scope=None) -> bool:
    """Whoever may edit the instrument may correct its keys (admins; coordinators in scope)."""
    return instrument_services.may_manage(actor, item.version.instrument, scope)


def normalise_key(item: Item, new_key) -> object:
    """The key as stored for ``item``'s type; DomainError (field ``answer_key``) if invalid."""
    qtype = get_type(item.qtype)
    if not qtype.scorable:
        raise DomainError(_l("This question type cannot have an answer key."), field="answer_key")
    values = [new_key] if isinstance(new_key, str | int | float | Decimal) else list(new_key or [])
    values = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if not values:
        raise DomainError(_l("Choose or enter the correct answer."), field="answer_key")
    if qtype.name == "multiple_choice":
        key: object = values
    elif len(values) > 1:
        raise DomainError(_l("Give only one correct answer."), field="answer_key")
    elif qtype.name == "yes_no":
        key = yes_no_key(values[0]) or values[0]
    elif qtype.name in ("integer", "decimal"):
        number = to_decimal(values[0].replace(",", "."))
        if number is None:
            raise DomainError(_l("The answer key must be a number."), field="answer_key")
        key = int(number) if number == number.to_integral_value() else float(number)
    else:
        key = values[0]
    problems = qtype.answer_problems({"choices": item.choices}, key)
    if problems:
        raise DomainError(problems[0], field="answer_key")
    if qtype.name == "multiple_choice":  # stored in the order of the choices
        order = [str(c.get("value")) for c in item.choices]
        key = sorted(key, key=order.index)
    return key


def change_answer_key(item: Item, new_key, actor, *, scope=None) -> Rescored:
    """Set ``item``'s answer key and rescore every response of its version (audited)."""
    if not may_change_key(actor, item, scope):
        raise NotAllowed(_l("You may not change this instrument."))
    key = normalise_key(item, new_key)
    locks.refuse_if_version_locked(item.version_id)  # rescoring would move approved figures
    old_key = item.answer_key
    item.answer_key = key
    db.session.flush()
    count, changed = rescore_version(item.version)
    record(
        actor,
        "item.answer_key_changed",
        item,
        locality_id=item.version.instrument.locality_id,
        version_id=item.version_id,
        item_key=item.key,
        old_key=old_key,
        new_key=key,
        responses=count,
        responses_changed=changed,
    )
    db.session.flush()
    return Rescored(item, old_key, key, count, changed)


def rescore_version(version) -> tuple[int, int]:
    """Score every response of ``version`` again; return (responses, responses changed)."""
    items = list(version.items)
    responses = db.session.scalars(
        sa.select(Response)
        .where(Response.version_id == version.id)
        .options(selectinload(Response.answers).joinedload(Answer.item))
        .order_by(Response.id)
    ).all()
    changed = sum(1 for response in responses if rescore_response(response, items))
    return len(responses), changed


def rescore_response(response: Response, items) -> bool:
    """Store the engine's points for the automatic items and the new totals; True if changed."""
    today = response.submitted_at.date() if response.submitted_at else None
    answers = {answer.item.key: answer.value for answer in response.answers}
    per_item = engine.score(items, answers, today=today).per_item
    changed = False
    for answer in response.answers:
        if is_auto_scored(answer.item):
            points = per_item.get(answer.item.key)
            if _differs(answer.points, points):
                answer.points, changed = points, True
    score, maximum = totals(response, items)
    if _differs(response.score, score) or _differs(response.max_score, maximum):
        response.score, response.max_score, changed = score, maximum, True
    return changed


def _differs(old, new) -> bool:
    if old is None or new is None:
        return (old is None) != (new is None)
    return Decimal(old) != Decimal(new)
