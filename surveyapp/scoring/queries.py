"""Learning gains and competency results of a campaign, read from the database.

A person's pre-test (post-test) in a campaign is their latest not-excluded response at
moment ``pre`` (``post``) to a ``skill_test`` instrument in a class of the campaign whose
locality lies in the chosen subtree; latest = greatest ``submitted_at``, then greatest id.
Its percent is ``score * 100 / max_score`` (a response without a score has none). Only the
per-person percents come out of SQL; the pure functions of ``gains`` pair and summarise them.

A group (a child locality, a segment) holds the people whose test was taken in it: a pair
is counted in a child locality when both its tests were taken in classes below that child.
``geography`` is that of ``indicators.kpi_types``: ``COLLECTED`` (the tree the classes were
registered in) or ``CURRENT`` (classes of older-scheme units count at the unit of
``head``'s scheme the crosswalk maps them to; see ``indicators.placement.located``).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from surveyapp.campaigns.models import Segment
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.indicators.kpi_types import COLLECTED
from surveyapp.indicators.placement import located
from surveyapp.instruments.models import Instrument, InstrumentKind, InstrumentVersion, Item
from surveyapp.localities.models import Locality
from surveyapp.participants.models import Participant
from surveyapp.responses.models import Answer, Moment, Response
from surveyapp.scoring import gains


@dataclass(frozen=True)
class PersonScore:
    """One person's percent at one moment, with where the test was taken and their segment."""

    participant_id: int
    moment: str
    percent: float
    child_id: int | None  # the child of the head holding the test's class (None: the head)
    segment: str


@dataclass(frozen=True)
class CompetencyResult:
    """Mean share of the points of one competency tag, at the pre-test and the post-test."""

    competency: str
    n_pre: int
    mean_pre: float | None
    n_post: int
    mean_post: float | None

    @property
    def change(self) -> float | None:
        if self.mean_pre is None or self.mean_post is None:
            return None
        return self.mean_post - self.mean_pre


