"""Factories that build valid objects with as little typing as possible.

They add and flush but never commit; the test's transaction is rolled back afterwards.
"""

from __future__ import annotations

import functools
import itertools
import secrets
from datetime import date

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from surveyapp.accounts.models import User
from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.localities.models import Locality, LocalityScheme

_seq = itertools.count(1)


@functools.cache
def _password_hash(password: str) -> str:
    """Hashing is deliberately slow; tests reuse one hash per password."""
    return generate_password_hash(password)


class Factories:
    def scheme(self, code: str = "2025", name: str | None = None, effective_from=None):
        existing = db.session.scalar(sa.select(LocalityScheme).where(LocalityScheme.code == code))
        if existing:
            return existing
        scheme = LocalityScheme(
            code=code,
            name=name or f"Scheme {code}",
            effective_from=effective_from or date(int(code[:4]), 7, 1),
        )
        db.session.add(scheme)
        db.session.flush()
        return scheme

    def locality(self, name=None, *, parent=None, code=None, kind=None, scheme="2025"):
        scheme_obj = parent.scheme if parent is not None else self.scheme(scheme)
        n = next(_seq)
        loc = Locality(
            scheme_id=scheme_obj.id,
            code=code or f"{n:05d}",
            name=name or f"Xã Thử {n}",
            kind=kind or ("province" if parent is None else "commune"),
        )
        db.session.add(loc)
        db.session.flush()
        loc.set_parent(parent)
        db.session.flush()
        return loc

    def tree(self, scheme="2025"):
        """A small province: two communes (siblings) and, in scheme 2024, a district level."""
        province = self.locality("Tỉnh Thử", scheme=scheme, kind="province")
        a = self.locality("Xã Mù Cang Chải", parent=province)
        b = self.locality("Xã Văn Yên", parent=province)
        return province, a, b

    def user(self, role="coordinator", locality=None, *, email=None, password="password123"):
        n = next(_seq)
        user = User(email=email or f"user{n}@example.vn", name=f"Người dùng {n}", role=role)
        user.locality = locality
        user.password_hash = _password_hash(password)
        user.session_token = secrets.token_hex(16)
        db.session.add(user)
        db.session.flush()
        return user

    def campaign(self, root, **kwargs):
        n = next(_seq)
        values = dict(
            name=f"Chiến dịch {n}",
            root_locality=root,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            status="active",
        )
        values.update(kwargs)
        campaign = Campaign(**values)
        db.session.add(campaign)
        db.session.flush()
        return campaign

    def training_class(self, campaign, locality, **kwargs):
        n = next(_seq)
        values = dict(
            campaign=campaign,
            locality=locality,
            title=f"Lớp bình dân học AI số {n}",
            segment="resident",
            start_date=date(2026, 3, 1),
            end_date=date(2026, 3, 1),
            access_code=f"T{n:05d}",
        )
        values.update(kwargs)
        cls = TrainingClass(**values)
        db.session.add(cls)
        db.session.flush()
        return cls
