"""One row per learner of a campaign under a locality: home, evidence and outcome, in SQL.

A learner's home class is their earliest enrolment (lowest enrolment id) in the campaign's
classes; its locality places them in the tree (``placement.located``), and their segment
is ``Participant.segment``. Evidence comes from ``evidence.person_evidence`` and the outcome
from the rule compiled by ``sql_rule.outcome_case``. ``person_rows`` is the subquery every
figure of ``kpis.py`` aggregates; ``person_outcomes`` is the readable select that exports,
the API and recomputation use.

Filters: the segment applies to the people; the date range applies to learners by the date
of their home enrolment (column ``in_period``) and to follow-ups by their submission date,
so a person trained before the range whose follow-up came within it counts as a
respondent of the range without counting as a new learner.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import TrainingClass
from surveyapp.localities.models import Locality
from surveyapp.participants.models import Enrolment, Participant

from .evidence import person_evidence
from .kpi_types import COLLECTED, KpiFilters
from .models import ExampleReview
from .placement import located
from .rule import Rule
from .rules import current_rule
from .sql_dates import days_between, timestamp_in, utc_date
from .sql_rule import outcome_case

NO_FILTERS = KpiFilters()  # the default: everything, as collected


def home_enrolments(campaign_id: int, participants=None):
    """Materialised CTE (participant_id, enrolment_id): each learner's earliest enrolment in the
    campaign, held ones left out (``approvals.locks.hold_if_late_learner``); ``participants``
    (a select of ids) optionally limits the learners."""
    query = (
        sa.select(Enrolment.participant_id, sa.func.min(Enrolment.id).label("enrolment_id"))
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .where(TrainingClass.campaign_id == campaign_id, Enrolment.held_for_id.is_(None))
        .group_by(Enrolment.participant_id)
    )
    if participants is not None:
        query = query.where(Enrolment.participant_id.in_(participants))
    return query.cte("home_min").prefix_with("MATERIALIZED")


def _needs_narrowing(campaign: Campaign, head: Locality, filters: KpiFilters) -> bool:
    """Whether only some of the campaign's people can count under ``head``: then the scans
    are narrowed to them; at the campaign's root that would only cost time."""
    return filters.geography != COLLECTED or head.id != campaign.root_locality_id


def _enrolled_under(campaign: Campaign, place):
    """Select of the ids of people enrolled in a class of the campaign placed under the
    head (``place``: ``located``): a superset of the learners whose home is there."""
    return (
        sa.select(Enrolment.participant_id)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .join(place, place.c.locality_id == TrainingClass.locality_id)
        .where(TrainingClass.campaign_id == campaign.id)
        .correlate(None)
    )


def _in_period(enrolled_at, filters: KpiFilters):
    """1 when the home enrolment falls in the filters' date range (always without one)."""
    if filters.date_from is None and filters.date_to is None:
        return sa.literal(1)
    return sa.case((timestamp_in(enrolled_at, filters.date_from, filters.date_to), 1), else_=0)


def _safety_share(ev):
    """Points got on the safety items / their points in the version; NULL without any."""
    return sa.case(
        (
            ev.c.safety_max > 0,
            sa.cast(ev.c.safety_points, sa.Float) / sa.cast(ev.c.safety_max, sa.Float),
        )
    )