def latest_tests(campaign, head: Locality, *, segment=None, class_id=None, geography=COLLECTED):
    """Subquery: every counted skill-test response in the subtree, ranked per person and
    moment (``rank`` 1 = the latest)."""
    place = located(head, geography)
    rank = sa.func.row_number().over(
        partition_by=(Response.participant_id, Response.moment),
        order_by=(Response.submitted_at.desc(), Response.id.desc()),
    )
    query = (
        sa.select(
            Response.id.label("response_id"),
            Response.participant_id.label("participant_id"),
            Response.moment.label("moment"),
            Response.version_id.label("version_id"),
            Response.score.label("score"),
            Response.max_score.label("max_score"),
            place.c.child_id.label("child_id"),
            Participant.segment.label("segment"),
            rank.label("rank"),
        )
        .join(TrainingClass, TrainingClass.id == Response.class_id)
        .join(place, place.c.locality_id == TrainingClass.locality_id)
        .join(InstrumentVersion, InstrumentVersion.id == Response.version_id)
        .join(Instrument, Instrument.id == InstrumentVersion.instrument_id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(
            TrainingClass.campaign_id == campaign.id,
            Instrument.kind == InstrumentKind.SKILL_TEST.value,
            Response.moment.in_((Moment.PRE.value, Moment.POST.value)),
            Response.excluded.is_(False),
        )
    )
    if segment is not None:
        query = query.where(Participant.segment == segment)
    if class_id is not None:
        query = query.where(Response.class_id == class_id)
    return query.subquery()


def person_scores(
    campaign, head: Locality, *, segment=None, class_id=None, geography=COLLECTED
) -> list[PersonScore]:
    """The percent of each person's latest pre-test and post-test (one SQL query)."""
    latest = latest_tests(campaign, head, segment=segment, class_id=class_id, geography=geography)
    percent = sa.cast(latest.c.score, sa.Float) * 100 / sa.cast(latest.c.max_score, sa.Float)
    rows = db.session.execute(
        sa.select(
            latest.c.participant_id, latest.c.moment, percent, latest.c.child_id, latest.c.segment
        ).where(latest.c.rank == 1, latest.c.score.is_not(None), latest.c.max_score > 0)
    ).all()
    return [PersonScore(r[0], r[1], min(100.0, max(0.0, float(r[2]))), r[3], r[4]) for r in rows]


def summarise(scores: list[PersonScore]) -> gains.GainSummary:
    """Pair the pre- and post-test percents of the same people and summarise the gains."""
    pre = {s.participant_id: s.percent for s in scores if s.moment == Moment.PRE}
    post = {s.participant_id: s.percent for s in scores if s.moment == Moment.POST}
    return gains.summarise(gains.match_pairs(pre, post))


def gain_summary(
    campaign, head: Locality, *, segment=None, class_id=None, geography=COLLECTED
) -> gains.GainSummary:
    """Gains of the matched pre/post pairs of ``campaign`` in ``head``'s subtree."""
    return summarise(
        person_scores(campaign, head, segment=segment, class_id=class_id, geography=geography)
    )


def children_of(head: Locality) -> list[Locality]:
    return list(
        db.session.scalars(
            sa.select(Locality).where(Locality.parent_id == head.id).order_by(Locality.name)
        )
    )


def gains_by_child(
    campaign, head: Locality, *, geography=COLLECTED
) -> list[tuple[Locality, gains.GainSummary]]:
    """``(child, gains)`` for every child locality of ``head`` (empty groups included)."""
    scores = person_scores(campaign, head, geography=geography)
    return [
        (child, summarise([s for s in scores if s.child_id == child.id]))
        for child in children_of(head)
    ]


def gains_by_segment(
    campaign, head: Locality, *, geography=COLLECTED
) -> list[tuple[str, gains.GainSummary]]:
    """``(segment, gains)`` for every segment, in ``Segment`` order (empty groups included)."""
    return segment_gains(person_scores(campaign, head, geography=geography))


def segment_gains(scores: list[PersonScore]) -> list[tuple[str, gains.GainSummary]]:
    """``gains_by_segment`` from already read ``person_scores``."""
    return [
        (segment.value, summarise([s for s in scores if s.segment == segment.value]))
        for segment in Segment
    ]


def competency_results(
    campaign, head: Locality, *, geography=COLLECTED, class_id: int | None = None
) -> list[CompetencyResult]:
    """Per competency tag: mean share of its points in the latest pre- and post-tests
    (of one class when ``class_id`` is given).

    Share of a response = points earned on the tag's items / points of the tag's items in
    its version (unanswered or unmarked answers earn 0). One SQL query.
    """
    latest = latest_tests(campaign, head, geography=geography, class_id=class_id)
    chosen = (
        sa.select(latest.c.response_id, latest.c.moment, latest.c.version_id)
        .where(latest.c.rank == 1)
        .subquery()
    )
    tagged = sa.and_(Item.points > 0, Item.competency != "")
    possible = (
        sa.select(Item.version_id, Item.competency, sa.func.sum(Item.points).label("possible"))
        .where(tagged, Item.version_id.in_(sa.select(chosen.c.version_id)))
        .group_by(Item.version_id, Item.competency)
        .subquery()
    )
    earned = (
        sa.select(
            Answer.response_id,
            Item.competency,
            sa.func.sum(sa.func.coalesce(Answer.points, 0)).label("earned"),
        )
        .join(Item, Item.id == Answer.item_id)
        .where(tagged, Answer.response_id.in_(sa.select(chosen.c.response_id)))
        .group_by(Answer.response_id, Item.competency)
        .subquery()
    )
    share = sa.cast(sa.func.coalesce(earned.c.earned, 0), sa.Float) / sa.cast(
        possible.c.possible, sa.Float
    )
    rows = db.session.execute(
        sa.select(possible.c.competency, chosen.c.moment, sa.func.avg(share), sa.func.count())
        .select_from(chosen)
        .join(possible, possible.c.version_id == chosen.c.version_id)
        .outerjoin(
            earned,
            sa.and_(
                earned.c.response_id == chosen.c.response_id,
                earned.c.competency == possible.c.competency,
            ),
        )
        .group_by(possible.c.competency, chosen.c.moment)
    ).all()
    found: dict[str, dict[str, tuple[float, int]]] = {}
    for competency, moment, mean, n in rows:
        found.setdefault(competency, {})[moment] = (float(mean), int(n))
    return [_competency(tag, found[tag]) for tag in sorted(found)]


def _competency(tag: str, by_moment: dict[str, tuple[float, int]]) -> CompetencyResult:
    pre_mean, pre_n = by_moment.get(Moment.PRE.value, (None, 0))
    post_mean, post_n = by_moment.get(Moment.POST.value, (None, 0))
    return CompetencyResult(tag, pre_n, pre_mean, post_n, post_mean)
