"""Class rules: access codes, validation, trainer assignment, status changes, visibility."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.classes import services
from surveyapp.classes.models import TrainingClass
from surveyapp.classes.services import ACCESS_CODE_ALPHABET, ClassFields
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.security import compute_scope

from .conftest import make_class, make_user


def _fields(w, **overrides) -> ClassFields:
    values = dict(
        title="  Lớp AI cho cán bộ xã Mù Cang Chải  ",
        segment="official",
        locality=w.a,
        start_date=date(2026, 3, 10),
        end_date=date(2026, 3, 11),
        venue="Hội trường UBND xã",
        capacity=40,
        trainers=[w.trainer_a],
    )
    values.update(overrides)
    return ClassFields(**values)


def _audit(action: str, cls) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action, AuditEntry.object_id == cls.id)
        )
    )


# ---------------------------------------------------------------- access codes


def test_generated_codes_use_the_unambiguous_alphabet():
    assert not set("0O1lI") & set(ACCESS_CODE_ALPHABET)
    codes = {services.generate_access_code(taken=lambda c: False) for _ in range(300)}
    assert len(codes) == 300
    for code in codes:
        assert len(code) == 6 and set(code) <= set(ACCESS_CODE_ALPHABET)


def test_code_collision_is_retried(world, monkeypatch):
    sequence = iter([world.class_a.access_code, world.class_b.access_code, "ZZ2345"])
    monkeypatch.setattr(services, "_random_code", lambda: next(sequence))
    assert services.generate_access_code() == "ZZ2345"


def test_code_generation_gives_up_with_a_domain_error(monkeypatch):
    monkeypatch.setattr(services, "_random_code", lambda: "AAAAAA")
    with pytest.raises(DomainError):
        services.generate_access_code(taken=lambda code: True)


def test_find_by_code_ignores_case_and_spacing(world):
    code = world.class_a.access_code
    assert services.find_by_code(code) is world.class_a
    assert services.find_by_code(f" {code.lower()} ") is world.class_a
    assert services.find_by_code(f"{code[:3].lower()}-{code[3:]}") is world.class_a
    assert services.find_by_code("") is None
    assert services.find_by_code(None) is None
    assert services.find_by_code("ZZZZZZZ") is None


def test_public_link():
    assert services.public_link("https://hoc.ai.vn/", "ABC234") == "https://hoc.ai.vn/c/ABC234"
    assert services.public_link("http://localhost", "ABC234") == "http://localhost/c/ABC234"


# ---------------------------------------------------------------- create


def test_create_class_stores_everything_and_audits(world):
    scope = compute_scope(world.coord_a)
    cls = services.create_class(world.coord_a, world.campaign, _fields(world), scope=scope)
    assert cls.id is not None
    assert cls.title == "Lớp AI cho cán bộ xã Mù Cang Chải"
    assert cls.status == "planned" and cls.locality is world.a
    assert cls.trainers == [world.trainer_a]
    assert services.find_by_code(cls.access_code.lower()) is cls
    (entry,) = _audit("class.created", cls)
    assert entry.actor_id == world.coord_a.id and entry.locality_id == world.a.id
    assert entry.detail["title"] == cls.title


def test_trainer_creating_a_class_becomes_its_trainer(world):
    scope = compute_scope(world.trainer_a2)
    cls = services.create_class(
        world.trainer_a2, world.campaign, _fields(world, trainers=[]), scope=scope
    )
    assert cls.trainers == [world.trainer_a2]


def test_province_trainer_may_teach_in_a_commune(world):
    scope = compute_scope(world.coord_p)
    fields = _fields(world, trainers=[world.trainer_p, world.trainer_a, world.trainer_a])
    cls = services.create_class(world.coord_p, world.campaign, fields, scope=scope)
    assert {t.id for t in cls.trainers} == {world.trainer_p.id, world.trainer_a.id}


@pytest.mark.parametrize(
    "who, reason",
    [("trainer_b", "sibling commune"), ("coord_a", "not a trainer"), ("judge_a", "judge")],
)
def test_trainer_assignment_rules(world, who, reason):
    scope = compute_scope(world.admin)
    fields = _fields(world, trainers=[getattr(world, who)])
    with pytest.raises(DomainError) as caught:
        services.create_class(world.admin, world.campaign, fields, scope=scope)
    assert caught.value.field == "trainers", reason


def test_inactive_trainer_is_refused(world):
    world.trainer_a2.active = False
    fields = _fields(world, trainers=[world.trainer_a2])
    with pytest.raises(DomainError, match="not an active trainer"):
        services.create_class(world.admin, world.campaign, fields, scope=compute_scope(world.admin))


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"venue": "x" * 301}, "venue"),
        ({"segment": "aliens"}, "segment"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": 1001}, "capacity"),
        ({"locality": None}, "locality"),
        ({"start_date": None}, "start_date"),
        ({"end_date": None}, "end_date"),
        ({"end_date": date(2026, 3, 9)}, "end_date"),
        ({"start_date": date(2025, 12, 31)}, "start_date"),
        ({"end_date": date(2027, 1, 1)}, "end_date"),
    ],
)
def test_invalid_fields_are_refused(world, overrides, field):
    scope = compute_scope(world.coord_a)
    fields = _fields(world, **overrides)
    with pytest.raises(DomainError) as caught:
        services.create_class(world.coord_a, world.campaign, fields, scope=scope)
    assert caught.value.field == field
    assert db.session.scalar(sa.select(sa.func.count(TrainingClass.id))) == 2


def test_dates_outside_the_campaign_name_the_period(world):
    fields = _fields(world, start_date=date(2025, 6, 1))
    with pytest.raises(DomainError, match="01/01/2026 – 31/12/2026"):
        services.create_class(world.admin, world.campaign, fields, scope=compute_scope(world.admin))


def test_locality_must_be_in_scope_and_in_the_campaign(world, f):
    with pytest.raises(NotAllowed):
        services.create_class(
            world.coord_a,
            world.campaign,
            _fields(world, locality=world.b, trainers=[]),
            scope=compute_scope(world.coord_a),
        )
    other_province, other_commune, _ = f.tree()
    with pytest.raises(DomainError) as caught:
        services.create_class(
            world.admin,
            world.campaign,
            _fields(world, locality=other_commune, trainers=[]),
            scope=compute_scope(world.admin),
        )
    assert caught.value.field == "locality"


def test_evaluators_and_judges_cannot_create(world):
    for actor in (world.evaluator_a, world.judge_a):
        with pytest.raises(NotAllowed):
            services.create_class(actor, world.campaign, _fields(world), scope=compute_scope(actor))


def test_closed_campaign_takes_no_new_class(world):
    world.campaign.status = "closed"
    with pytest.raises(DomainError, match="closed"):
        services.create_class(
            world.admin, world.campaign, _fields(world), scope=compute_scope(world.admin)
        )


def test_command_line_actor_is_trusted(world):
    from surveyapp.security import Scope

    cls = services.create_class(
        None, world.campaign, _fields(world), scope=Scope(unrestricted=True)
    )
    assert _audit("class.created", cls)[0].actor_id is None


# ---------------------------------------------------------------- update and status


def test_update_class_keeps_code_and_audits_before_after(world):
    cls = world.class_a
    code = cls.access_code
    fields = _fields(world, title="Lớp mới", trainers=[world.trainer_a2, world.trainer_p])
    services.update_class(world.coord_a, cls, fields, scope=compute_scope(world.coord_a))
    assert cls.title == "Lớp mới" and cls.access_code == code
    assert {t.id for t in cls.trainers} == {world.trainer_a2.id, world.trainer_p.id}
    (entry,) = _audit("class.updated", cls)
    assert entry.detail["before"]["title"] == "Lớp AI Mù Cang Chải"
    assert entry.detail["after"]["title"] == "Lớp mới"


def test_trainer_stays_on_a_class_they_edit(world):
    fields = _fields(world, trainers=[world.trainer_a2])
    services.update_class(
        world.trainer_a, world.class_a, fields, scope=compute_scope(world.trainer_a)
    )
    assert {t.id for t in world.class_a.trainers} == {world.trainer_a.id, world.trainer_a2.id}


def test_trainer_cannot_edit_a_class_they_do_not_teach(world):
    with pytest.raises(NotAllowed):
        services.update_class(
            world.trainer_a2,
            world.class_a,
            _fields(world, trainers=[]),
            scope=compute_scope(world.trainer_a2),
        )


def test_coordinator_cannot_touch_a_sibling_class(world):
    with pytest.raises(NotAllowed):
        services.set_status(
            world.coord_a, world.class_b, "cancelled", scope=compute_scope(world.coord_a)
        )


def test_status_transitions_are_audited(world):
    cls = world.class_a
    scope = compute_scope(world.coord_a)
    services.set_status(world.coord_a, cls, "ongoing", scope=scope)
    services.set_status(world.coord_a, cls, "completed", scope=scope)
    assert cls.status == "completed"
    entries = _audit("class.status_changed", cls)
    assert [(e.detail["before"], e.detail["after"]) for e in entries] == [
        ("planned", "ongoing"),
        ("ongoing", "completed"),
    ]


@pytest.mark.parametrize(
    "start, target",
    [
        ("planned", "planned"),
        ("completed", "cancelled"),
        ("cancelled", "ongoing"),
        ("planned", "x"),
    ],
)
def test_forbidden_status_changes(world, start, target):
    world.class_a.status = start
    with pytest.raises(DomainError):
        services.set_status(world.admin, world.class_a, target, scope=compute_scope(world.admin))
    assert world.class_a.status == start


def test_cancelled_class_can_be_planned_again(world):
    scope = compute_scope(world.admin)
    services.set_status(world.admin, world.class_a, "cancelled", scope=scope)
    services.set_status(world.admin, world.class_a, "planned", scope=scope)
    assert world.class_a.status == "planned"


# ---------------------------------------------------------------- visibility


def _visible(user) -> set[int]:
    query = services.visible_classes(user, compute_scope(user))
    return set(db.session.scalars(query.with_only_columns(TrainingClass.id)))


def test_visible_classes_per_role(world, f):
    both = {world.class_a.id, world.class_b.id}
    assert _visible(world.admin) >= both
    assert _visible(world.coord_p) == both
    assert _visible(world.coord_a) == {world.class_a.id}
    assert _visible(world.evaluator_a) == {world.class_a.id}
    assert _visible(world.trainer_a) == {world.class_a.id}
    assert _visible(world.trainer_a2) == set()
    assert _visible(world.trainer_p) == set()
    assert _visible(world.judge_a) == set()
    make_class(f, world.campaign, world.b, [world.trainer_p])
    assert len(_visible(world.trainer_p)) == 1


def test_trainer_candidates(world, f):
    ids = lambda users: {u.id for u in users}  # noqa: E731
    everyone = {world.trainer_a.id, world.trainer_a2.id, world.trainer_b.id, world.trainer_p.id}
    assert ids(services.trainer_candidates(world.campaign, compute_scope(world.admin))) == everyone
    in_a = ids(services.trainer_candidates(world.campaign, compute_scope(world.coord_a)))
    assert in_a == {world.trainer_a.id, world.trainer_a2.id, world.trainer_p.id}
    other_province, other_commune, _ = f.tree()
    make_user("trainer", other_commune)
    assert ids(services.trainer_candidates(world.campaign, compute_scope(world.admin))) == everyone
