"""Campaign KPIs per locality, rolled up the tree, computed with GROUP BY in the database.

Plan of each query: the people are aggregated first (``people.person_rows``: one row per
learner with home place, segment and outcome), then rolled up to ``head`` and its children
by joining each row's place to the children on materialised-path ranges
(``placement.located``) and grouping by child. The head's figure is the sum of the groups
(the NULL group being what is registered at the head itself). So ``kpi_table`` costs five
queries (rule, children, plan targets, registered things, people) whatever the number of
localities, people and answers; the other functions cost two or three.

Semantics are those of notes/issue4-contract: excluded responses leave every figure (and
are counted per locality), non-respondents are never achieved, and the outcome is the
campaign's current rule compiled to SQL (``sql_rule``).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from surveyapp.campaigns.models import (
    Campaign,
    CoreMember,
    Material,
    Metric,
    Population,
    Segment,
    Target,
)
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.localities.models import Locality
from surveyapp.participants.models import Participant
from surveyapp.responses.models import Response

from .kpi_types import (
    FollowUpStats,
    FrequencyRow,
    Kpi,
    KpiFilters,
    KpiTable,
    LocalityKpis,
    SegmentCoverage,
    TrendPoint,
)
from .people import NO_FILTERS, person_rows
from .placement import located
from .rule import ACHIEVED, NOT_ASSESSABLE, NOT_YET, PARTLY
from .rules import current_rule
from .sql_dates import date_in, month_start, timestamp_in, utc_date
from .sql_rule import json_text

EXCLUDED = "excluded_responses"
STAT_FIELDS = ("learners", "respondents", "too_early", "achieved", "partly", "not_yet")
WEEKLY_OR_MORE = ("weekly_1_2", "weekly_3_6", "daily")


def _count_if(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _people_counts(people):
    """Aggregate columns of ``FollowUpStats`` (minus excluded responses) over person rows."""
    outcome = people.c.outcome
    return (
        sa.func.coalesce(sa.func.sum(people.c.in_period), 0).label("learners"),
        _count_if(outcome != NOT_ASSESSABLE).label("respondents"),
        _count_if(sa.and_(outcome == NOT_ASSESSABLE, people.c.days_after_class.is_not(None))).label(
            "too_early"
        ),
        _count_if(outcome == ACHIEVED).label("achieved"),
        _count_if(outcome == PARTLY).label("partly"),
        _count_if(outcome == NOT_YET).label("not_yet"),
    )


def _registered_items(campaign: Campaign, filters: KpiFilters, place):
    """Union of (kind, child_id) of the campaign's members, classes, materials and excluded
    responses placed under the head (``place``: ``located``), each filtered by its own date
    and segment. Each part starts from the places, so a small subtree reads few rows."""

    def part(kind: str, model, locality_column):
        return (
            sa.select(sa.literal(kind, sa.String).label("kind"), place.c.child_id)
            .select_from(model)
            .join(place, place.c.locality_id == locality_column)
        )

    segment, start, end = filters.segment, filters.date_from, filters.date_to
    members = part(Metric.CORE_MEMBERS.value, CoreMember, CoreMember.locality_id).where(
        CoreMember.campaign_id == campaign.id, date_in(CoreMember.joined_on, start, end)
    )
    classes = part(Metric.CLASSES.value, TrainingClass, TrainingClass.locality_id).where(
        TrainingClass.campaign_id == campaign.id, date_in(TrainingClass.start_date, start, end)
    )
    materials = part(Metric.MATERIALS.value, Material, Material.locality_id).where(
        Material.campaign_id == campaign.id, date_in(Material.published_on, start, end)
    )
    placed = (
        sa.select(TrainingClass.id.label("class_id"), place.c.child_id)
        .join(place, place.c.locality_id == TrainingClass.locality_id)
        .where(TrainingClass.campaign_id == campaign.id)
        .cte("placed_classes")
        .prefix_with("MATERIALIZED")
    )
    excluded = (
        sa.select(sa.literal(EXCLUDED, sa.String).label("kind"), placed.c.child_id)
        .select_from(Response)
        .join(placed, placed.c.class_id == Response.class_id)
        .where(
            # Lets the engine start from the classes under the head, not every response.
            Response.class_id.in_(sa.select(placed.c.class_id)),
            Response.excluded.is_(True),
            timestamp_in(Response.submitted_at, start, end),
        )
    )
    if segment:
        members = members.where(CoreMember.segment == segment)
        classes = classes.where(TrainingClass.segment == segment)
        excluded = excluded.join(Participant, Participant.id == Response.participant_id).where(
            Participant.segment == segment
        )
    return sa.union_all(members, classes, materials, excluded).subquery("items")


def _registered_by_child(campaign, head, filters) -> dict[int | None, dict[str, int]]:
    items = _registered_items(campaign, filters, located(head, filters.geography))
    query = sa.select(items.c.kind, items.c.child_id, sa.func.count()).group_by(
        items.c.kind, items.c.child_id
    )
    counts: dict[int | None, dict[str, int]] = {}
    for kind, child_id, n in db.session.execute(query):
        counts.setdefault(child_id, {})[kind] = n
    return counts


def _people_by_child(campaign, head, filters, rule) -> dict[int | None, dict[str, int]]:
    people = person_rows(campaign, head, filters, rule)
    query = sa.select(people.c.child_id, *_people_counts(people)).group_by(people.c.child_id)
    return {row.child_id: dict(row._mapping) for row in db.session.execute(query)}


def _plans(campaign: Campaign, head: Locality) -> dict[tuple[int, str], int]:
    rows = db.session.execute(
        sa.select(Target.locality_id, Target.metric, Target.value)
        .join(Locality, Locality.id == Target.locality_id)
        .where(
            Target.campaign_id == campaign.id,
            sa.or_(Locality.id == head.id, Locality.parent_id == head.id),
        )
    )
    return {(locality_id, metric): value for locality_id, metric, value in rows}


def _sum(groups: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for group in groups:
        for key, value in group.items():
            if key != "child_id":
                total[key] = total.get(key, 0) + int(value or 0)
    return total


def _locality_kpis(locality, registered, people, plans) -> LocalityKpis:
    actual = {
        Metric.CORE_MEMBERS: registered.get(Metric.CORE_MEMBERS.value, 0),
        Metric.CLASSES: registered.get(Metric.CLASSES.value, 0),
        Metric.LEARNERS: people.get("learners", 0),
        Metric.MATERIALS: registered.get(Metric.MATERIALS.value, 0),
        Metric.EFFECTIVE_APPLIERS: people.get("achieved", 0),
    }
    kpis = {
        m.value: Kpi(m.value, plans.get((locality.id, m.value)), int(actual[m])) for m in Metric
    }
    stats = FollowUpStats(
        **{name: int(people.get(name, 0)) for name in STAT_FIELDS},
        excluded_responses=registered.get(EXCLUDED, 0),
    )
    return LocalityKpis(locality, kpis, stats)


def kpi_table(campaign: Campaign, head: Locality, filters: KpiFilters = NO_FILTERS) -> KpiTable:
    """The KPIs of ``head`` (its whole subtree) and of each child, with plan and follow-up
    counts; children in code order. Five queries whatever the volume."""
    rule = current_rule(campaign.id).rule
    children = db.session.scalars(
        sa.select(Locality).where(Locality.parent_id == head.id).order_by(Locality.code)
    ).all()
    plans = _plans(campaign, head)
    registered = _registered_by_child(campaign, head, filters)
    people = _people_by_child(campaign, head, filters, rule)
    rows = [
        _locality_kpis(child, registered.get(child.id, {}), people.get(child.id, {}), plans)
        for child in children
    ]
    top = _locality_kpis(head, _sum(list(registered.values())), _sum(list(people.values())), plans)
    unplaced = {
        metric: top.kpis[metric].actual - sum(row.kpis[metric].actual for row in rows)
        for metric in top.kpis
    }
    return KpiTable(campaign.id, top, rows, rule, filters, unplaced)


def _segments(filters: KpiFilters) -> list[str]:
    return [s.value for s in Segment if not filters.segment or s.value == filters.segment]


def _populations(campaign: Campaign, head: Locality):
    """Per segment: (population, target rate) entered for ``head``, or else the sum of the
    children's populations and their population-weighted target rate."""
    rows = db.session.execute(
        sa.select(
            Population.locality_id, Population.segment, Population.population,
            Population.target_rate,
        )
        .join(Locality, Locality.id == Population.locality_id)
        .where(
            Population.campaign_id == campaign.id,
            sa.or_(Locality.id == head.id, Locality.parent_id == head.id),
        )
    ).all()  # fmt: skip
    own = {seg: (pop, rate) for loc, seg, pop, rate in rows if loc == head.id}
    result = {}
    for segment in Segment:
        if segment.value in own:
            result[segment.value] = own[segment.value]
            continue
        parts = [(pop, rate) for loc, seg, pop, rate in rows if seg == segment and loc != head.id]
        if not parts:
            result[segment.value] = (None, None)
            continue
        total = sum(pop for pop, _ in parts)
        rate = sum(pop * rate for pop, rate in parts) / total if total else None
        result[segment.value] = (total, None if rate is None else round(rate, 2))
    return result


