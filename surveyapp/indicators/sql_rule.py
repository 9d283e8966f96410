"""A ``Rule`` compiled into SQL: the same decision as ``rule.evaluate``, as CASE expressions.

``outcome_case(rule, columns)`` takes the columns of a per-person evidence row (see
``people.person_rows``) and returns the outcome: ``achieved``, ``partly``, ``not_yet`` or
``not_assessable``. Every check is written NULL-safe (``x IS NOT NULL AND ...``), so a
missing answer fails its check exactly as ``None`` does in Python, and thresholds are
compared with the same ``TOLERANCE``. The rule's values are bound as parameters.
tests/indicators/test_sql_rule.py proves SQL == ``evaluate`` on many generated people.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from .models import ReviewStatus
from .rule import ACHIEVED, NOT_ASSESSABLE, NOT_YET, PARTLY, TOLERANCE, Rule


def json_text(values) -> list[str]:
    """How answer values read when their stored JSON is cast to text."""
    return [json.dumps(value) for value in values]


def _known(column, condition):
    return sa.and_(column.is_not(None), condition)


def _at_least(column, threshold):
    return _known(column, column + TOLERANCE >= threshold)


def _one_of(column, values):
    if not values:
        return sa.false()
    return _known(column, column.in_(json_text(values)))


def accepted_example(c):
    return _known(c.example_status, c.example_status == ReviewStatus.ACCEPTED)


def rule_checks(rule: Rule, c) -> dict[str, sa.ColumnElement]:
    """The SQL twin of ``rule._failed_checks``: check name -> condition that it passes."""
    accepted = accepted_example(c)
    return {
        "frequency": _one_of(c.ai_frequency, rule.frequency_values),
        "purpose": _known(c.has_purpose, c.has_purpose == 1) if rule.require_purpose else sa.true(),
        "example": accepted if rule.require_accepted_example else sa.true(),
        "verifies_outputs": _at_least(c.verifies_outputs, rule.min_verifies_outputs),
        "personal_data": _known(
            c.enters_personal_data, c.enters_personal_data <= rule.max_enters_personal_data
        ),
        "post_percent": _at_least(c.post_percent, float(rule.min_post_percent)),
        "safety_share": _at_least(c.safety_share, float(rule.min_safety_share)),
        "benefit": sa.or_(
            _one_of(c.time_saved, rule.time_saved_values),
            sa.and_(accepted, c.quality_gain.is_(True)),
        ),
    }


def outcome_case(rule: Rule, c):
    """CASE expression of the outcome of one evidence row under ``rule``.

    ``c`` needs: days_after_class, ai_frequency and time_saved (JSON text), has_purpose
    (1 or NULL), example_status, quality_gain, verifies_outputs, enters_personal_data,
    post_percent and safety_share."""
    checks = rule_checks(rule, c)
    core = sa.and_(checks["frequency"], checks["post_percent"], checks["safety_share"])
    return sa.case(
        (c.days_after_class.is_(None), NOT_ASSESSABLE),
        (c.days_after_class < rule.min_days_after_class, NOT_ASSESSABLE),
        (sa.and_(*checks.values()), ACHIEVED),
        (core, PARTLY),
        else_=NOT_YET,
    )
