"""HTTP tests of the campaign pages: list, create/edit, detail, targets, populations, imports."""

from __future__ import annotations

import io

import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.campaigns.models import Campaign, Population, Target
from surveyapp.extensions import db

from .factories import csv_bytes, xlsx_bytes

CAMPAIGN_FORM = {
    "name": "Bình dân học AI xã Mù Cang Chải",
    "description": "Thí điểm 6 tháng",
    "scheme": "2025",
    "start_date": "2026-01-01",
    "end_date": "2026-06-30",
    "status": "active",
    "parent_body": "UBND XÃ MÙ CANG CHẢI",
    "issuing_body": "VĂN PHÒNG HĐND VÀ UBND",
}


def test_list_shows_campaigns_in_scope_only(world, f, login):
    f.campaign(world.commune_b, name="Chiến dịch xã Văn Yên")
    f.campaign(world.commune_a, name="Chiến dịch xã Mù Cang Chải")
    page = login(world.coordinator_a).get("/campaigns").get_data(as_text=True)
    assert "Bình dân học AI tỉnh Lào Cai 2026" in page
    assert "Chiến dịch xã Mù Cang Chải" in page
    assert "Chiến dịch xã Văn Yên" not in page


def test_list_is_paginated(world, f, login):
    for n in range(30):
        f.campaign(world.province, name=f"Đợt {n:02d}")
    client = login(world.admin)
    first = client.get("/campaigns").get_data(as_text=True)
    second = client.get("/campaigns?page=2").get_data(as_text=True)
    assert "page=2" in first and "Đợt" in second
    assert client.get("/campaigns?page=99").status_code == 200


def test_coordinator_creates_a_campaign(world, login):
    client = login(world.coordinator_a)
    assert client.get("/campaigns/new").status_code == 200
    response = client.post(
        "/campaigns/new", data=dict(CAMPAIGN_FORM, root_code=world.commune_a.code)
    )
    assert response.status_code == 302
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.name == CAMPAIGN_FORM["name"]))
    assert campaign.root_locality_id == world.commune_a.id
    assert campaign.parent_body == "UBND XÃ MÙ CANG CHẢI"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "UBND XÃ MÙ CANG CHẢI" in page and "Thí điểm 6 tháng" in page


def test_bad_campaign_form_keeps_input_and_says_why(world, login):
    client = login(world.coordinator_a)
    data = dict(CAMPAIGN_FORM, root_code="nope-42", end_date="2025-01-01")
    response = client.post("/campaigns/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "nope-42" in page and "Mù Cang Chải" in page and "No locality" in page
    response = client.post("/campaigns/new", data=dict(data, root_code=world.commune_a.code))
    assert response.status_code == 400 and "end date is before" in response.get_data(as_text=True)
    response = client.post("/campaigns/new", data=dict(data, start_date="31/02/2026"))
    assert response.status_code == 400


def test_coordinator_cannot_create_outside_scope(world, login):
    response = login(world.coordinator_a).post(
        "/campaigns/new", data=dict(CAMPAIGN_FORM, root_code=world.commune_b.code)
    )
    assert response.status_code == 403
    assert "outside your scope" in response.get_data(as_text=True)
    assert (
        db.session.scalar(sa.select(Campaign).where(Campaign.name == CAMPAIGN_FORM["name"])) is None
    )


def test_edit_campaign(world, login):
    client = login(world.province_coordinator)
    url = f"/campaigns/{world.campaign.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert world.province.code in page and "Bình dân học AI tỉnh Lào Cai 2026" in page
    data = dict(
        CAMPAIGN_FORM, name="Tên mới", root_code=world.province.code, issuing_body="SỞ KH&CN"
    )
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(world.campaign)
    assert world.campaign.name == "Tên mới" and world.campaign.issuing_body == "SỞ KH&CN"
    assert login(world.coordinator_a).get(url).status_code == 403


def test_detail_shows_plan_counts_and_populations(world, f, cf, login):
    c, p, a, b = world.campaign, world.province, world.commune_a, world.commune_b
    cf.target(c, p, "core_members", 50)
    cf.target(c, a, "classes", 12)
    cf.member(c, a)
    cf.member(c, a)
    cf.member(c, p)
    cf.material(c, b)
    f.training_class(c, a)
    cf.population(c, p, "business", 2000, "85")
    client = login(world.evaluator)
    page = client.get(f"/campaigns/{c.id}").get_data(as_text=True)
    assert "Xã Mù Cang Chải" in page and "Xã Văn Yên" in page
    assert "2,000" in page or "2.000" in page
    assert "1,700" in page or "1.700" in page  # 85% of 2,000 businesses
    assert "Edit plan" not in page and "Sửa kế hoạch" not in page


def test_commune_coordinator_sees_own_part_and_cannot_drill_into_sibling(world, login):
    client = login(world.coordinator_a)
    c = world.campaign
    response = client.get(f"/campaigns/{c.id}")
    assert response.status_code == 200
    assert f"locality={world.commune_a.id}" in response.get_data(as_text=True)
    assert client.get(f"/campaigns/{c.id}?locality={world.commune_b.id}").status_code == 404
    assert client.get(f"/campaigns/{c.id}?locality={world.province.id}").status_code == 404


def test_targets_form(world, login):
    client = login(world.coordinator_a)
    c, a = world.campaign, world.commune_a
    url = f"/campaigns/{c.id}/targets?locality={a.id}"
    assert client.get(url).status_code == 200
    data = {"target_core_members": "5", "target_classes": "12", "target_learners": "400"}
    assert client.post(url, data=data).status_code == 302
    rows = db.session.execute(
        sa.select(Target.metric, Target.value).where(Target.locality_id == a.id)
    )
    assert dict(rows.all()) == {"core_members": 5, "classes": 12, "learners": 400}
    page = client.get(url).get_data(as_text=True)
    assert 'value="400"' in page
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "target.changed"))
    assert len(entries.all()) == 3


