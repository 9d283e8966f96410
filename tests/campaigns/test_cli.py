"""``flask campaigns import-targets`` and ``import-populations``."""

from __future__ import annotations

import sqlalchemy as sa

from surveyapp.campaigns.models import Population, Target
from surveyapp.extensions import db

from .factories import csv_bytes, xlsx_bytes


def test_import_targets_from_csv(world, runner, tmp_path):
    path = tmp_path / "chỉ tiêu.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["locality_code", "metric", "value"],
                [world.province.code, "Thành viên nòng cốt", 50],
                [world.commune_a.code, "classes", 24],
            ]
        )
    )
    result = runner.invoke(
        args=["campaigns", "import-targets", "--campaign", str(world.campaign.id), str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output and "Bình dân học AI tỉnh Lào Cai 2026" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 2


def test_import_populations_from_xlsx(world, runner, tmp_path):
    path = tmp_path / "dân số.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                ["locality_code", "segment", "population", "target_rate"],
                [world.commune_b.code, "Doanh nghiệp", 85, 85],
                [world.commune_b.code, "giáo viên", 40, "100%"],
            ]
        )
    )
    result = runner.invoke(
        args=["campaigns", "import-populations", "--campaign", str(world.campaign.id), str(path)]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Population)) == 2


def test_bad_file_exits_non_zero_listing_every_row(world, runner, tmp_path):
    path = tmp_path / "sai.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["locality_code", "metric", "value"],
                [world.commune_a.code, "classes", 3],
                ["00000", "classes", 3],
                [world.commune_a.code, "lớp học múa", 3],
            ]
        )
    )
    result = runner.invoke(
        args=["campaigns", "import-targets", "--campaign", str(world.campaign.id), str(path)]
    )
    assert result.exit_code != 0
    assert (
        "line 3:" in result.output and "line 4:" in result.output and "lớp học múa" in result.output
    )
    assert "Nothing was imported" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 0


def test_unknown_campaign(runner, ctx, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"locality_code,metric,value\n")
    result = runner.invoke(args=["campaigns", "import-targets", "--campaign", "999999", str(path)])
    assert result.exit_code != 0 and "No campaign" in result.output
