"""The shapes of the campaign figures that dashboards, reports, exports and the API share.

``kpis.py`` fills them from GROUP BY queries over a locality subtree; everything here is
plain data, so views, templates, the PDF report and the JSON API read the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from surveyapp.campaigns.models import Metric
from surveyapp.localities.models import Locality

from .rule import Rule

COLLECTED, CURRENT = "collected", "current"  # geography: as collected, or today's units


@dataclass(frozen=True)
class KpiFilters:
    """``segment``: a ``Segment`` value or None for all. Dates are inclusive and apply to the
    date of each counted thing (class start, enrolment, material publication, core member
    joining, follow-up submission). ``geography``: ``COLLECTED`` (the tree the data was
    collected on) or ``CURRENT`` (older units mapped to today's through the crosswalk)."""

    segment: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    geography: str = COLLECTED


@dataclass(frozen=True)
class Kpi:
    metric: str  # a ``Metric`` value
    plan: int | None  # None when no target was set
    actual: int

    @property
    def percent_of_plan(self) -> float | None:
        """actual / plan × 100; None without a plan or with a plan of 0."""
        if not self.plan:
            return None
        return self.actual * 100 / self.plan

    @property
    def below_plan(self) -> bool:
        return bool(self.plan) and self.actual < self.plan


@dataclass(frozen=True)
class FollowUpStats:
    """The indicator's counts for one locality; all are distinct people.

    ``learners``: people enrolled in the campaign's classes (home locality in the subtree).
    ``respondents``: learners with a completed, not excluded follow-up at least
    ``min_days_after_class`` days after their class: the indicator's denominator.
    ``too_early``: learners whose only follow-up came too early (not in the denominator).
    ``achieved`` + ``partly`` + ``not_yet`` == ``respondents``.
    ``excluded_responses``: responses (any moment) of the subtree that reviewers excluded.
    """

    learners: int = 0
    respondents: int = 0
    too_early: int = 0
    achieved: int = 0
    partly: int = 0
    not_yet: int = 0
    excluded_responses: int = 0

    @property
    def response_rate(self) -> float | None:
        return self.respondents * 100 / self.learners if self.learners else None

    @property
    def achieved_rate(self) -> float | None:
        return self.achieved * 100 / self.respondents if self.respondents else None


@dataclass(frozen=True)
class LocalityKpis:
    locality: Locality
    kpis: dict[str, Kpi]  # keyed by Metric value, in Metric order
    follow_up: FollowUpStats

    @property
    def below_plan(self) -> bool:
        return any(k.below_plan for k in self.kpis.values())

    def kpi(self, metric: str | Metric) -> Kpi:
        return self.kpis[str(metric)]


@dataclass(frozen=True)
class KpiTable:
    """The figures of ``head`` (its whole subtree) and of each child locality.

    Things registered at ``head`` itself (not inside a child) count in ``head`` only, so the
    children's actuals may sum to less than the head's; ``unplaced`` holds that difference.
    """

    campaign_id: int
    head: LocalityKpis
    children: list[LocalityKpis]
    rule: Rule
    filters: KpiFilters = field(default_factory=KpiFilters)
    unplaced: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SegmentCoverage:
    """Per segment, under one locality: ``population`` entered for the locality (or the sum
    entered for its children when the locality has none), the target rate in percent,
    learners and people who apply AI effectively."""

    segment: str
    population: int | None
    target_rate: Decimal | None
    learners: int
    achieved: int

    @property
    def trained_rate(self) -> float | None:
        return self.learners * 100 / self.population if self.population else None

    @property
    def coverage_rate(self) -> float | None:
        """People who apply AI effectively / population × 100."""
        return self.achieved * 100 / self.population if self.population else None

    @property
    def below_target(self) -> bool:
        rate = self.coverage_rate
        return self.target_rate is not None and rate is not None and rate < float(self.target_rate)


@dataclass(frozen=True)
class TrendPoint:
    """One calendar month: new learners (first enrolment in the campaign that month),
    follow-ups received and people newly counted as achieved (by follow-up month), with
    running totals."""

    month: date  # the first day of the month
    learners: int
    follow_ups: int
    achieved: int
    learners_total: int
    achieved_total: int


@dataclass(frozen=True)
class FrequencyRow:
    """A frequency indicator, separate from effective use: among follow-up respondents of a
    segment, how many use AI daily and how many at least weekly."""

    segment: str
    respondents: int
    daily: int
    weekly_or_more: int

    @property
    def daily_rate(self) -> float | None:
        return self.daily * 100 / self.respondents if self.respondents else None

    @property
    def weekly_rate(self) -> float | None:
        return self.weekly_or_more * 100 / self.respondents if self.respondents else None
