"""The rubric of a product round: weighted criteria with score bounds.

A judge's total for an entry is Σ weight_c · score_c over the criteria (DOMAIN.md §4).
Once a judge has scored, the rubric is fixed: changing a weight or a bound afterwards would
silently change the meaning of the scores already given.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _

from surveyapp.contests.entry_models import Entry, JudgeAssignment, JudgeScore, RubricCriterion
from surveyapp.contests.models import Round, RoundKind
from surveyapp.errors import DomainError
from surveyapp.extensions import db

NAME_MAX = 200
BOUND_LIMIT = Decimal("9999")
WEIGHT_LIMIT = Decimal("999")


def criteria(round_: Round) -> list[RubricCriterion]:
    return list(
        db.session.scalars(
            sa.select(RubricCriterion)
            .where(RubricCriterion.round_id == round_.id)
            .order_by(RubricCriterion.position, RubricCriterion.id)
        )
    )


def rubric_total(weights_and_scores) -> Decimal:
    """Σ w·score over ``(weight, score)`` pairs."""
    return sum((Decimal(w) * Decimal(s) for w, s in weights_and_scores), Decimal(0))


def has_scores(round_: Round) -> bool:
    return (
        db.session.scalar(
            sa.select(JudgeScore.id)
            .join(JudgeAssignment, JudgeScore.assignment_id == JudgeAssignment.id)
            .join(Entry, JudgeAssignment.entry_id == Entry.id)
            .where(Entry.round_id == round_.id)
            .limit(1)
        )
        is not None
    )


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        raise DomainError(_("Enter a number."), field=field) from None
    if not number.is_finite():
        raise DomainError(_("Enter a number."), field=field)
    return number


def _checked(name, description, weight, min_score, max_score) -> dict:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("This field is required."), field="name")
    if len(name) > NAME_MAX:
        raise DomainError(_("At most %(max)s characters.", max=NAME_MAX), field="name")
    weight = _decimal(weight, "weight")
    low = _decimal(min_score, "min_score")
    high = _decimal(max_score, "max_score")
    if not Decimal(0) < weight <= WEIGHT_LIMIT:
        raise DomainError(
            _("The weight must be above 0 and at most %(max)s.", max=WEIGHT_LIMIT),
            field="weight",
        )
    if abs(low) > BOUND_LIMIT or abs(high) > BOUND_LIMIT:
        raise DomainError(_("Bounds must lie between -9999 and 9999."), field="max_score")
    if high <= low:
        raise DomainError(_("The highest score must be above the lowest."), field="max_score")
    return {
        "name": name,
        "description": (description or "").strip()[:2000],
        "weight": weight.quantize(Decimal("0.001")),
        "min_score": low.quantize(Decimal("0.01")),
        "max_score": high.quantize(Decimal("0.01")),
    }


def _check_editable(round_: Round) -> None:
    if round_.kind != RoundKind.PRODUCT:
        raise DomainError(_("Only product rounds have a rubric."))
    if has_scores(round_):
        raise DomainError(
            _("Judges have started scoring this round; its rubric can no longer change.")
        )


def add_criterion(round_: Round, *, name, description, weight, min_score, max_score):
    _check_editable(round_)
    values = _checked(name, description, weight, min_score, max_score)
    position = (
        db.session.scalar(
            sa.select(sa.func.max(RubricCriterion.position)).where(
                RubricCriterion.round_id == round_.id
            )
        )
        or 0
    ) + 1
    criterion = RubricCriterion(round_id=round_.id, position=position, **values)
    db.session.add(criterion)
    db.session.flush()
    return criterion


def update_criterion(criterion: RubricCriterion, round_: Round, **fields) -> RubricCriterion:
    _check_editable(round_)
    for key, value in _checked(**fields).items():
        setattr(criterion, key, value)
    db.session.flush()
    return criterion


def delete_criterion(criterion: RubricCriterion, round_: Round) -> None:
    _check_editable(round_)
    db.session.delete(criterion)
    db.session.flush()
