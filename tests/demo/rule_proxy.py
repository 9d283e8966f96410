"""The demo's follow-ups read through the default "applies AI effectively" rule (DOMAIN §3).

Only to check that the demo data has the size the pilot reported (600 of 2,500 learners).
The evidence of each person is gathered here from the generated rows and classified by
the platform's own pure rule (``surveyapp.indicators.rule.evaluate`` with
``DEFAULT_RULE``); the indicator that gathers evidence from real data, with examples
accepted by trainers, comes in a later issue. Until then an example counts as accepted
when it is at least 30 characters long (the demo's vague answers are shorter), and as
describing a quality gain when it holds one of the demo's quality-gain sentences.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from surveyapp.classes.models import TrainingClass
from surveyapp.demo.answer_texts import ALL_QUALITY_GAINS
from surveyapp.extensions import db
from surveyapp.indicators.rule import ACHIEVED, DEFAULT_RULE, PARTLY, PersonEvidence, evaluate
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.responses.models import Answer, Response

ACCEPTED_LENGTH = 30


def kind_moment(kind: str, moment: str) -> sa.Select:
    """Responses to instruments of ``kind`` given at ``moment``."""
    return (
        sa.select(Response)
        .join(InstrumentVersion, Response.version_id == InstrumentVersion.id)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(Instrument.kind == kind, Response.moment == moment)
    )


# ---------------------------------------------------------------- the rule, read here


@dataclass
class RuleCount:
    follow_ups: int  # assessable: sent at least 30 days after the class
    met: int  # distinct people meeting every condition ("đạt")
    partly: int  # conditions 1 and 4 hold, not all ("đạt một phần")


def _answers_by_response(response_ids) -> dict[int, dict[str, Answer]]:
    found: dict[int, dict[str, Answer]] = defaultdict(dict)
    rows = db.session.execute(
        sa.select(Answer, Item.key)
        .join(Item, Answer.item_id == Item.id)
        .where(Answer.response_id.in_(response_ids))
    )
    for answer, key in rows:
        found[answer.response_id][key] = answer
    return found


def _post_tests(campaign_id: int) -> dict[int, tuple[float, float]]:
    """Per person: the best post-test (percent, share of the safety points)."""
    safety = (
        sa.select(Answer.response_id, sa.func.sum(Answer.points).label("got"))
        .join(Item, Answer.item_id == Item.id)
        .where(Item.competency == "privacy_safety")
        .group_by(Answer.response_id)
        .subquery()
    )
    safety_max = (
        sa.select(Item.version_id, sa.func.sum(Item.points).label("top"))
        .where(Item.competency == "privacy_safety", Item.points > 0)
        .group_by(Item.version_id)
        .subquery()
    )
    query = (
        kind_moment("skill_test", "post")
        .join(TrainingClass, Response.class_id == TrainingClass.id)
        .outerjoin(safety, safety.c.response_id == Response.id)
        .join(safety_max, safety_max.c.version_id == Response.version_id)
        .where(TrainingClass.campaign_id == campaign_id)
        .with_only_columns(
            Response.participant_id, Response.score, Response.max_score, safety.c.got,
            safety_max.c.top,
        )
    )  # fmt: skip
    best: dict[int, tuple[float, float]] = {}
    for person, score, top_score, got, top in db.session.execute(query):
        measured = (float(score * 100 / top_score), float((got or 0) / top))
        best[person] = max(best.get(person, measured), measured)
    return best


def rule_proxy(campaign_id: int) -> RuleCount:
    """Distinct people of the campaign the default rule counts as achieved, or partly."""
    follow_ups = db.session.execute(
        kind_moment("follow_up", "follow_up")
        .join(TrainingClass, Response.class_id == TrainingClass.id)
        .where(TrainingClass.campaign_id == campaign_id)
        .with_only_columns(
            Response.id, Response.participant_id, Response.submitted_at, TrainingClass.end_date
        )  # fmt: skip
    ).all()
    answers = _answers_by_response([f[0] for f in follow_ups])
    posts = _post_tests(campaign_id)
    statuses: dict[str, set[int]] = defaultdict(set)
    for response_id, person, submitted_at, end_date in follow_ups:
        value = {key: answer.value for key, answer in answers[response_id].items()}.get
        example = value("example") or ""
        post_percent, safety_share = posts.get(person, (None, None))
        evidence = PersonEvidence(
            days_after_class=(submitted_at.date() - end_date).days,
            ai_frequency=value("ai_frequency"),
            purposes=value("ai_purposes") or [],
            example_accepted=len(example) >= ACCEPTED_LENGTH,
            example_quality_gain=any(gain in example for gain in ALL_QUALITY_GAINS),
            verifies_outputs=value("verifies_outputs"),
            enters_personal_data=value("enters_personal_data"),
            post_percent=post_percent,
            safety_share=safety_share,
            time_saved=value("time_saved"),
        )
        outcome = evaluate(DEFAULT_RULE, evidence)
        statuses[outcome.status].add(person)
        statuses["counted"].update([person] if outcome.counted else [])
    met = statuses[ACHIEVED]
    return RuleCount(len(statuses["counted"]), len(met), len(statuses[PARTLY] - met))