def segment_coverage(
    campaign: Campaign, head: Locality, filters: KpiFilters = NO_FILTERS
) -> list[SegmentCoverage]:
    """Per segment (``Segment`` order): population, target rate, learners, achievers."""
    rule = current_rule(campaign.id).rule
    people = person_rows(campaign, head, filters, rule)
    counts = {
        row.segment: row
        for row in db.session.execute(
            sa.select(people.c.segment, *_people_counts(people)).group_by(people.c.segment)
        )
    }
    populations = _populations(campaign, head)
    result = []
    for segment in _segments(filters):
        row = counts.get(segment)
        population, rate = populations[segment]
        result.append(
            SegmentCoverage(
                segment,
                population,
                rate,
                int(row.learners) if row else 0,
                int(row.achieved) if row else 0,
            )
        )
    return result


def _month(value) -> date:
    return date.fromisoformat(str(value)[:10])


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def monthly_trend(
    campaign: Campaign, head: Locality, filters: KpiFilters = NO_FILTERS
) -> list[TrendPoint]:
    """Per calendar month from the first to the last with any activity (gaps filled with
    zeros): new learners, follow-ups counted and people achieving, with running totals."""
    rule = current_rule(campaign.id).rule
    people = (
        person_rows(campaign, head, filters, rule).element.cte("people").prefix_with("MATERIALIZED")
    )
    enrolled = sa.select(
        month_start(utc_date(people.c.enrolled_at)).label("month"),
        sa.literal(1).label("learners"),
        sa.literal(0).label("follow_ups"),
        sa.literal(0).label("achieved"),
    ).where(people.c.in_period == 1)
    answered = sa.select(
        month_start(utc_date(people.c.follow_up_at)).label("month"),
        sa.literal(0).label("learners"),
        sa.literal(1).label("follow_ups"),
        sa.case((people.c.outcome == ACHIEVED, 1), else_=0).label("achieved"),
    ).where(people.c.outcome != NOT_ASSESSABLE)
    events = sa.union_all(enrolled, answered).subquery("events")
    query = (
        sa.select(
            events.c.month,
            sa.func.sum(events.c.learners),
            sa.func.sum(events.c.follow_ups),
            sa.func.sum(events.c.achieved),
        )
        .group_by(events.c.month)
        .order_by(events.c.month)
    )
    found = {_month(m): (int(a), int(b), int(c)) for m, a, b, c in db.session.execute(query)}
    points: list[TrendPoint] = []
    if not found:
        return points
    month, last = min(found), max(found)
    learners_total = achieved_total = 0
    while month <= last:
        learners, follow_ups, achieved = found.get(month, (0, 0, 0))
        learners_total += learners
        achieved_total += achieved
        points.append(
            TrendPoint(month, learners, follow_ups, achieved, learners_total, achieved_total)
        )
        month = _next_month(month)
    return points


def frequency_by_segment(
    campaign: Campaign, head: Locality, filters: KpiFilters = NO_FILTERS
) -> list[FrequencyRow]:
    """Per segment (``Segment`` order): follow-up respondents (the indicator's denominator),
    how many use AI daily and how many at least weekly."""
    rule = current_rule(campaign.id).rule
    people = person_rows(campaign, head, filters, rule)
    frequency = people.c.ai_frequency
    query = (
        sa.select(
            people.c.segment,
            sa.func.count().label("respondents"),
            _count_if(frequency == json_text(["daily"])[0]).label("daily"),
            _count_if(frequency.in_(json_text(WEEKLY_OR_MORE))).label("weekly"),
        )
        .where(people.c.outcome != NOT_ASSESSABLE)
        .group_by(people.c.segment)
    )
    counts = {row.segment: row for row in db.session.execute(query)}
    return [
        FrequencyRow(
            segment,
            int(counts[segment].respondents) if segment in counts else 0,
            int(counts[segment].daily) if segment in counts else 0,
            int(counts[segment].weekly) if segment in counts else 0,
        )
        for segment in _segments(filters)
    ]
