"""Attaching, opening and closing a class's forms; live counts and the learner list."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.errors import NotAllowed
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


def send(w, who, form):
    answers = {"se_confident": "3", "ai_frequency": "never"} if form in ("pre", "post") else {}
    services.store_submission(
        w.forms[form], who, answers, submission_id=str(uuid.uuid4()), started_at=None, now=NOW
    )


def test_forms_are_listed_in_class_order(world):
    kinds = [f.version.instrument.kind for f in class_forms.forms_of(world.cls.id)]
    assert kinds == ["pre_survey", "skill_test", "post_survey", "follow_up"]


def test_counts_and_learners(world):
    lan, minh = person(world, "Nguyễn Thị Lan"), person(world, "Trần Văn Minh")
    send(world, lan, "pre")
    send(world, minh, "pre")
    send(world, lan, "post")
    counts = class_forms.response_counts(world.cls.id)
    assert counts == {
        world.forms["pre"].id: 2,
        world.forms["skill"].id: 0,
        world.forms["post"].id: 1,
        world.forms["follow"].id: 0,
    }
    learners = {x.full_name: x for x in class_forms.learners(world.cls.id)}
    assert learners["Nguyễn Thị Lan"].done_version_ids == {world.v.pre.id, world.v.post.id}
    assert learners["Trần Văn Minh"].done_version_ids == {world.v.pre.id}
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


def test_attach_skips_instruments_already_used(f, world):
    cls = make_class(f, world.campaign, world.mau_a, [world.trainer])
    scope = compute_scope(world.coord_vy)
    newer = make_instrument(
        "t-pre", "pre_survey", [{"key": "x", "qtype": "short_text", "label": {"vi": "X"}}], number=2
    )
    added = class_forms.attach(
        world.coord_vy, cls, [world.v.pre, newer, world.v.skill], scope=scope
    )
    assert [f.version_id for f in added] == [world.v.pre.id, world.v.skill.id]
    assert all(not f.is_open for f in added)
    candidates = class_forms.candidate_versions(cls, scope)
    assert [v.id for v in candidates] == [world.v.post.id, world.v.follow.id]


def test_default_versions_are_the_latest_standard_ones(f, world):
    first = make_instrument(
        "pre-survey", "pre_survey", [{"key": "x", "qtype": "short_text", "label": {"vi": "X"}}]
    )
    second = make_instrument(
        "pre-survey",
        "pre_survey",
        [{"key": "x", "qtype": "short_text", "label": {"vi": "X"}}],
        number=2,
    )
    follow = make_instrument(
        "follow-up", "follow_up", [{"key": "x", "qtype": "short_text", "label": {"vi": "X"}}]
    )
    assert first.id != second.id
    cls = make_class(f, world.campaign, world.mau_a, [world.trainer])
    assert class_forms.missing_default_kinds(cls.id) == ["pre_survey", "follow_up"]
    added = class_forms.attach_defaults(world.trainer, cls, scope=compute_scope(world.trainer))
    assert [a.version_id for a in added] == [second.id, follow.id]
    assert class_forms.missing_default_kinds(cls.id) == []
    rows = db.session.scalar(
        sa.select(sa.func.count(ClassForm.id)).where(ClassForm.class_id == cls.id)
    )
    assert rows == 2


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
