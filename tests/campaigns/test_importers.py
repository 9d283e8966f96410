"""Imports of plan targets and populations: parsing, row errors, nothing half-imported."""

from __future__ import annotations

import io
import unicodedata
from decimal import Decimal

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.campaigns import importers
from surveyapp.campaigns.models import Population, Target
from surveyapp.errors import NotAllowed
from surveyapp.extensions import db
from surveyapp.security import Scope, compute_scope

from .factories import csv_bytes, xlsx_bytes

ALL = Scope(unrestricted=True)


def targets():
    rows = db.session.execute(
        sa.select(Target.locality_id, Target.metric, Target.value).order_by(Target.id)
    )
    return {(loc, metric): value for loc, metric, value in rows}


@pytest.mark.parametrize(
    ("text", "value"),
    [("12500", 12500), ("12.500", 12500), ("12,500", 12500), ("1 234 567", 1234567), ("0", 0)],
)
def test_parse_count(text, value):
    assert importers.parse_count(text) == value


@pytest.mark.parametrize("text", ["-3", "12,5", "abc", "1.5e3", "１２", "99999999999"])
def test_parse_count_refuses(ctx, text):
    with pytest.raises(importers.RowProblem):
        importers.parse_count(text)


@pytest.mark.parametrize(
    ("text", "value"), [("85", "85.00"), ("85%", "85.00"), ("85,5", "85.50"), ("100", "100.00")]
)
def test_parse_rate(text, value):
    assert importers.parse_rate(text) == Decimal(value)


@pytest.mark.parametrize("text", ["101", "-1", "x", "NaN", "Infinity"])
def test_parse_rate_refuses(ctx, text):
    with pytest.raises(importers.RowProblem):
        importers.parse_rate(text)


def test_vocabulary_accepts_keys_labels_and_vietnamese(ctx):
    words = importers.vocabulary(importers.METRIC_LABELS, importers.METRIC_ALIASES)
    decomposed = unicodedata.normalize("NFD", "Học Viên")
    assert words[importers.normal_word(decomposed)] == "learners"
    assert words[importers.normal_word("Core members")] == "core_members"
    assert words[importers.normal_word("  EFFECTIVE_appliers ")] == "effective_appliers"
    segments = importers.vocabulary(importers.SEGMENT_LABELS, importers.SEGMENT_ALIASES)
    assert segments[importers.normal_word("Cán bộ, công chức")] == "official"


def test_good_csv_with_vietnamese_words(world):
    p, a, b = world.province, world.commune_a, world.commune_b
    data = csv_bytes(
        [
            ["Locality_Code", "Metric", "Value"],
            [p.code, "core_members", 50],
            [a.code, "Lớp học", 12],
            [b.code, "học viên", '"2.500"'],
            [p.code, "Người biết ứng dụng AI hiệu quả", 150],
        ]
    )
    report = importers.import_targets(world.admin, ALL, world.campaign, io.BytesIO(data), "t.csv")
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert targets() == {
        (p.id, "core_members"): 50,
        (a.id, "classes"): 12,
        (b.id, "learners"): 2500,
        (p.id, "effective_appliers"): 150,
    }
    again = csv_bytes(
        [
            ["locality_code", "metric", "value"],
            [a.code, "classes", 15],
            [p.code, "core_members", 50],
        ]
    )
    report = importers.import_targets(world.admin, ALL, world.campaign, io.BytesIO(again), "t.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    entries = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "target.changed")
    ).all()
    assert len(entries) == 5 and entries[-1].detail["before"] == 12


