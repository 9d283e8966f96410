"""Unit tests of the campaign services: permissions, validation, audit entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.campaigns import items, services
from surveyapp.campaigns.models import CoreMember, Material, Population, Target
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.security import Scope, compute_scope


def audit(action):
    return db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()


def fields(root, **kwargs):
    values = dict(
        name="Bình dân học AI Văn Yên",
        root_locality=root,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        status="active",
        parent_body="UBND TỈNH LÀO CAI",
        issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    )
    values.update(kwargs)
    return services.CampaignFields(**values)


def test_coordinator_creates_campaign_in_scope_and_it_is_audited(world):
    user = world.coordinator_a
    campaign = services.create_campaign(user, compute_scope(user), fields(world.commune_a))
    assert campaign.id and campaign.issuing_body == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    (entry,) = audit("campaign.created")
    assert entry.actor_id == user.id and entry.detail["after"]["name"] == "Bình dân học AI Văn Yên"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"root_locality": None}, "root_code"),
        ({"end_date": date(2025, 12, 31)}, "end_date"),
        ({"status": "unknown"}, "status"),
    ],
)
def test_campaign_validation(world, changes, field):
    with pytest.raises(DomainError) as caught:
        services.create_campaign(
            world.admin, Scope(unrestricted=True), fields(world.province, **changes)
        )
    assert caught.value.field == field


def test_commune_coordinator_cannot_create_or_edit_a_province_campaign(world):
    user = world.coordinator_a
    with pytest.raises(NotAllowed):
        services.create_campaign(user, compute_scope(user), fields(world.province))
    with pytest.raises(NotAllowed):
        services.update_campaign(user, compute_scope(user), world.campaign, fields(world.province))
    evaluator = world.evaluator
    with pytest.raises(NotAllowed):
        services.create_campaign(evaluator, compute_scope(evaluator), fields(world.province))


def test_update_campaign_records_before_and_after(world):
    user = world.province_coordinator
    services.update_campaign(
        user, compute_scope(user), world.campaign, fields(world.province, name="Đổi tên")
    )
    (entry,) = audit("campaign.updated")
    assert entry.detail["before"]["name"] == "Bình dân học AI tỉnh Lào Cai 2026"
    assert entry.detail["after"]["name"] == "Đổi tên"


def test_root_cannot_move_once_the_campaign_has_data(world, cf):
    cf.target(world.campaign, world.commune_a)
    with pytest.raises(DomainError) as caught:
        services.update_campaign(
            world.admin, Scope(unrestricted=True), world.campaign, fields(world.commune_a)
        )
    assert caught.value.field == "root_code"


def test_set_targets_creates_updates_removes_and_audits(world):
    user, campaign, a = world.coordinator_a, world.campaign, world.commune_a
    scope = compute_scope(user)
    changed = services.set_targets(user, scope, campaign, a, {"classes": 12, "learners": 300})
    assert changed == 2
    changed = services.set_targets(
        user, scope, campaign, a, {"classes": 15, "learners": 300, "core_members": None}
    )
    assert changed == 1
    services.set_targets(user, scope, campaign, a, {"learners": None})
    values = dict(
        db.session.execute(
            sa.select(Target.metric, Target.value).where(Target.locality_id == a.id)
        ).all()
    )
    assert values == {"classes": 15}
    entries = audit("target.changed")
    assert [(e.detail["metric"], e.detail["before"], e.detail["after"]) for e in entries] == [
        ("classes", None, 12),
        ("learners", None, 300),
        ("classes", 12, 15),
        ("learners", 300, None),
    ]
    assert all(e.locality_id == a.id and e.actor_id == user.id for e in entries)


def test_sibling_coordinator_cannot_set_targets(world):
    user = world.coordinator_b
    with pytest.raises(NotAllowed):
        services.set_targets(
            user, compute_scope(user), world.campaign, world.commune_a, {"classes": 1}
        )
    assert audit("target.changed") == []


def test_locality_outside_the_campaign_is_refused(world, f):
    other = f.locality("Tỉnh Khác")
    with pytest.raises(DomainError, match="not part of this campaign"):
        services.set_targets(world.admin, Scope(unrestricted=True), world.campaign, other, {})
    with pytest.raises(DomainError):
        services.set_targets(world.admin, Scope(unrestricted=True), world.campaign, None, {})


def test_negative_target_is_refused(world):
    with pytest.raises(DomainError) as caught:
        services.set_targets(
            world.admin, Scope(unrestricted=True), world.campaign, world.province, {"classes": -1}
        )
    assert caught.value.field == "target_classes"


def test_set_populations_with_rates_and_audit(world):
    user, a = world.coordinator_a, world.commune_a
    scope = compute_scope(user)
    services.set_populations(
        user,
        scope,
        world.campaign,
        a,
        {"official": (120, Decimal("100")), "business": (80, Decimal("85")), "other": (None, None)},
    )
    services.set_populations(user, scope, world.campaign, a, {"business": (90, Decimal("85.5"))})
    rows = {p.segment: p for p in db.session.scalars(sa.select(Population))}
    assert set(rows) == {"official", "business"}
    assert rows["business"].population == 90 and rows["business"].target_rate == Decimal("85.50")
    last = audit("population.changed")[-1]
    assert last.detail["before"] == {"population": 80, "target_rate": "85.00"}
    assert last.detail["after"] == {"population": 90, "target_rate": "85.50"}


@pytest.mark.parametrize(
    ("pair", "field"),
    [
        ((100, None), "rate_resident"),
        ((None, Decimal(75)), "population_resident"),
        ((100, Decimal("100.5")), "rate_resident"),
        ((-5, Decimal(75)), "population_resident"),
    ],
)
def test_population_pairs_are_checked(world, pair, field):
    with pytest.raises(DomainError) as caught:
        services.set_populations(
            world.admin,
            Scope(unrestricted=True),
            world.campaign,
            world.province,
            {"resident": pair},
        )
    assert caught.value.field == field


def member_fields(locality, **kwargs):
    values = dict(
        locality=locality,
        full_name="Lò Thị Mai",
        organisation="Trường THCS Mù Cang Chải",
        position="Giáo viên",
        segment="teacher",
        joined_on=date(2026, 3, 1),
    )
    values.update(kwargs)
    return items.MemberFields(**values)


def test_member_create_edit_delete(world):
    user, campaign = world.coordinator_a, world.campaign
    scope = compute_scope(user)
    member = items.save_member(user, scope, campaign, member_fields(world.commune_a))
    items.save_member(
        user, scope, campaign, member_fields(world.commune_a, position="Tổ trưởng"), member
    )
    assert member.position == "Tổ trưởng"
    items.delete_member(user, scope, member)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CoreMember)) == 0
    (entry,) = audit("core_member.deleted")
    assert entry.detail["full_name"] == "Lò Thị Mai" and entry.locality_id == world.commune_a.id


def test_member_cannot_be_moved_or_touched_outside_scope(world, cf):
    user = world.coordinator_a
    scope = compute_scope(user)
    theirs = cf.member(world.campaign, world.commune_b)
    with pytest.raises(NotAllowed):
        items.save_member(user, scope, world.campaign, member_fields(world.commune_b))
    with pytest.raises(NotAllowed):
        items.save_member(user, scope, world.campaign, member_fields(world.commune_a), theirs)
    with pytest.raises(NotAllowed):
        items.delete_member(user, scope, theirs)
    with pytest.raises(DomainError):
        items.save_member(
            user, scope, world.campaign, member_fields(world.commune_a, full_name=" ")
        )


@pytest.mark.parametrize(
    ("kind", "url", "ok"),
    [
        ("video", "https://www.youtube.com/watch?v=abc", True),
        ("document", "", True),
        ("video", "", False),
        ("link", "javascript:alert(1)", False),
        ("document", "ftp://files.example.vn/a.pdf", False),
    ],
)
def test_material_urls(world, kind, url, ok):
    values = items.MaterialFields(
        locality=world.commune_a,
        title="Sổ tay AI cho cán bộ",
        published_on=date(2026, 4, 1),
        kind=kind,
        url=url,
    )
    scope = Scope(unrestricted=True)
    if ok:
        assert items.save_material(world.admin, scope, world.campaign, values).id
    else:
        with pytest.raises(DomainError) as caught:
            items.save_material(world.admin, scope, world.campaign, values)
        assert caught.value.field == "url"


def test_material_delete_is_audited(world, cf):
    material = cf.material(world.campaign, world.commune_a, title="Video Văn Yên")
    items.delete_material(
        world.province_coordinator, compute_scope(world.province_coordinator), material
    )
    assert db.session.get(Material, material.id) is None
    assert audit("material.deleted")[0].detail["title"] == "Video Văn Yên"


def test_command_line_actor_is_trusted(world):
    services.set_targets(None, Scope(), world.campaign, world.commune_b, {"classes": 3})
    assert audit("target.changed")[0].actor_id is None
