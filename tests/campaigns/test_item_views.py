"""HTTP tests of the core member and material pages: list, filter, pages, CRUD."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.campaigns.models import CoreMember, Material
from surveyapp.extensions import db


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_member_crud(world, login):
    client = login(world.coordinator_a)
    base = f"/campaigns/{world.campaign.id}/members"
    page = client.get(f"{base}/new").get_data(as_text=True)
    assert f'value="{world.commune_a.code}"' in page
    data = {
        "full_name": "Giàng A Páo",
        "organisation": "Hợp tác xã Mù Cang Chải",
        "position": "Chủ nhiệm",
        "segment": "business",
        "locality_code": world.commune_a.code,
        "joined_on": "2026-02-15",
    }
    assert client.post(f"{base}/new", data=data).status_code == 302
    member = db.session.scalar(sa.select(CoreMember))
    assert member.full_name == "Giàng A Páo" and member.locality_id == world.commune_a.id
    assert "Giàng A Páo" in client.get(base).get_data(as_text=True)
    edit = f"{base}/{member.id}"
    assert "Hợp tác xã Mù Cang Chải" in client.get(edit).get_data(as_text=True)
    assert client.post(edit, data=dict(data, position="Phó chủ nhiệm")).status_code == 302
    db.session.refresh(member)
    assert member.position == "Phó chủ nhiệm"
    assert client.post(f"{edit}/delete").status_code == 302
    assert count(CoreMember) == 0
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "core_member.deleted")
    )
    assert entry.detail["full_name"] == "Giàng A Páo"


def test_member_bad_input_keeps_everything(world, login):
    client = login(world.coordinator_a)
    url = f"/campaigns/{world.campaign.id}/members/new"
    data = {
        "full_name": "Hà Thị Lụa",
        "organisation": "Trường Tiểu học Văn Yên",
        "segment": "teacher",
        "locality_code": "không-có",
        "joined_on": "2026-13-40",
    }
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Hà Thị Lụa" in page and "Trường Tiểu học Văn Yên" in page and "2026-13-40" in page
    response = client.post(url, data=dict(data, joined_on="2026-03-01"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "không-có" in page and "No locality" in page
    response = client.post(url, data=dict(data, joined_on="2026-03-01", segment="alien"))
    assert response.status_code == 400
    assert count(CoreMember) == 0


def test_member_in_sibling_commune_is_refused(world, login):
    response = login(world.coordinator_a).post(
        f"/campaigns/{world.campaign.id}/members/new",
        data={
            "full_name": "Lò Văn Sang",
            "segment": "official",
            "locality_code": world.commune_b.code,
            "joined_on": "2026-03-01",
        },
    )
    assert response.status_code == 403 and "Lò Văn Sang" in response.get_data(as_text=True)
    assert count(CoreMember) == 0


def test_material_crud(world, login):
    client = login(world.province_coordinator)
    base = f"/campaigns/{world.campaign.id}/materials"
    data = {
        "title": "Sổ tay dùng AI cho cán bộ xã Văn Yên",
        "kind": "document",
        "url": "",
        "description": "Bản PDF 20 trang",
        "locality_code": world.commune_b.code,
        "published_on": "2026-04-01",
    }
    assert client.get(f"{base}/new").status_code == 200
    assert client.post(f"{base}/new", data=data).status_code == 302
    material = db.session.scalar(sa.select(Material))
    assert material.locality_id == world.commune_b.id
    edit = f"{base}/{material.id}"
    response = client.post(edit, data=dict(data, kind="video"))
    assert response.status_code == 400 and "needs a web address" in response.get_data(as_text=True)
    response = client.post(edit, data=dict(data, kind="video", url="https://youtu.be/x"))
    assert response.status_code == 302
    db.session.refresh(material)
    assert material.kind == "video"
    page = client.get(base).get_data(as_text=True)
    assert "Sổ tay dùng AI cho cán bộ xã Văn Yên" in page and "https://youtu.be/x" in page
    assert client.post(f"{edit}/delete").status_code == 302
    assert count(Material) == 0


def test_lists_are_scoped_filtered_and_paginated(world, cf, login):
    c = world.campaign
    for n in range(30):
        cf.member(c, world.commune_a, full_name=f"Thành viên Mù Cang Chải {n:02d}")
    cf.member(c, world.commune_b, full_name="Thành viên Văn Yên")
    cf.material(c, world.commune_b, title="Video Văn Yên")
    client = login(world.coordinator_a)
    first = client.get(f"/campaigns/{c.id}/members").get_data(as_text=True)
    assert "Thành viên Mù Cang Chải 00" in first and "Thành viên Văn Yên" not in first
    assert "Thành viên Mù Cang Chải 29" not in first and "page=2" in first
    second = client.get(f"/campaigns/{c.id}/members?page=2").get_data(as_text=True)
    assert "Thành viên Mù Cang Chải 29" in second
    assert "Video Văn Yên" not in client.get(f"/campaigns/{c.id}/materials").get_data(as_text=True)
    admin = login(world.admin)
    page = admin.get(f"/campaigns/{c.id}/members?locality={world.commune_b.code}")
    assert "Thành viên Văn Yên" in page.get_data(as_text=True)
    assert "Mù Cang Chải 00" not in page.get_data(as_text=True)
    bad = client.get(f"/campaigns/{c.id}/materials?locality={world.commune_b.code}")
    assert bad.status_code == 400 and "Video Văn Yên" not in bad.get_data(as_text=True)


def test_readers_see_lists_without_edit_links(world, cf, login):
    member = cf.member(world.campaign, world.commune_a, full_name="Vàng Thị Dợ")
    page = (
        login(world.trainer).get(f"/campaigns/{world.campaign.id}/members").get_data(as_text=True)
    )
    assert "Vàng Thị Dợ" in page and f"/members/{member.id}" not in page
