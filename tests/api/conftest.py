"""API test fixtures: bearer-token clients and a small province with results."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from surveyapp.api.tokens import issue_token
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.participants.models import Enrolment, Participant
from surveyapp.responses.models import Answer, ClassForm, Response

_n = itertools.count(1)


class ApiClient:
    """GETs with ``Authorization: Bearer <token>`` of one user (or no header at all)."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def get(self, url: str, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return self.client.get(url, headers=headers, **kwargs)


@pytest.fixture
def api(app, f):
    """``api(user)`` -> a client sending a fresh token of ``user``; ``api(None)``: anonymous."""

    def _api(user):
        token = issue_token(user, name="tests")[1] if user is not None else None
        return ApiClient(app.test_client(), token)

    return _api


@dataclass
class World:
    province: object
    a: object
    b: object
    campaign: object
    classes: dict = field(default_factory=dict)
    version: object = None
    responses: list = field(default_factory=list)


CHOICES = [{"value": v, "label": {"vi": v.upper()}} for v in ("a", "b", "c")]


def skill_test():
    instrument = Instrument(
        key=f"test-{next(_n)}", kind="skill_test", title={"vi": "Bài kiểm tra kỹ năng AI"}
    )
    version = InstrumentVersion(instrument=instrument, number=1, title={"vi": "Bài kiểm tra"})
    for position, key in enumerate(("q1", "q2", "q3"), start=1):
        version.items.append(
            Item(
                key=key,
                position=position,
                qtype="single_choice",
                label={"vi": f"Câu hỏi số {position}"},
                choices=CHOICES,
                answer_key="a",
                points=Decimal(1),
                competency="privacy_safety" if key == "q3" else "basics",
            )
        )
    db.session.add_all([instrument, version])
    db.session.flush()
    return version


def add_response(cls, version, chosen: list[str], *, excluded=False, segment="resident"):
    """A post-test response of a new participant enrolled in ``cls``."""
    n = next(_n)
    person = Participant(
        public_id=f"P{n:06d}",
        full_name=f"Lò Văn {n}",
        segment=segment,
        locality_id=cls.locality_id,
        identity_key=f"{n:064d}",
        follow_up_token=f"{n:032d}",
    )
    form = db.session.query(ClassForm).filter_by(class_id=cls.id, moment="post").first()
    if form is None:
        form = ClassForm(class_id=cls.id, version_id=version.id, moment="post", is_open=True)
        db.session.add(form)
    db.session.add(person)
    db.session.flush()
    db.session.add(Enrolment(participant_id=person.id, class_id=cls.id))
    response = Response(
        submission_id=f"sub-{n}",
        receipt_code=f"R{n:08d}",
        class_id=cls.id,
        version_id=version.id,
        class_form_id=form.id,
        moment="post",
        participant_id=person.id,
        locality_id=cls.locality_id,
        submitted_at=datetime(2026, 3, 2, 8, 30, tzinfo=UTC),
        score=Decimal(sum(1 for c in chosen if c == "a")),
        max_score=Decimal(len(version.items)),
        excluded=excluded,
    )
    for item, value in zip(version.items, chosen, strict=True):
        points = Decimal(1) if value == "a" else Decimal(0)
        response.answers.append(Answer(item_id=item.id, value=value, points=points))
    db.session.add(response)
    db.session.flush()
    return response


@pytest.fixture
def world(f):
    """Province "Tỉnh Thử" with communes Mù Cang Chải (a) and Văn Yên (b); a province-wide
    campaign with two classes in a and one in b; a skill test answered in each class."""
    province, a, b = f.tree()
    campaign = f.campaign(province, name="Chiến dịch Bình dân học AI tỉnh Thử")
    w = World(province, a, b, campaign)
    w.classes = {
        "a1": f.training_class(campaign, a, title="Lớp AI cho cán bộ xã Mù Cang Chải"),
        "a2": f.training_class(campaign, a, title="Lớp AI cho hộ kinh doanh"),
        "b1": f.training_class(campaign, b, title="Lớp AI xã Văn Yên"),
    }
    w.version = skill_test()
    patterns = {
        "a1": [["a", "a", "a"], ["a", "b", "a"], ["b", "b", "c"]],
        "a2": [["a", "a", "b"]],
        "b1": [["a", "c", "a"], ["c", "c", "c"]],
    }
    for key, rows in patterns.items():
        for chosen in rows:
            w.responses.append(add_response(w.classes[key], w.version, chosen))
    w.responses.append(add_response(w.classes["b1"], w.version, ["a", "a", "a"], excluded=True))
    return w
