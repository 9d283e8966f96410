"""Fixtures of the certificate tests: a province with two communes, a class in each, a
skill test, and learners with post-class results (from the scoring test builders)."""

from __future__ import annotations

import pytest

from surveyapp.extensions import db
from surveyapp.indicators.models import IndicatorRule
from surveyapp.indicators.rule import Rule
from tests.journey.helpers import make_user
from tests.scoring.helpers import person, scored
from tests.scoring.helpers import world as scoring_world

HOLDER = "Lò Thị Mai Văn Yên"


@pytest.fixture
def cw(f):
    """``scoring.helpers.world`` plus staff and a learner of class A who passed (85%)."""
    w = scoring_world(f)
    w.campaign.issuing_body = "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH LÀO CAI"
    w.coordinator_p = make_user("coordinator", w.province)
    w.coordinator_b = make_user("coordinator", w.b)
    w.evaluator_a = make_user("evaluator", w.a)
    w.admin = make_user("admin")
    w.passed = person(w.class_a, name=HOLDER)
    w.passed.phone = "0912345678"
    scored(w.class_a, w.version, w.passed, "pre", 4)
    w.post = scored(w.class_a, w.version, w.passed, "post", "8.5", minutes=60)
    return w


def set_min_post_percent(campaign, value: float, version: int = 2) -> None:
    """Store a new version of the campaign's rule with this post-test threshold."""
    rule = Rule(version=version, min_post_percent=value)
    db.session.add(
        IndicatorRule(campaign_id=campaign.id, version=version, definition=rule.to_dict())
    )
    db.session.flush()


def identified(client, cls, learner) -> None:
    """Mark ``learner`` as the person identified on this client's device for ``cls``."""
    with client.session_transaction() as session:
        session["who"] = {str(cls.id): learner.id}
