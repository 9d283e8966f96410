"""Fixtures of the campaign tests: a province with two sibling communes, a campaign over
the province, and a user of every role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from .factories import CampaignFactories


@pytest.fixture
def cf(ctx):
    return CampaignFactories()


@dataclass
class World:
    province: object
    commune_a: object
    commune_b: object
    campaign: object
    admin: object
    province_coordinator: object
    coordinator_a: object
    coordinator_b: object
    evaluator: object
    trainer: object


@pytest.fixture
def world(f):
    province, a, b = f.tree()
    campaign = f.campaign(province, name="Bình dân học AI tỉnh Lào Cai 2026")
    return World(
        province=province,
        commune_a=a,
        commune_b=b,
        campaign=campaign,
        admin=f.user("admin"),
        province_coordinator=f.user("coordinator", province),
        coordinator_a=f.user("coordinator", a),
        coordinator_b=f.user("coordinator", b),
        evaluator=f.user("evaluator", province),
        trainer=f.user("trainer", a),
    )
