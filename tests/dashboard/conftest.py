"""A small hand-built campaign for the dashboard tests.

Province "Tỉnh Thử" with communes A (Xã Mù Cang Chải) and B (Xã Văn Yên). Five learners:
in A two residents of class a1 (one achieves, one does not yet) and one official of class
a2 (only an excluded follow-up); in B two residents of class b1 (one achieves, one answered
too early). Plans make A below plan for learners and B on plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from surveyapp.campaigns.models import CoreMember, Material, Population, Target
from surveyapp.extensions import db
from surveyapp.responses.models import ClassForm
from tests.indicators.kpi_builders import Evidence, KpiData

GOOD = dict(
    frequency="daily",
    purposes=["writing"],
    time_saved="h1_3",
    verifies=5,
    personal=1,
    example="Soạn công văn nhanh hơn",
    review=("accepted", True),
    score=Decimal(90),
)


@dataclass
class World:
    province: object
    a: object
    b: object
    campaign: object
    classes: dict


def _targets(campaign, plans: dict) -> None:
    for locality, values in plans.items():
        for metric, value in values.items():
            db.session.add(Target(campaign=campaign, locality=locality, metric=metric, value=value))


def _people(data: KpiData, classes: dict) -> None:
    a1, a2, b1 = classes["a1"], classes["a2"], classes["b1"]
    later = a1.end_date + timedelta(days=40)
    achiever = data.person(a1, name="Lò Văn Páo")
    data.evidence(achiever, a1, Evidence(follow_up_on=later, **GOOD))
    data.response(
        achiever,
        a1,
        data.skill_version,
        "pre",
        on=a1.start_date,
        hour=8,
        score=Decimal(40),
        max_score=Decimal(100),
    )
    waiting = data.person(a1)
    data.evidence(waiting, a1, Evidence(follow_up_on=later, **{**GOOD, "frequency": "never"}))
    official = data.person(a2, segment="official")
    data.evidence(
        official, a2, Evidence(follow_up_on=later + timedelta(days=30), **GOOD), excluded=True
    )
    b_good = data.person(b1)
    data.evidence(b_good, b1, Evidence(follow_up_on=b1.end_date + timedelta(days=45), **GOOD))
    data.response(
        b_good,
        b1,
        data.skill_version,
        "pre",
        on=b1.start_date,
        hour=8,
        score=Decimal(60),
        max_score=Decimal(100),
    )
    early = data.person(b1, enrolled_on=date(2026, 4, 2))
    data.evidence(early, b1, Evidence(follow_up_on=b1.end_date + timedelta(days=10), **GOOD))


@pytest.fixture
def world(f) -> World:
    province, a, b = f.tree()
    campaign = f.campaign(province, name="Bình dân học AI <2026>")
    classes = {
        "a1": f.training_class(campaign, a, start_date=date(2026, 3, 2), end_date=date(2026, 3, 3)),
        "a2": f.training_class(
            campaign, a, segment="official", start_date=date(2026, 4, 6), end_date=date(2026, 4, 7)
        ),
        "b1": f.training_class(
            campaign, b, start_date=date(2026, 3, 9), end_date=date(2026, 3, 10)
        ),
    }
    _targets(
        campaign,
        {
            province: {
                "learners": 10,
                "classes": 3,
                "core_members": 2,
                "materials": 2,
                "effective_appliers": 4,
            },
            a: {"learners": 6, "effective_appliers": 1},
            b: {"learners": 2, "effective_appliers": 1},
        },
    )
    db.session.add_all(
        [
            CoreMember(
                campaign=campaign, locality=a, full_name="Giàng A Sử", joined_on=date(2026, 2, 1)
            ),
            CoreMember(
                campaign=campaign,
                locality=b,
                full_name="Hà Thị Lan",
                joined_on=date(2026, 5, 1),
                segment="resident",
            ),
            Material(
                campaign=campaign, locality=province, title="Sổ tay", published_on=date(2026, 2, 1)
            ),
            Material(campaign=campaign, locality=a, title="Video", published_on=date(2026, 3, 1)),
            Population(
                campaign=campaign,
                locality=province,
                segment="resident",
                population=1000,
                target_rate=Decimal("50"),
            ),
            Population(
                campaign=campaign,
                locality=province,
                segment="official",
                population=10,
                target_rate=Decimal("100"),
            ),
        ]
    )
    db.session.flush()
    data = KpiData()
    _people(data, classes)
    db.session.add(
        ClassForm(class_id=classes["a1"].id, version_id=data.skill_version.id, moment="post")
    )
    db.session.flush()
    return World(province, a, b, campaign, classes)
