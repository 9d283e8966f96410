"""A plain-Python reading of the synthetic province's KPIs, straight from the contract.

Slow (it loads rows), so only for tiny provinces: it proves that the hand-written SQL of the
benchmark computes what ``indicators.rule.evaluate`` says, independently of ``kpi_table``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from surveyapp.campaigns.models import CoreMember, Material
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.indicators.models import ExampleReview
from surveyapp.indicators.rule import (
    ACHIEVED,
    DEFAULT_RULE,
    NOT_ASSESSABLE,
    NOT_YET,
    PARTLY,
    TOO_EARLY,
    PersonEvidence,
    evaluate,
)
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.localities.models import Locality, path_upper_bound
from surveyapp.participants.models import Enrolment
from surveyapp.responses.models import Answer, Response

SAFETY = "privacy_safety"


def _utc_date(moment: datetime):
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def _latest(responses: list[Response], moment: str, versions: set[int] | None = None):
    chosen: dict[int, Response] = {}
    for r in responses:
        if (
            r.moment != moment
            or r.excluded
            or (versions is not None and r.version_id not in versions)
        ):
            continue
        best = chosen.get(r.participant_id)
        if best is None or (r.submitted_at, r.id) > (best.submitted_at, best.id):
            chosen[r.participant_id] = r
    return chosen


def _answers(response: Response) -> dict[str, tuple[Answer, Item]]:
    rows = db.session.execute(
        sa.select(Answer, Item)
        .join(Item, Item.id == Answer.item_id)
        .where(Answer.response_id == response.id)
    )
    return {item.key: (answer, item) for answer, item in rows}


def _post_evidence(post: Response | None) -> tuple[float | None, float | None]:
    if post is None:
        return None, None
    percent = float(post.score) * 100 / float(post.max_score) if post.max_score else None
    total = sum(
        float(i.points)
        for i in db.session.scalars(sa.select(Item).where(Item.version_id == post.version_id))
        if i.competency == SAFETY
    )
    got = [float(a.points or 0) for a, i in _answers(post).values() if i.competency == SAFETY]
    share = sum(got) / total if total and got else None
    return percent, share


def _evidence(follow_up: Response | None, post: Response | None, end_dates) -> PersonEvidence:
    percent, share = _post_evidence(post)
    if follow_up is None:
        return PersonEvidence(post_percent=percent, safety_share=share)
    answers = _answers(follow_up)
    review = db.session.scalar(
        sa.select(ExampleReview).where(ExampleReview.response_id == follow_up.id)
    )

    def value(key):
        return answers[key][0].value if key in answers else None

    def number(key):
        return int(answers[key][0].number) if key in answers else None

    return PersonEvidence(
        days_after_class=(_utc_date(follow_up.submitted_at) - end_dates[follow_up.class_id]).days,
        ai_frequency=value("ai_frequency"),
        purposes=value("ai_purposes") or [],
        example_accepted=None if review is None else review.status == "accepted",
        example_quality_gain=bool(review and review.quality_gain),
        verifies_outputs=number("verifies_outputs"),
        enters_personal_data=number("enters_personal_data"),
        post_percent=percent,
        safety_share=share,
        time_saved=value("time_saved"),
    )


def outcomes(campaign) -> list[tuple[str, object]]:
    """(home locality path, Outcome) of every learner of ``campaign``."""
    classes = {
        c.id: c
        for c in db.session.scalars(
            sa.select(TrainingClass).where(TrainingClass.campaign_id == campaign.id)
        )
    }
    paths = {lid: path for lid, path in db.session.execute(sa.select(Locality.id, Locality.path))}
    home: dict[int, int] = {}
    for e in db.session.scalars(
        sa.select(Enrolment).where(Enrolment.class_id.in_(classes)).order_by(Enrolment.id)
    ):
        home.setdefault(e.participant_id, e.class_id)
    responses = list(db.session.scalars(sa.select(Response).where(Response.class_id.in_(classes))))
    skill = set(
        db.session.scalars(
            sa.select(InstrumentVersion.id).join(Instrument).where(Instrument.kind == "skill_test")
        )
    )
    follow_ups, posts = _latest(responses, "follow_up"), _latest(responses, "post", skill)
    end_dates = {cid: c.end_date for cid, c in classes.items()}
    return [
        (
            paths[classes[class_id].locality_id],
            evaluate(DEFAULT_RULE, _evidence(follow_ups.get(pid), posts.get(pid), end_dates)),
        )
        for pid, class_id in home.items()
    ]


def _registered(campaign) -> list[tuple[str, str]]:
    """(metric, locality path) of core members, classes, materials, excluded responses."""
    rows = []
    for model, name in (
        (CoreMember, "core_members"),
        (TrainingClass, "classes"),
        (Material, "materials"),
    ):
        query = sa.select(Locality.path).join(model, model.locality_id == Locality.id)
        rows += [
            (name, p) for p in db.session.scalars(query.where(model.campaign_id == campaign.id))
        ]
    excluded = (
        sa.select(Locality.path)
        .join(TrainingClass, TrainingClass.locality_id == Locality.id)
        .join(Response, Response.class_id == TrainingClass.id)
        .where(TrainingClass.campaign_id == campaign.id, Response.excluded.is_(True))
    )
    return rows + [("excluded_responses", p) for p in db.session.scalars(excluded)]


def python_counts(campaign, head: Locality) -> dict[int, dict[str, int]]:
    people, things = outcomes(campaign), _registered(campaign)
    heads = [head, *db.session.scalars(sa.select(Locality).where(Locality.parent_id == head.id))]
    out = {}
    for h in heads:
        upper = path_upper_bound(h.path)
        mine = [o for path, o in people if h.path <= path < upper]
        counts = {
            name: 0 for name in ("core_members", "classes", "materials", "excluded_responses")
        }
        for name, path in things:
            counts[name] += h.path <= path < upper
        out[h.id] = {
            **counts,
            "learners": len(mine),
            "effective_appliers": sum(o.status == ACHIEVED for o in mine),
            "respondents": sum(o.status != NOT_ASSESSABLE for o in mine),
            "too_early": sum(o.failed == (TOO_EARLY,) for o in mine),
            "partly": sum(o.status == PARTLY for o in mine),
            "not_yet": sum(o.status == NOT_YET for o in mine),
        }
    return out
