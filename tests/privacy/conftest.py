"""Fixtures of the personal-data tests: a province with two communes (Mù Cang Chải and Văn
Yên), a class in each, and a learner of class A identified through the real service (with
phone and follow-up consent), with a pre-test carrying answers, a passed post-test and a
completion certificate."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from surveyapp.certificates.services import issue_completion
from surveyapp.participants.services import IdentityFields, identify
from tests.journey.helpers import make_user
from tests.scoring.helpers import answer, scored
from tests.scoring.helpers import world as scoring_world

NAME = "Lò Thị Mai"
PHONE = "0912345678"
SECRET = "test-secret"
IDENTIFIED_AT = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


def identify_learner(cls, name=NAME, *, phone=PHONE, birth_year=1990, locality=None):
    fields = IdentityFields(
        full_name=name,
        birth_year=birth_year,
        gender="female",
        segment="resident",
        organisation="Hợp tác xã chè Văn Yên",
        locality=locality if locality is not None else cls.locality,
        phone=phone or "",
        follow_up=bool(phone),
    )
    return identify(cls, fields, evaluation_consent=True, secret=SECRET, now=IDENTIFIED_AT)


@pytest.fixture
def pw(f):
    w = scoring_world(f)
    w.admin = make_user("admin")
    w.coordinator_a = make_user("coordinator", w.a)
    w.coordinator_b = make_user("coordinator", w.b)
    w.coordinator_p = make_user("coordinator", w.province)
    w.learner = identify_learner(w.class_a)
    w.pre = answer(
        w.class_a,
        w.version,
        w.learner,
        "pre",
        {"q1": "a", "q2": "yes", "q3": ["a"], "essay": '=HYPERLINK("x") Tôi là Lò Thị Mai'},
    )
    w.post = scored(w.class_a, w.version, w.learner, "post", "8.5", minutes=60)
    w.certificate = issue_completion(w.learner, w.class_a, w.trainer_a)
    return w


def same_moment(stored, expected) -> bool:
    """SQLite gives back naive UTC datetimes, PostgreSQL aware ones."""
    if stored is None:
        return False
    if stored.tzinfo is None:
        stored = stored.replace(tzinfo=UTC)
    return stored == expected
