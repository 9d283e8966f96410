"""Fixtures of the class tests: a small province with users of every role, and clients.

Users are made with one precomputed password hash (hashing costs ~0.1 s each) and logged
in by writing the Flask-Login session; ``test_views.py`` logs in once through the form.
"""

from __future__ import annotations

import secrets
from datetime import date
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from surveyapp.accounts.models import User
from surveyapp.classes.services import generate_access_code
from surveyapp.extensions import db

PASSWORD = "password123"
_HASH = generate_password_hash(PASSWORD)


def make_user(role: str, locality=None, name: str | None = None) -> User:
    token = secrets.token_hex(6)
    user = User(
        email=f"{role}-{token}@example.vn",
        name=name or f"{role.title()} {token}",
        role=role,
        password_hash=_HASH,
        session_token=secrets.token_hex(16),
    )
    user.locality = locality
    db.session.add(user)
    db.session.flush()
    return user


def make_class(f, campaign, locality, trainers=(), **kwargs):
    """A class with a real access code (the shared factory's codes use 0 and 1)."""
    kwargs.setdefault("access_code", generate_access_code())
    cls = f.training_class(campaign, locality, **kwargs)
    cls.trainers = list(trainers)
    db.session.flush()
    return cls


@pytest.fixture
def world(f):
    """Province with communes A (Mù Cang Chải) and B (Văn Yên); one class in each."""
    province, a, b = f.tree()
    campaign = f.campaign(province, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    w = SimpleNamespace(province=province, a=a, b=b, campaign=campaign)
    w.admin = make_user("admin")
    w.coord_p = make_user("coordinator", province)
    w.coord_a = make_user("coordinator", a)
    w.coord_b = make_user("coordinator", b)
    w.trainer_a = make_user("trainer", a, name="Nguyễn Văn Tâm")
    w.trainer_a2 = make_user("trainer", a, name="Lò Thị Mai")
    w.trainer_b = make_user("trainer", b, name="Hoàng Văn Bình")
    w.trainer_p = make_user("trainer", province, name="Trần Thị Hà")
    w.evaluator_a = make_user("evaluator", a)
    w.evaluator_b = make_user("evaluator", b)
    w.judge_a = make_user("judge", a)
    w.class_a = make_class(f, campaign, a, [w.trainer_a], title="Lớp AI Mù Cang Chải")
    w.class_b = make_class(f, campaign, b, [w.trainer_b], title="Lớp AI Văn Yên")
    return w


def class_form(w, **overrides) -> dict:
    """A valid class form for commune A of the world's campaign."""
    data = {
        "title": "Lớp bình dân học AI – thôn Đồng Tâm",
        "segment": "official",
        "locality": str(w.a.id),
        "start_date": "2026-03-10",
        "end_date": "2026-03-11",
        "venue": "Nhà văn hóa thôn Đồng Tâm",
        "capacity": "40",
        "trainers": [str(w.trainer_a.id)],
    }
    data.update(overrides)
    return data
