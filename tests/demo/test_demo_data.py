"""The demo as loaded: the 2024 Yên Bái pilot, the current Lào Cai campaign, the log-ins.

Building the demo takes about a second (mostly hashing seven passwords), so this module
builds it once, in a transaction that is rolled back at the end; each test runs in a
savepoint inside it, so it still sees the demo and nothing else, and changes nothing.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.accounts.models import Role, User
from surveyapp.campaigns.models import (
    Campaign,
    CoreMember,
    Material,
    Metric,
    Population,
    Segment,
    Target,
)
from surveyapp.classes.models import ClassStatus, TrainingClass
from surveyapp.classes.services import ACCESS_CODE_ALPHABET
from surveyapp.demo import current, pilot
from surveyapp.demo.builder import build_demo
from surveyapp.demo.users import DEMO_LOGINS
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.lookup import find_locality
from surveyapp.localities.models import Locality, subtree_filter
from surveyapp.security import compute_scope

from ..conftest import in_savepoint, rolled_back


@pytest.fixture(scope="module")
def _demo(app):
    """The demo, built once for the module, inside a transaction rolled back afterwards."""
    with rolled_back(app) as connection:
        build_demo(scale=0.05)
        db.session.commit()  # releases the savepoint; the outer transaction stays open
        db.session.remove()
        yield connection


@pytest.fixture(autouse=True)
def _transaction(app, _demo):
    """Overrides the suite's per-test transaction: a savepoint inside the demo's one."""
    with in_savepoint(app, _demo):
        yield


def _campaign(name: str) -> Campaign:
    return db.session.scalar(sa.select(Campaign).where(Campaign.name == name))


def _count(model, campaign: Campaign) -> int:
    query = sa.select(sa.func.count()).select_from(model).where(model.campaign_id == campaign.id)
    return db.session.scalar(query)


def _targets_at(campaign: Campaign, locality: Locality) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Target.metric, Target.value).where(
            Target.campaign_id == campaign.id, Target.locality_id == locality.id
        )
    )
    return dict(rows.tuples().all())


def test_pilot_holds_the_figures_of_the_article():
    campaign = _campaign(pilot.NAME)
    root = find_locality("2024", "15")
    assert campaign.root_locality_id == root.id and root.name == "Tỉnh Yên Bái"
    assert (campaign.status, campaign.start_date.isoformat()) == ("closed", "2024-03-01")
    assert campaign.parent_body == "UBND TỈNH YÊN BÁI"
    assert campaign.issuing_body == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert (_count(CoreMember, campaign), _count(TrainingClass, campaign)) == (151, 37)
    assert _count(Material, campaign) == 100
    assert _targets_at(campaign, root) == {
        Metric.CORE_MEMBERS: 50, Metric.CLASSES: 24, Metric.LEARNERS: 500,
        Metric.MATERIALS: 80, Metric.EFFECTIVE_APPLIERS: 150,
    }  # fmt: skip
    seats = sa.select(sa.func.sum(TrainingClass.capacity)).where(
        TrainingClass.campaign_id == campaign.id
    )
    assert db.session.scalar(seats) == 2500
    statuses = db.session.scalars(
        sa.select(TrainingClass.status).where(TrainingClass.campaign_id == campaign.id).distinct()
    ).all()
    assert statuses == [ClassStatus.COMPLETED]
    outside = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(TrainingClass)
        .where(
            TrainingClass.campaign_id == campaign.id,
            sa.or_(
                TrainingClass.start_date < campaign.start_date,
                TrainingClass.end_date > campaign.end_date,
            ),
        )
    )
    assert outside == 0


def test_every_district_has_a_plan_and_van_yen_its_coverage_aims():
    campaign = _campaign(pilot.NAME)
    van_yen = find_locality("2024", "136")
    assert van_yen.name == "Huyện Văn Yên"
    assert _targets_at(campaign, van_yen) == pilot.VAN_YEN_PLAN
    districts = db.session.scalars(
        sa.select(Locality).where(Locality.parent_id == campaign.root_locality_id)
    ).all()
    assert len(districts) == 9
    for metric, total in pilot.DISTRICT_PLAN.items():
        split = db.session.scalar(
            sa.select(sa.func.sum(Target.value)).where(
                Target.campaign_id == campaign.id,
                Target.metric == metric,
                Target.locality_id.in_([d.id for d in districts]),
            )
        )
        assert split == total
    rates = dict(
        db.session.execute(
            sa.select(Population.segment, Population.target_rate).where(
                Population.campaign_id == campaign.id, Population.locality_id == van_yen.id
            )
        )
        .tuples()
        .all()
    )
    assert rates == {Segment.OFFICIAL: 100, Segment.BUSINESS: 85, Segment.RESIDENT: 75}


def test_every_class_lies_in_its_campaign_and_has_its_own_code():
    root = sa.orm.aliased(Locality)
    place = sa.orm.aliased(Locality)
    rows = db.session.execute(
        sa.select(TrainingClass.access_code, root.path, place.path)
        .join(Campaign, TrainingClass.campaign_id == Campaign.id)
        .join(root, Campaign.root_locality_id == root.id)
        .join(place, TrainingClass.locality_id == place.id)
    ).all()
    assert len(rows) == 37 + db.session.scalar(
        sa.select(sa.func.count())
        .select_from(TrainingClass)
        .join(Campaign)
        .where(Campaign.name == current.NAME)
    )
    assert all(place_path.startswith(root_path) for _, root_path, place_path in rows)
    codes = [code for code, _, _ in rows]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 6 and set(code) <= set(ACCESS_CODE_ALPHABET) for code in codes)


def test_current_campaign_of_lao_cai():
    campaign = _campaign(current.NAME)
    root = find_locality("2025", "15")
    assert campaign.root_locality_id == root.id and root.name == "Tỉnh Lào Cai"
    assert (campaign.status, campaign.end_date.isoformat()) == ("active", "2026-12-31")
    communes_with_plan = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Target.locality_id))).where(
            Target.campaign_id == campaign.id, Target.locality_id != root.id
        )
    )
    assert communes_with_plan == 10
    segments = db.session.scalars(
        sa.select(Population.segment).where(
            Population.campaign_id == campaign.id, Population.locality_id == root.id
        )
    ).all()
    assert set(segments) >= {Segment.OFFICIAL, Segment.BUSINESS, Segment.RESIDENT}
    statuses = set(
        db.session.scalars(
            sa.select(TrainingClass.status).where(TrainingClass.campaign_id == campaign.id)
        )
    )
    assert {ClassStatus.PLANNED, ClassStatus.ONGOING} <= statuses
    assert _count(CoreMember, campaign) > 0 and _count(Material, campaign) > 0


def test_users_of_every_role_log_in_through_the_form(app):
    roles = set()
    for login in DEMO_LOGINS:
        client = app.test_client()
        response = client.post("/login", data={"email": login.email, "password": login.password})
        assert response.status_code == 302, login.email
        home = client.get("/home")
        assert home.status_code == 200, login.email
        if login.role in (Role.ADMIN, Role.COORDINATOR, Role.EVALUATOR):
            # Lào Cai's users read the 2024 Yên Bái pilot too, through the crosswalk.
            page = home.get_data(as_text=True)
            assert current.NAME in page and pilot.NAME in page, login.email
        roles.add(login.role)
    assert roles == set(Role)
    admin = db.session.scalar(sa.select(User).where(User.role == Role.ADMIN))
    assert admin.locality_id is None
    province = db.session.scalar(sa.select(User).where(User.email.like("dieuphoi.tinh@%")))
    assert (province.locality.scheme.code, province.locality.code) == ("2025", "15")


def test_trainers_teach_classes_their_commune_coordinator_sees():
    trainer = db.session.scalar(sa.select(User).where(User.email.like("giangvien@%")))
    coordinator = db.session.scalar(sa.select(User).where(User.email.like("dieuphoi.xa@%")))
    taught = db.session.scalars(
        sa.select(TrainingClass).where(TrainingClass.trainers.contains(trainer))
    ).all()
    campaigns = {cls.campaign.name for cls in taught}
    assert campaigns == {pilot.NAME, current.NAME}  # Mậu A in 2024 and in 2025
    scope = compute_scope(coordinator)
    assert all(scope.contains(cls.locality) for cls in taught)
    city = find_locality("2024", "132")
    assert not scope.contains(city)


def test_vietnamese_names_survive():
    assert _campaign(current.NAME).name == "Bình dân học AI tỉnh Lào Cai 2025-2026"
    titles = db.session.scalars(sa.select(TrainingClass.title)).all()
    assert any("“Văn Yên - tiên phong học AI”" in title for title in titles)
    assert any("Trường THPT Nguyễn Huệ" in title for title in titles)
    mu_cang_chai = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(CoreMember)
        .join(Locality, CoreMember.locality_id == Locality.id)
        .where(subtree_filter(Locality.path, find_locality("2024", "137").path))
    )
    assert mu_cang_chai > 0
    names = db.session.scalars(sa.select(CoreMember.full_name)).all()
    assert len(set(names)) == len(names)
    assert any(name.startswith("Nguyễn ") for name in names)
    assert any(" A " in name for name in names)  # H'Mông men of the highland districts
    coordinator = db.session.scalar(sa.select(User).where(User.email.like("dieuphoi.xa@%")))
    assert (coordinator.name, coordinator.locality.name) == ("Hoàng Văn Dũng", "Xã Mậu A")


def test_building_again_is_refused():
    with pytest.raises(DomainError):
        build_demo(scale=0.02)


def test_load_refuses_a_database_with_campaigns_and_if_empty_skips_it(runner):
    refused = runner.invoke(args=["demo", "load"])
    assert refused.exit_code != 0 and "already holds campaigns" in refused.output
    skipped = runner.invoke(args=["demo", "load", "--if-empty"])
    assert skipped.exit_code == 0 and "not loaded" in skipped.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 2


def test_logins_prints_the_table_and_the_url(runner):
    result = runner.invoke(args=["demo", "logins"])
    assert result.exit_code == 0
    for login in DEMO_LOGINS:
        assert login.email in result.output and login.password in result.output
    assert "Tỉnh Lào Cai (2025:15)" in result.output and "Xã Mậu A (2025:04375)" in result.output
    assert "http://127.0.0.1:5000/login" in result.output


def test_logins_flags_a_changed_password(runner):
    admin = db.session.scalar(sa.select(User).where(User.role == Role.ADMIN))
    admin.set_password("a-real-password")
    db.session.flush()
    output = runner.invoke(args=["demo", "logins"]).output
    assert "(changed since loading)" in output and "demo-admin " not in output
