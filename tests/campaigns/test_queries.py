"""The read side: visible campaigns, the head of a user's part, the plan table counts."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from surveyapp.campaigns import queries
from surveyapp.extensions import db
from surveyapp.security import Scope, compute_scope


def test_visible_campaigns_follow_the_scope(world, f):
    own = f.campaign(world.commune_a)
    sibling = f.campaign(world.commune_b)
    seen = db.session.scalars(queries.visible_campaigns(compute_scope(world.coordinator_a))).all()
    assert world.campaign in seen and own in seen and sibling not in seen
    assert queries.find_visible_campaign(compute_scope(world.coordinator_a), sibling.id) is None
    assert queries.find_visible_campaign(Scope(), world.campaign.id) is None


def test_head_is_the_root_or_the_users_own_locality(world):
    c = world.campaign
    assert queries.head_locality(c, compute_scope(world.province_coordinator)) == world.province
    assert queries.head_locality(c, compute_scope(world.coordinator_a)) == world.commune_a
    assert queries.head_locality(c, Scope(unrestricted=True)) == world.province


def test_plan_table_rolls_counts_up_to_children_in_one_query(f, cf):
    province = f.locality("Tỉnh Yên Bái", scheme="2024")
    district = f.locality("Huyện Văn Yên", parent=province, kind="district")
    other = f.locality("Huyện Mù Cang Chải", parent=province, kind="district")
    commune = f.locality("Xã Mậu A", parent=district)
    campaign = f.campaign(province)
    cf.target(campaign, province, "core_members", 50)
    cf.target(campaign, district, "classes", 24)
    cf.target(campaign, commune, "classes", 4)  # not a row of the province page
    cf.member(campaign, commune)
    cf.member(campaign, district)
    cf.member(campaign, province)
    cf.material(campaign, other)
    f.training_class(campaign, commune)
    f.training_class(campaign, commune)

    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        counts = queries.registered_counts(campaign, province)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1 and "GROUP BY" in statements[0]
    assert counts[district.id] == {"core_members": 2, "classes": 2, "materials": 0}
    assert counts[None] == {"core_members": 1, "classes": 0, "materials": 0}

    top, children = queries.plan_table(campaign, province)
    assert top.targets == {"core_members": 50}
    assert top.counts == {"core_members": 3, "classes": 2, "materials": 1}
    by_name = {row.locality.name: row for row in children}
    assert by_name["Huyện Văn Yên"].targets == {"classes": 24}
    assert by_name["Huyện Mù Cang Chải"].counts["materials"] == 1
    assert queries.children_plan_sum(children)["classes"] == 24

    top, children = queries.plan_table(campaign, district)
    assert top.counts == {"core_members": 2, "classes": 2, "materials": 0}
    assert children[0].targets == {"classes": 4}


def test_population_table(world, cf):
    c = world.campaign
    cf.population(c, world.province, "official", 1200, "100")
    cf.population(c, world.province, "resident", 1001, "75")
    cf.population(c, world.commune_a, "official", 300, "100")
    cf.population(c, world.commune_b, "official", 250, "90")
    rows = {row.segment: row for row in queries.population_table(c, world.province)}
    assert rows["official"].people_to_reach == 1200
    assert rows["official"].children_population == 550
    assert rows["resident"].target_rate == Decimal("75")
    assert rows["resident"].people_to_reach == 751  # 750.75 people rounds up
    assert rows["teacher"].people_to_reach is None
