"""Attaching, opening and closing a class's forms; live counts and the learner list."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from surveyapp.audit.models import AuditEntry
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.participants import services as participants
from surveyapp.responses import class_forms, services
from surveyapp.responses.models import ClassForm
from surveyapp.security import compute_scope
from tests.journey.helpers import make_class, make_instrument

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def person(w, name):
    fields = participants.IdentityFields(
        full_name=name, birth_year=1990, gender="male", segment="resident", locality=w.mau_a
    )
    return participants.identify(w.cls, fields, evaluation_consent=True, secret="s", now=NOW)


def send(w, who, form, answers=None):
    if answers is None:
        answers = {"se_confident": "3", "ai_frequency": "never"} if form in ("pre", "post") else {}
    return services.store_submission(
        w.forms[form], who, answers, submission_id=str(uuid.uuid4()), started_at=None, now=NOW
    )


def test_forms_are_listed_in_class_order(world):
    listed = [(f.version.instrument.kind, f.moment) for f in class_forms.forms_of(world.cls.id)]
    assert listed == [
        ("pre_survey", "pre"),
        ("skill_test", "pre"),
        ("post_survey", "post"),
        ("skill_test", "post"),
        ("follow_up", "follow_up"),
    ]


def test_counts_and_learners(world):
    lan, minh = person(world, "Nguyễn Thị Lan"), person(world, "Trần Văn Minh")
    send(world, lan, "pre")
    send(world, minh, "pre")
    send(world, lan, "post")
    send(world, lan, "skill", {"q1": "a"})
    send(world, lan, "skill_post", {"q1": "c"})
    send(world, minh, "skill_post", {"q1": "c"})
    counts = class_forms.response_counts(world.cls.id)
    assert counts == {
        world.forms["pre"].id: 2,
        world.forms["skill"].id: 1,
        world.forms["post"].id: 1,
        world.forms["skill_post"].id: 2,
        world.forms["follow"].id: 0,
    }
    learners = {x.full_name: x for x in class_forms.learners(world.cls.id)}
    ids = {name: form.id for name, form in world.forms.items()}
    assert learners["Nguyễn Thị Lan"].done_form_ids == {
        ids["pre"],
        ids["post"],
        ids["skill"],
        ids["skill_post"],
    }
    assert learners["Trần Văn Minh"].done_form_ids == {ids["pre"], ids["skill_post"]}
    assert class_forms.done_form_ids(minh.id, world.cls.id) == {ids["pre"], ids["skill_post"]}
    assert not hasattr(learners["Nguyễn Thị Lan"], "phone")


def test_set_open_is_audited_and_scoped(world):
    form = world.forms["pre"]
    form.is_open = False
    scope = compute_scope(world.trainer)
    class_forms.set_open(world.trainer, world.cls, form, True, scope=scope, now=NOW)
    assert form.is_open and form.opened_at == NOW
    class_forms.set_open(world.trainer, world.cls, form, False, scope=scope, now=NOW)
    assert not form.is_open and form.closed_at == NOW
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["class_form.opened", "class_form.closed"]
    with pytest.raises(NotAllowed):
        class_forms.set_open(
            world.other_trainer,
            world.cls,
            form,
            True,
            scope=compute_scope(world.other_trainer),
            now=NOW,
        )
    with pytest.raises(NotAllowed):
        class_forms.set_open(
            world.coord_mcc, world.cls, form, True, scope=compute_scope(world.coord_mcc), now=NOW
        )
    with pytest.raises(NotAllowed):
        class_forms.set_open(
            world.evaluator, world.cls, form, True, scope=compute_scope(world.evaluator), now=NOW
        )


def moments_in(cls):
    return [(f.version_id, f.moment) for f in class_forms.forms_of(cls.id)]


def test_the_skill_test_is_attached_before_and_after_the_class(f, world):
    cls = make_class(f, world.campaign, world.mau_a, [world.trainer])
    scope = compute_scope(world.coord_vy)
    added = class_forms.attach(world.coord_vy, cls, [world.v.pre, world.v.skill], scope=scope)
    assert [(a.version_id, a.moment) for a in added] == [
        (world.v.pre.id, "pre"),
        (world.v.skill.id, "pre"),
    ]
    assert all(not a.is_open for a in added)
    # The skill test may still be given after the class: it stays a candidate.
    candidates = [v.id for v in class_forms.candidate_versions(cls, scope)]
    assert candidates == [world.v.skill.id, world.v.post.id, world.v.follow.id]
    # Automatic: the first moment not used yet, so the same version after the class.
    (again,) = class_forms.attach(world.coord_vy, cls, [world.v.skill], scope=scope)
    assert (again.version_id, again.moment) == (world.v.skill.id, "post")
    candidates = [v.id for v in class_forms.candidate_versions(cls, scope)]
    assert candidates == [world.v.post.id, world.v.follow.id]
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.action == "class_form.attached")
    ).all()
    assert len(actions) == 3


def test_a_duplicate_moment_is_refused_at_attach(f, world):
    cls = make_class(f, world.campaign, world.mau_a, [world.trainer])
    scope = compute_scope(world.trainer)
    class_forms.attach(world.trainer, cls, [world.v.skill], scope=scope, moment="post")
    before = moments_in(cls)
    with pytest.raises(DomainError) as refused:
        class_forms.attach(world.trainer, cls, [world.v.skill], scope=scope, moment="post")
    assert refused.value.field == "moment"
    class_forms.attach(world.trainer, cls, [world.v.skill], scope=scope)  # before the class
    with pytest.raises(DomainError):  # both moments are taken now
        class_forms.attach(world.trainer, cls, [world.v.skill], scope=scope)
    assert moments_in(cls) == [(world.v.skill.id, "pre")] + before


def test_attach_refuses_wrong_moments_and_other_versions_all_or_nothing(f, world):
    cls = make_class(f, world.campaign, world.mau_a, [world.trainer])
    scope = compute_scope(world.trainer)
    with pytest.raises(DomainError) as refused:
        class_forms.attach(world.trainer, cls, [world.v.pre], scope=scope, moment="post")
    assert refused.value.field == "moment"
    class_forms.attach(world.trainer, cls, [world.v.pre], scope=scope)
    newer = make_instrument(
        "t-pre", "pre_survey", [{"key": "x", "qtype": "short_text", "label": {"vi": "X"}}], number=2
    )
    with pytest.raises(DomainError) as refused:
        class_forms.attach(world.trainer, cls, [world.v.post, newer], scope=scope)
    assert refused.value.field == "version"
    assert moments_in(cls) == [(world.v.pre.id, "pre")]  # the post-survey was not added


def test_the_database_refuses_a_version_twice_at_one_moment(world):
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(ClassForm(class_id=world.cls.id, version=world.v.skill, moment="post"))
        db.session.flush()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(ClassForm(class_id=world.cls.id, version=world.v.pre, moment="later"))
        db.session.flush()


def standard(key, kind, number=1):
    spec = [{"key": "x", "qtype": "short_text", "label": {"vi": "X"}}]
    return make_instrument(key, kind, spec, number=number)


def test_default_slots_are_the_latest_standard_ones_at_each_moment(f, world):
    first = standard("pre-survey", "pre_survey")
    second = standard("pre-survey", "pre_survey", number=2)
    skill = standard("skill-test", "skill_test")
    follow = standard("follow-up", "follow_up")
    assert first.id != second.id
    cls = make_class(f, world.campaign, world.mau_a, [world.trainer])
    assert class_forms.missing_defaults(cls.id) == [
        ("pre_survey", "pre"),
        ("skill_test", "pre"),
        ("skill_test", "post"),
        ("follow_up", "follow_up"),
    ]
    added = class_forms.attach_defaults(world.trainer, cls, scope=compute_scope(world.trainer))
    assert [(a.version_id, a.moment) for a in added] == [
        (second.id, "pre"),
        (skill.id, "pre"),
        (skill.id, "post"),
        (follow.id, "follow_up"),
    ]
    assert class_forms.missing_defaults(cls.id) == []
    assert class_forms.attach_defaults(world.trainer, cls, scope=compute_scope(world.trainer)) == []
    rows = db.session.scalar(
        sa.select(sa.func.count(ClassForm.id)).where(ClassForm.class_id == cls.id)
    )
    assert rows == 4


def test_defaults_keep_the_skill_test_version_the_class_uses(f, world):
    old = standard("skill-test", "skill_test")
    cls = make_class(f, world.campaign, world.mau_a, [world.trainer])
    scope = compute_scope(world.trainer)
    class_forms.attach(world.trainer, cls, [old], scope=scope)
    newer = standard("skill-test", "skill_test", number=2)
    assert class_forms.missing_defaults(cls.id) == [("skill_test", "post")]
    (added,) = class_forms.attach_defaults(world.trainer, cls, scope=scope)
    assert (added.version_id, added.moment) == (old.id, "post")
    assert newer.id not in {v for v, _m in moments_in(cls)}


def test_instruments_of_another_area_cannot_be_attached(f, world):
    cls = make_class(f, world.campaign, world.mau_a, [world.trainer])
    spec = [{"key": "x", "qtype": "short_text", "label": {"vi": "X"}}]
    district = make_instrument("t-district", "post_survey", spec)
    district.instrument.locality_id = world.van_yen.id
    sibling = make_instrument("t-sibling", "post_survey", spec)
    sibling.instrument.locality_id = world.mcc.id
    db.session.flush()
    for actor in (world.admin, world.coord_p, world.trainer):
        ids = {v.id for v in class_forms.candidate_versions(cls, compute_scope(actor))}
        assert district.id in ids and sibling.id not in ids, actor.role