def test_good_xlsx_populations_with_numbers_and_lost_leading_zeros(world, f):
    province = f.locality("Tỉnh Yên Bái", code="15", scheme="2024")
    district = f.locality("Huyện Văn Yên", parent=province, code="139", kind="district")
    commune = f.locality("Xã Mậu A", parent=district, code="04432")
    campaign = f.campaign(province)
    data = xlsx_bytes(
        [
            ["locality_code", "segment", "population", "target_rate"],
            [4432, "Cán bộ, công chức", 120, 100],
            ["139", "doanh nghiệp", 340.0, "85%"],
            ["15", "Người dân", 612000, 75.5],
        ]
    )
    report = importers.import_populations(world.admin, ALL, campaign, io.BytesIO(data), "p.xlsx")
    assert report.ok, report.errors
    rows = {
        (p.locality_id, p.segment): (p.population, p.target_rate)
        for p in db.session.scalars(sa.select(Population))
    }
    assert rows == {
        (commune.id, "official"): (120, Decimal("100.00")),
        (district.id, "business"): (340, Decimal("85.00")),
        (province.id, "resident"): (612000, Decimal("75.50")),
    }


def test_bad_rows_are_all_reported_and_nothing_is_written(world, f):
    other = f.locality("Tỉnh Khác")
    data = csv_bytes(
        [
            ["locality_code", "metric", "value"],
            [world.commune_a.code, "classes", 5],
            ["99999", "classes", 5],
            [other.code, "classes", 5],
            [world.commune_a.code, "lớp học ngoại ngữ", 5],
            [world.commune_a.code, "learners", "-4"],
            [world.commune_a.code, "lớp", 7],
            ["", "classes", 1],
            [world.commune_b.code, "learners", ""],
        ]
    )
    report = importers.import_targets(world.admin, ALL, world.campaign, io.BytesIO(data), "t.csv")
    lines = {e.line: e.message for e in report.errors}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9]
    assert "99999" in lines[3]
    assert "Tỉnh Khác" in lines[4]
    assert "lớp học ngoại ngữ" in lines[5]
    assert "line 2" in lines[7]
    assert targets() == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0


def test_coordinator_rows_outside_scope_are_refused(world):
    user = world.coordinator_a
    data = csv_bytes(
        [
            ["locality_code", "segment", "population", "target_rate"],
            [world.commune_a.code, "official", 40, 100],
            [world.commune_b.code, "official", 50, 100],
            [world.province.code, "official", 900, 100],
        ]
    )
    report = importers.import_populations(
        user, compute_scope(user), world.campaign, io.BytesIO(data), "p.csv"
    )
    assert [e.line for e in report.errors] == [3, 4]
    assert "Xã Văn Yên" in report.errors[0].message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Population)) == 0


def test_evaluator_may_not_import(world):
    data = csv_bytes([["locality_code", "metric", "value"], [world.province.code, "classes", 1]])
    with pytest.raises(NotAllowed):
        importers.import_targets(
            world.evaluator,
            compute_scope(world.evaluator),
            world.campaign,
            io.BytesIO(data),
            "t.csv",
        )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "t.csv", "empty"),
        (b"locality_code,metric\n1,classes\n", "t.csv", "value"),
        (b"locality_code,metric,value\n", "t.csv", "no data"),
        (b"garbage", "t.xlsx", "XLSX"),
    ],
)
def test_unreadable_files_give_a_report(world, data, name, message):
    report = importers.import_targets(world.admin, ALL, world.campaign, io.BytesIO(data), name)
    assert not report.ok and message in report.errors[0].message


def test_ambiguous_unpadded_code_is_not_guessed(world, f):
    f.locality("Xã Một", parent=world.province, code="007")
    f.locality("Xã Bảy", parent=world.province, code="0007")
    data = csv_bytes([["locality_code", "metric", "value"], ["7", "classes", 1]])
    report = importers.import_targets(world.admin, ALL, world.campaign, io.BytesIO(data), "t.csv")
    assert [e.line for e in report.errors] == [2]


def test_every_problem_of_a_row_is_reported(world):
    data = csv_bytes([["locality_code", "metric", "value"], ["99999", "lớp múa", "-1"]])
    report = importers.import_targets(world.admin, ALL, world.campaign, io.BytesIO(data), "t.csv")
    (error,) = report.errors
    assert error.line == 2
    assert "99999" in error.message and "lớp múa" in error.message and "-1" in error.message
