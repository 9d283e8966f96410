"""Per-person evidence of a campaign, read in SQL: one row per person with a counted response.

Two steps, each one pass over its rows:

1. ``latest_responses``: for each person, their latest (submitted_at, then id) not-excluded
   follow-up and their latest not-excluded post-test (a skill test at moment ``post``) in
   the campaign's classes, picked with ``ROW_NUMBER()`` over (person, moment).
2. ``person_evidence``: those responses joined only to the items that matter (the follow-up
   keys, the safety items of the post-test version) and their answers, looked up by
   (response_id, item_id), then pivoted with ``MAX(CASE WHEN item.key = ...)`` into one row
   per person (see ``person_evidence`` for why the facts are stacked, not joined).

JSON answers are compared as text: ``CAST(value AS TEXT)`` is the JSON the app stored
(``json.dumps``), the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.classes.models import TrainingClass
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.responses.models import Answer, Moment, Response

from .kpi_types import KpiFilters
from .sql_dates import timestamp_in

FOLLOW_UP_KEYS = (
    "ai_frequency",
    "ai_purposes",
    "time_saved",
    "verifies_outputs",
    "enters_personal_data",
    "example",
)
SAFETY_COMPETENCY = "privacy_safety"
SKILL_TEST = "skill_test"
EMPTY_JSON = ("null", "[]", '""')


def latest_responses(campaign_id: int, filters: KpiFilters, participants=None):
    """Materialised CTE of each person's latest counted follow-up and post-test in the campaign.

    The date filter applies to follow-ups (by submission date) only; ``participants``, a
    select of participant ids, optionally narrows the scan to some people."""
    r = Response
    skill_versions = (
        sa.select(InstrumentVersion.id)
        .join(Instrument, Instrument.id == InstrumentVersion.instrument_id)
        .where(Instrument.kind == SKILL_TEST)
    )
    conditions = [
        TrainingClass.campaign_id == campaign_id,
        r.excluded.is_(False),
        r.participant_id.is_not(None),
        sa.or_(
            sa.and_(
                r.moment == Moment.FOLLOW_UP.value,
                timestamp_in(r.submitted_at, filters.date_from, filters.date_to),
            ),
            sa.and_(r.moment == Moment.POST.value, r.version_id.in_(skill_versions)),
        ),
    ]
    if participants is not None:
        conditions.append(r.participant_id.in_(participants))
    rank = (
        sa.func.row_number()
        .over(
            partition_by=(r.participant_id, r.moment),
            order_by=(r.submitted_at.desc(), r.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        sa.select(
            r.participant_id,
            r.id,
            r.moment,
            r.class_id,
            r.version_id,
            r.submitted_at,
            r.score,
            r.max_score,
            rank,
        )
        .join(TrainingClass, TrainingClass.id == r.class_id)
        .where(*conditions)
        .subquery("ranked")
    )
    return (
        sa.select(*(c for c in ranked.c if c.name != "rank"))
        .where(ranked.c.rank == 1)
        .cte("latest")
        .prefix_with("MATERIALIZED")
    )


def _as_float(column):
    return sa.cast(column, sa.Float)


# The evidence columns and their SQL types (typed NULLs keep the UNION ALL well-typed).
COLUMNS = {
    "follow_up_id": sa.Integer(),
    "follow_up_class_id": sa.Integer(),
    "follow_up_at": sa.DateTime(timezone=True),
    "post_percent": sa.Float(),
    "safety_points": sa.Numeric(8, 2),
    "safety_max": sa.Numeric(8, 2),
    "ai_frequency": sa.Text(),
    "has_purpose": sa.Integer(),
    "time_saved": sa.Text(),
    "verifies_outputs": sa.Numeric(14, 4),
    "enters_personal_data": sa.Numeric(14, 4),
    "has_example": sa.Integer(),
}
SUMMED = ("safety_points", "safety_max")


AGGREGATE = {name: sa.func.sum if name in SUMMED else sa.func.max for name in COLUMNS}


def _facts(latest, moment: str, joins=(), grouped=False, **values):
    """One branch of the UNION: ``values`` fills some evidence columns, NULL the others.
    ``grouped``: the branch reads several rows per person (answers) and is aggregated per
    person at once, so the final grouping sorts a few rows per person only."""

    def column(name, kind):
        if name not in values:
            return sa.cast(sa.null(), kind).label(name)
        return (AGGREGATE[name](values[name]) if grouped else values[name]).label(name)

    columns = [column(name, kind) for name, kind in COLUMNS.items()]
    query = sa.select(latest.c.participant_id, *columns).select_from(latest)
    for target, condition, outer in joins:
        query = query.join(target, condition, isouter=outer)
    query = query.where(latest.c.moment == moment)
    return query.group_by(latest.c.participant_id) if grouped else query


def person_evidence(
    campaign_id: int, filters: KpiFilters, participants=None, *, details: bool = False
):
    """Materialised CTE (computed once, whatever the planner guesses): one row per person
    with a counted follow-up or post-test.

    Four kinds of facts (the follow-up itself, its answers to the rule's keys, the
    post-test score, its safety items) are stacked with UNION ALL and grouped by person, so
    no two large sets are ever joined; items are found through (version_id, key) and
    answers through (response_id, item_id). Columns: participant_id and ``COLUMNS``;
    ``has_example`` (not needed by the rule) is read only with ``details``."""
    latest = latest_responses(campaign_id, filters, participants)
    keys = FOLLOW_UP_KEYS if details else tuple(k for k in FOLLOW_UP_KEYS if k != "example")
    # The few items that matter, set apart first: whatever the planner guesses about the
    # latest responses, matching them against this small set stays cheap.
    items = (
        sa.select(Item.id, Item.version_id, Item.key, Item.competency, Item.points)
        .where(sa.or_(Item.key.in_(keys), Item.competency == SAFETY_COMPETENCY))
        .cte("rule_items")
        .prefix_with("MATERIALIZED")
    )
    item = items.c
    answer = Answer
    value = sa.cast(answer.value, sa.Text)

    def key(name: str, expr):
        return sa.case((item.key == name, expr))

    def present(name: str):
        return key(name, sa.case((value.not_in(EMPTY_JSON), 1)))

    answered = {"has_example": present("example")} if details else {}
    item_join = sa.and_(item.version_id == latest.c.version_id, item.key.in_(keys))
    answer_join = sa.and_(answer.response_id == latest.c.id, answer.item_id == item.id)
    safety_join = sa.and_(
        item.version_id == latest.c.version_id, item.competency == SAFETY_COMPETENCY
    )
    post_percent = sa.case(
        (latest.c.max_score > 0, _as_float(latest.c.score) * 100 / _as_float(latest.c.max_score))
    )
    facts = sa.union_all(
        _facts(
            latest,
            Moment.FOLLOW_UP.value,
            follow_up_id=latest.c.id,
            follow_up_class_id=latest.c.class_id,
            follow_up_at=latest.c.submitted_at,
        ),
        _facts(
            latest,
            Moment.FOLLOW_UP.value,
            [(items, item_join, False), (answer, answer_join, False)],
            grouped=True,
            ai_frequency=key("ai_frequency", value),
            has_purpose=present("ai_purposes"),
            time_saved=key("time_saved", value),
            verifies_outputs=key("verifies_outputs", answer.number),
            enters_personal_data=key("enters_personal_data", answer.number),
            **answered,
        ),
        _facts(latest, Moment.POST.value, post_percent=post_percent),
        _facts(
            latest,
            Moment.POST.value,
            [(items, safety_join, False), (answer, answer_join, True)],
            grouped=True,
            safety_points=sa.func.coalesce(answer.points, 0),
            safety_max=item.points,
        ),
    ).subquery("facts")
    return (
        sa.select(
            facts.c.participant_id,
            *(AGGREGATE[name](facts.c[name]).label(name) for name in COLUMNS),
        )
        .group_by(facts.c.participant_id)
        .cte("evidence")
        .prefix_with("MATERIALIZED")
    )