def _evidence_columns(campaign: Campaign, head: Locality, filters: KpiFilters, details: bool):
    place = located(head, filters.geography)
    under = _enrolled_under(campaign, place) if _needs_narrowing(campaign, head, filters) else None
    home_min = home_enrolments(campaign.id, under)
    home = aliased(Enrolment, name="home")
    home_class = aliased(TrainingClass, name="home_class")
    follow_up_class = aliased(TrainingClass, name="follow_up_class")
    narrowed = None if under is None else sa.select(home_min.c.participant_id)
    ev = person_evidence(campaign.id, filters, narrowed, details=details)
    columns = [
        home_min.c.participant_id,
        Participant.public_id,
        Participant.segment,
        home.class_id,
        home.enrolled_at,
        home_class.locality_id,
        place.c.node_id,
        place.c.child_id,
        _in_period(home.enrolled_at, filters).label("in_period"),
        ev.c.follow_up_id,
        ev.c.follow_up_at,
        days_between(utc_date(ev.c.follow_up_at), follow_up_class.end_date).label(
            "days_after_class"
        ),
        ev.c.ai_frequency,
        ev.c.has_purpose,
        ev.c.has_example,
        ExampleReview.status.label("example_status"),
        ExampleReview.quality_gain,
        ev.c.verifies_outputs,
        ev.c.enters_personal_data,
        ev.c.post_percent,
        _safety_share(ev).label("safety_share"),
        ev.c.time_saved,
    ]
    query = (
        sa.select(*columns)
        .select_from(home_min)
        .join(home, home.id == home_min.c.enrolment_id)
        .join(home_class, home_class.id == home.class_id)
        .join(place, place.c.locality_id == home_class.locality_id)
        .join(Participant, Participant.id == home_min.c.participant_id)
        .outerjoin(ev, ev.c.participant_id == home_min.c.participant_id)
        .outerjoin(follow_up_class, follow_up_class.id == ev.c.follow_up_class_id)
        .outerjoin(ExampleReview, ExampleReview.response_id == ev.c.follow_up_id)
    )
    if filters.segment:
        query = query.where(Participant.segment == filters.segment)
    return query.subquery("person_evidence")


def person_rows(
    campaign: Campaign, head: Locality, filters: KpiFilters, rule: Rule, *, details: bool = False
):
    """Subquery: one row per learner whose home lies under ``head`` (see the module
    docstring), with every evidence column and ``outcome``; ``has_example`` is read only
    with ``details`` (the figures do not need it)."""
    inner = _evidence_columns(campaign, head, filters, details)
    return sa.select(inner, outcome_case(rule, inner.c).label("outcome")).subquery("people")


def _json_string(column):
    """The string inside a JSON string value ('"daily"' -> 'daily'); NULL otherwise."""
    return sa.case(
        (column.like('"%"'), sa.func.substr(column, 2, sa.func.length(column) - 2)),
    )


def person_outcomes(campaign: Campaign, head: Locality, filters: KpiFilters = NO_FILTERS):
    """Select of one row per learner under ``head``, ordered by home locality and id.

    With a date range, the rows are the learners enrolled in it and the people whose
    follow-up came in it. ``example_status`` is accepted/rejected (reviewed), pending (an
    example was given, not yet reviewed) or NULL (none given)."""
    people = person_rows(campaign, head, filters, current_rule(campaign.id).rule, details=True)
    node = aliased(Locality, name="home_locality")
    example_status = sa.case(
        (people.c.example_status.is_not(None), people.c.example_status),
        (people.c.has_example == 1, "pending"),
    )
    query = (
        sa.select(
            people.c.participant_id,
            people.c.public_id,
            node.code.label("home_locality_code"),
            node.name.label("home_locality_name"),
            people.c.segment,
            people.c.class_id,
            people.c.days_after_class,
            _json_string(people.c.ai_frequency).label("ai_frequency"),
            (sa.func.coalesce(people.c.has_purpose, 0) == 1).label("has_purpose"),
            example_status.label("example_status"),
            people.c.quality_gain,
            people.c.verifies_outputs,
            people.c.enters_personal_data,
            people.c.post_percent,
            people.c.safety_share,
            _json_string(people.c.time_saved).label("time_saved"),
            people.c.outcome,
        )
        .join(node, node.id == people.c.node_id)
        .order_by(node.code, people.c.public_id)
    )
    if filters.date_from is not None or filters.date_to is not None:
        query = query.where(sa.or_(people.c.in_period == 1, people.c.follow_up_id.is_not(None)))
    return query
