"""``flask demo load`` on an empty database, ``flask demo logins`` before loading, determinism."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.campaigns.models import Campaign, CoreMember
from surveyapp.classes.models import TrainingClass
from surveyapp.demo.builder import build_demo
from surveyapp.extensions import db


def test_load_if_empty_loads_once(runner):
    first = runner.invoke(args=["demo", "load", "--if-empty", "--scale", "0.02"])
    assert first.exit_code == 0, first.output
    assert "Demo loaded" in first.output and "151 core members" in first.output
    assert "Tỉnh Yên Bái" in first.output and "Tỉnh Lào Cai" in first.output
    assert "School AI contest: 2 clubs, 20 pupils, 5 teams" in first.output
    second = runner.invoke(args=["demo", "load", "--if-empty"])
    assert second.exit_code == 0 and "not loaded" in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 2


def test_load_refuses_when_demo_accounts_exist_without_campaigns(f, runner):
    f.user(role="admin", email="admin@demo.binhdanhocai.vn")
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code != 0
    assert "admin@demo.binhdanhocai.vn already exists" in result.output


def test_logins_before_loading_prints_a_note(runner):
    result = runner.invoke(args=["demo", "logins"])
    assert result.exit_code == 0 and "not loaded" in result.output
    assert "demo-admin" not in result.output


def test_logins_say_where_to_log_in(runner):
    build_demo(scale=0.02)
    result = runner.invoke(args=["demo", "logins", "--url", "http://127.0.0.1:5055/login"])
    assert result.exit_code == 0 and "demo-admin" in result.output
    assert result.output.rstrip().endswith("Log in at http://127.0.0.1:5055/login")
    assert "Log in at http://127.0.0.1:5000/login" in runner.invoke(args=["demo", "logins"]).output


def test_the_demo_is_the_same_every_time(ctx):
    def fingerprint():
        savepoint = db.session.begin_nested()
        build_demo(scale=0.02)
        codes = db.session.scalars(sa.select(TrainingClass.access_code).order_by("id")).all()
        names = db.session.scalars(sa.select(CoreMember.full_name).order_by("id")).all()
        savepoint.rollback()
        return codes, names

    first = fingerprint()
    assert len(first[0]) > 37 and first == fingerprint()
