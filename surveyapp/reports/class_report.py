"""The one-page class report for trainers: what one class gave, read from the database.

Every figure comes from the same services as the dashboard, narrowed to the class:
learning gains from ``scoring.queries.gain_summary(..., class_id=...)`` (the latest
counted pre- and post-test each learner took in this class), follow-up outcomes from
``indicators.people.person_outcomes`` restricted to the learners whose home class (first
enrolment in the campaign) is this one, aggregated in SQL. Results per competency use the
formula of ``scoring.queries.competency_results`` on this class's tests only. The
satisfaction mean is the mean Likert point of the ``satisfaction`` item of the post-class
survey (not excluded responses).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from surveyapp.accounts.models import User
from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.indicators.people import person_outcomes
from surveyapp.indicators.rule import ACHIEVED, NOT_ASSESSABLE, NOT_YET, PARTLY
from surveyapp.instruments.models import Instrument, InstrumentKind, InstrumentVersion, Item
from surveyapp.localities.models import Locality
from surveyapp.participants.models import Enrolment
from surveyapp.responses.models import Answer, Moment, Response
from surveyapp.scoring import gains
from surveyapp.scoring.queries import CompetencyResult, competency_results, gain_summary

SATISFACTION_KEY = "satisfaction"


@dataclass(frozen=True)
class MomentCount:
    """Responses of the class at one moment: counted, excluded by reviewers, and people."""

    moment: str
    counted: int = 0
    excluded: int = 0
    people: int = 0


@dataclass(frozen=True)
class ClassOutcomes:
    """Follow-up outcomes of the learners whose home class is this one (all distinct people)."""

    learners: int = 0
    respondents: int = 0
    too_early: int = 0
    achieved: int = 0
    partly: int = 0
    not_yet: int = 0

    @property
    def achieved_rate(self) -> float | None:
        return self.achieved * 100 / self.respondents if self.respondents else None


@dataclass(frozen=True)
class ClassReport:
    cls: TrainingClass
    campaign: Campaign
    locality: Locality
    trainers: list[User]
    enrolled: int
    moments: list[MomentCount]
    gains: gains.GainSummary
    competencies: list[CompetencyResult]
    outcomes: ClassOutcomes
    satisfaction: float | None
    satisfaction_n: int
    generated_on: date


def enrolled_count(cls: TrainingClass) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Enrolment.id)).where(Enrolment.class_id == cls.id)
    )


def moment_counts(cls: TrainingClass) -> list[MomentCount]:
    """Per moment (pre, post, follow-up, in that order): responses of any instrument."""
    excluded = sa.case((Response.excluded.is_(True), 1), else_=0)
    counted_person = sa.case((Response.excluded.is_(False), Response.participant_id))
    rows = db.session.execute(
        sa.select(
            Response.moment,
            sa.func.count(Response.id) - sa.func.sum(excluded),
            sa.func.sum(excluded),
            sa.func.count(sa.distinct(counted_person)),
        )
        .where(Response.class_id == cls.id)
        .group_by(Response.moment)
    ).all()
    found = {row[0]: MomentCount(row[0], int(row[1]), int(row[2]), int(row[3])) for row in rows}
    return [found.get(moment.value, MomentCount(moment.value)) for moment in Moment]


def class_competencies(cls: TrainingClass) -> list[CompetencyResult]:
    """``competency_results`` for the latest counted pre- and post-tests taken in ``cls``."""
    return competency_results(cls.campaign, cls.locality, class_id=cls.id)


def class_outcomes(cls: TrainingClass) -> ClassOutcomes:
    """Outcomes of ``person_outcomes`` for the learners whose home class is ``cls`` (SQL)."""
    people = person_outcomes(cls.campaign, cls.locality).order_by(None).subquery()
    outcome = people.c.outcome

    def count_if(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        sa.select(
            sa.func.count(),
            count_if(outcome != NOT_ASSESSABLE),
            count_if(sa.and_(outcome == NOT_ASSESSABLE, people.c.days_after_class.is_not(None))),
            count_if(outcome == ACHIEVED),
            count_if(outcome == PARTLY),
            count_if(outcome == NOT_YET),
        ).where(people.c.class_id == cls.id)
    ).one()
    return ClassOutcomes(*(int(value) for value in row))


def satisfaction(cls: TrainingClass) -> tuple[float | None, int]:
    """Mean Likert point (and how many answers) of the post-class survey's satisfaction item."""
    mean, n = db.session.execute(
        sa.select(sa.func.avg(sa.cast(Answer.number, sa.Float)), sa.func.count(Answer.number))
        .join(Response, Response.id == Answer.response_id)
        .join(Item, Item.id == Answer.item_id)
        .join(InstrumentVersion, InstrumentVersion.id == Response.version_id)
        .join(Instrument, Instrument.id == InstrumentVersion.instrument_id)
        .where(
            Response.class_id == cls.id,
            Response.moment == Moment.POST.value,
            Response.excluded.is_(False),
            Instrument.kind == InstrumentKind.POST_SURVEY.value,
            Item.key == SATISFACTION_KEY,
            Answer.number.is_not(None),
        )
    ).one()
    return (None if mean is None else float(mean)), int(n)


def build(cls: TrainingClass, *, today: date) -> ClassReport:
    """Everything the class report shows, for ``cls`` as of ``today``."""
    mean, n = satisfaction(cls)
    return ClassReport(
        cls=cls,
        campaign=cls.campaign,
        locality=cls.locality,
        trainers=list(cls.trainers),
        enrolled=enrolled_count(cls),
        moments=moment_counts(cls),
        gains=gain_summary(cls.campaign, cls.locality, class_id=cls.id),
        competencies=class_competencies(cls),
        outcomes=class_outcomes(cls),
        satisfaction=mean,
        satisfaction_n=n,
        generated_on=today,
    )