def test_targets_form_bad_input(world, login):
    client = login(world.coordinator_a)
    url = f"/campaigns/{world.campaign.id}/targets?locality={world.commune_a.id}"
    response = client.post(url, data={"target_classes": "mười hai", "target_learners": "-3"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "mười hai" in page and 'value="-3"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 0


def test_sibling_coordinator_cannot_set_targets(world, login):
    client = login(world.coordinator_b)
    url = f"/campaigns/{world.campaign.id}/targets?locality={world.commune_a.id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"target_classes": "1"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 0


def test_populations_form(world, login):
    client = login(world.province_coordinator)
    url = f"/campaigns/{world.campaign.id}/populations?locality={world.province.id}"
    assert client.get(url).status_code == 200
    data = {
        "population_official": "1200",
        "rate_official": "100",
        "population_business": "3400",
        "rate_business": "85",
        "population_resident": "450000",
        "rate_resident": "75",
    }
    assert client.post(url, data=data).status_code == 302
    rows = db.session.scalars(sa.select(Population).order_by(Population.segment)).all()
    assert [(r.segment, r.population, float(r.target_rate)) for r in rows] == [
        ("business", 3400, 85.0),
        ("official", 1200, 100.0),
        ("resident", 450000, 75.0),
    ]
    response = client.post(url, data=dict(data, rate_business="120", rate_resident=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="120"' in page and "0 to 100" in page
    response = client.post(url, data=dict(data, rate_resident=""))
    assert response.status_code == 400 and "target rate too" in response.get_data(as_text=True)


def _upload(client, url, data: bytes, name: str):
    return client.post(
        url, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_import_targets_csv_and_xlsx(world, login):
    client = login(world.province_coordinator)
    url = f"/campaigns/{world.campaign.id}/targets/import"
    assert client.get(url).status_code == 200
    rows = [
        ["locality_code", "metric", "value"],
        [world.commune_a.code, "Nòng cốt", 20],
        [world.commune_b.code, "Học viên", 1500],
    ]
    response = _upload(client, url, csv_bytes(rows), "kế hoạch.csv")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 2
    rows[1][2] = 30
    response = _upload(client, url, xlsx_bytes(rows), "kế hoạch.xlsx")
    assert response.status_code == 302
    value = db.session.scalar(sa.select(Target.value).where(Target.metric == "core_members"))
    assert value == 30


def test_import_bad_file_shows_every_row_error(world, login):
    client = login(world.coordinator_a)
    url = f"/campaigns/{world.campaign.id}/populations/import"
    rows = [
        ["locality_code", "segment", "population", "target_rate"],
        [world.commune_a.code, "Cán bộ", 100, 100],
        [world.commune_b.code, "Doanh nghiệp", 50, 85],
        [world.commune_a.code, "Người nước ngoài", 5, 10],
    ]
    for data, name in ((csv_bytes(rows), "dân số.csv"), (xlsx_bytes(rows), "dân số.xlsx")):
        response = _upload(client, url, data, name)
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Xã Văn Yên" in page and "Người nước ngoài" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Population)) == 0


def test_import_refuses_other_file_types(world, login):
    client = login(world.admin)
    url = f"/campaigns/{world.campaign.id}/targets/import"
    response = _upload(client, url, b"%PDF-1.4", "plan.pdf")
    assert response.status_code == 400
    assert client.post(url, data={}).status_code == 400
