"""Units of the example review queue (``indicators.reviews``).

``ReviewWorld`` builds a province with two communes, a campaign, three classes with their
own trainers and follow-up responses; the HTTP tests in ``test_reviews_views`` reuse it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.indicators.models import ExampleReview
from surveyapp.indicators.reviews import (
    example_cards,
    pending_examples,
    review_example,
    reviewed_examples,
)
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.participants.models import Participant
from surveyapp.responses.models import Answer, Response
from surveyapp.security import compute_scope

_n = itertools.count(1)

FREQUENCY_CHOICES = [
    {"value": "weekly_1_2", "label": {"vi": "1–2 lần mỗi tuần", "en": "1–2 times a week"}},
    {"value": "daily", "label": {"vi": "Hằng ngày", "en": "Every day"}},
]
PURPOSE_CHOICES = [
    {"value": "writing", "label": {"vi": "Soạn văn bản", "en": "Writing documents"}},
    {"value": "farming", "label": {"vi": "Trồng trọt", "en": "Crops and livestock"}},
    {"value": "other", "label": {"vi": "Việc khác", "en": "Something else"}},
]
EXAMPLE = "Tôi dùng AI soạn thông báo họp thôn ở xã Văn Yên, tiết kiệm 1 giờ mỗi tuần."


def follow_up_version() -> InstrumentVersion:
    instrument = Instrument(key=f"fu-{next(_n)}", kind="follow_up", title={"vi": "Sau khóa học"})
    version = InstrumentVersion(instrument=instrument, number=1, title={"vi": "Sau khóa học"})
    items = [
        ("ai_frequency", "single_choice", FREQUENCY_CHOICES),
        ("ai_purposes", "multiple_choice", PURPOSE_CHOICES),
        ("ai_purposes_other", "short_text", []),
        ("time_saved", "single_choice", [{"value": "h1_3", "label": {"en": "1 to 3 hours"}}]),
        ("example", "long_text", []),
    ]
    for position, (key, qtype, choices) in enumerate(items, 1):
        version.items.append(
            Item(key=key, position=position, qtype=qtype, label={"vi": key}, choices=choices)
        )
    db.session.add_all([instrument, version])
    db.session.flush()
    return version


@dataclass
class ReviewWorld:
    f: object
    province: object = None
    a: object = None
    b: object = None
    campaign: object = None
    version: InstrumentVersion = None
    trainers: dict = field(default_factory=dict)
    classes: dict = field(default_factory=dict)

    def build(self) -> ReviewWorld:
        f = self.f
        self.province, self.a, self.b = f.tree()
        self.campaign = f.campaign(self.province, name="Bình dân học AI Mù Cang Chải")
        self.version = follow_up_version()
        for name, place in (("a1", self.a), ("a2", self.a), ("b", self.b)):
            trainer = f.user(role="trainer", locality=place)
            cls = f.training_class(
                self.campaign, place, title=f"Lớp {name} Văn Yên", end_date=date(2026, 3, 1)
            )
            cls.trainers.append(trainer)
            self.trainers[name], self.classes[name] = trainer, cls
        db.session.flush()
        return self

    def response(self, name="a1", example=EXAMPLE, *, moment="follow_up", excluded=False,
                 phone="0912345678", day=5) -> Response:  # fmt: skip
        cls = self.classes[name]
        n = next(_n)
        person = Participant(
            public_id=f"P{n:06d}", full_name="Lò Thị Mai", segment="official",
            locality_id=cls.locality_id, identity_key=f"{n:064d}",
            follow_up_token=f"{n:032d}", phone=phone,
        )  # fmt: skip
        db.session.add(person)
        db.session.flush()
        response = Response(
            submission_id=f"s-{n}", receipt_code=f"R{n:07d}", class_id=cls.id,
            version_id=self.version.id, moment=moment, participant_id=person.id,
            locality_id=cls.locality_id, excluded=excluded,
            submitted_at=datetime(2026, 4, day, 9, 0, tzinfo=UTC),
        )  # fmt: skip
        items = {item.key: item for item in self.version.items}
        values = {
            "ai_frequency": "daily",
            "ai_purposes": ["writing", "other"],
            "ai_purposes_other": "Viết lời chúc",
            "time_saved": "h1_3",
            "example": example,
        }
        for key, value in values.items():
            if value is not None:
                response.answers.append(Answer(item_id=items[key].id, value=value))
        db.session.add(response)
        db.session.flush()
        return response


@pytest.fixture
def world(f):
    return ReviewWorld(f).build()


def _ids(query) -> set[int]:
    return {r.id for r in db.session.scalars(query)}


def _scope(user):
    return compute_scope(user)


def test_queue_holds_follow_ups_with_an_example_not_yet_reviewed(world, f):
    wanted = world.response("a1")
    world.response("a1", example="")
    world.response("a1", example=None)
    world.response("a1", moment="post")
    world.response("a1", excluded=True)
    reviewed = world.response("a1")
    review_example(reviewed, None, accepted=True, quality_gain=False)
    admin = f.user(role="admin")
    assert _ids(pending_examples(_scope(admin), admin)) == {wanted.id}
    assert _ids(reviewed_examples(_scope(admin), admin)) == {reviewed.id}


def test_a_trainer_never_sees_another_trainers_class(world):
    own = world.response("a1")
    world.response("a2")  # same commune, another trainer
    world.response("b")
    trainer = world.trainers["a1"]
    assert _ids(pending_examples(_scope(trainer), trainer)) == {own.id}
    other = world.trainers["a2"]
    assert own.id not in _ids(pending_examples(_scope(other), other))


def test_coordinators_see_their_scope_and_admins_everything(world, f):
    a1, a2, b = world.response("a1"), world.response("a2"), world.response("b")
    commune = f.user(role="coordinator", locality=world.a)
    province = f.user(role="coordinator", locality=world.province)
    admin = f.user(role="admin")
    assert _ids(pending_examples(_scope(commune), commune)) == {a1.id, a2.id}
    assert _ids(pending_examples(_scope(province), province)) == {a1.id, a2.id, b.id}
    assert _ids(pending_examples(_scope(admin), admin)) == {a1.id, a2.id, b.id}


def test_queue_filters_by_campaign(world, f):
    mine = world.response("a1")
    other_campaign = f.campaign(world.province)
    cls = f.training_class(other_campaign, world.a)
    world.classes["other"] = cls
    other = world.response("other")
    admin = f.user(role="admin")
    scope = _scope(admin)
    assert _ids(pending_examples(scope, admin, world.campaign.id)) == {mine.id}
    assert _ids(pending_examples(scope, admin, other_campaign.id)) == {other.id}


def test_review_creates_then_updates_with_an_audit_entry_each_time(world):
    response = world.response("a1")
    trainer = world.trainers["a1"]
    first = review_example(response, trainer, accepted=True, quality_gain=True, note="Rõ ràng")
    assert (first.status, first.quality_gain, first.reviewer_id) == ("accepted", True, trainer.id)
    second = review_example(response, trainer, accepted=False, quality_gain=True, note=" Mơ hồ ")
    assert second.id == first.id
    assert (second.status, second.quality_gain, second.note) == ("rejected", False, "Mơ hồ")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExampleReview)) == 1
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "example.reviewed").order_by(AuditEntry.id)
    ).all()
    assert [(e.detail["old_status"], e.detail["new_status"]) for e in entries] == [
        (None, "accepted"),
        ("accepted", "rejected"),
    ]
    assert entries[1].detail["old_quality_gain"] is True
    assert entries[1].detail["new_quality_gain"] is False
    assert entries[1].actor_id == trainer.id
    assert entries[1].locality_id == world.a.id


@pytest.mark.parametrize("who", ["a2", "b", "evaluator", "sibling_coordinator"])
def test_review_refused_outside_ones_classes(world, f, who):
    response = world.response("a1")
    actor = {
        "evaluator": lambda: f.user(role="evaluator", locality=world.province),
        "sibling_coordinator": lambda: f.user(role="coordinator", locality=world.b),
    }.get(who, lambda: world.trainers[who])()
    with pytest.raises(NotAllowed):
        review_example(response, actor, accepted=True, quality_gain=False)


def test_coordinator_in_scope_may_review(world, f):
    response = world.response("b")
    coordinator = f.user(role="coordinator", locality=world.province)
    review = review_example(response, coordinator, accepted=True, quality_gain=False)
    assert review.reviewer_id == coordinator.id


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"moment": "post"}, "follow-up"),
        ({"excluded": True}, "excluded"),
        ({"example": ""}, "no example"),
    ],
)
def test_review_refused_for_what_is_not_a_reviewable_example(world, kwargs, message):
    response = world.response("a1", **kwargs)
    with pytest.raises(DomainError, match=message):
        review_example(response, world.trainers["a1"], accepted=True, quality_gain=False)


def test_review_note_is_limited(world):
    response = world.response("a1")
    with pytest.raises(DomainError) as caught:
        review_example(response, None, accepted=True, quality_gain=False, note="x" * 501)
    assert caught.value.field == "note"


def test_cards_show_answers_but_never_the_name_or_phone(world):
    response = world.response("a1")
    (card,) = example_cards([response])
    assert card.example == EXAMPLE
    assert card.public_id.startswith("P")
    assert card.class_title == "Lớp a1 Văn Yên"
    assert card.locality_name == "Xã Mù Cang Chải"
    assert "phone" not in vars(card) and "full_name" not in vars(card)
    assert card.review is None


def test_cards_keep_the_order_asked(world):
    first, second = world.response("a1", day=9), world.response("a1", day=2)
    cards = example_cards([first, second])
    assert [c.response_id for c in cards] == [first.id, second.id]
    assert example_cards([]) == []


def test_reviewing_an_example_of_an_approved_period_is_refused(f):
    """Accepting an example changes "applies AI effectively": refused once the commune's
    figures for that period are approved (issue 7, approval of figures)."""
    from surveyapp.approvals import services as approvals
    from surveyapp.approvals.locks import Locked

    world = ReviewWorld(f).build()
    response = world.response("a1", day=5)
    submitter = f.user(role="coordinator", locality=world.a)
    approver = f.user(role="coordinator", locality=world.province)
    now = datetime(2026, 5, 2, 9, 0, tzinfo=UTC)
    approval = approvals.submit_figures(
        world.campaign, world.a, date(2026, 4, 1), date(2026, 4, 30),
        actor=submitter, scope=compute_scope(submitter), now=now, note="",
    )  # fmt: skip
    approvals.approve(approval, actor=approver, scope=compute_scope(approver), now=now)
    with pytest.raises(Locked):
        review_example(response, world.trainers["a1"], accepted=True, quality_gain=False)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExampleReview)) == 0
    outside = world.response("b", day=6)
    assert review_example(outside, world.trainers["b"], accepted=True, quality_gain=False)
