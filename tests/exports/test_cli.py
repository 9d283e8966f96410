"""``flask export ...`` writes what the web downloads."""

from __future__ import annotations

import csv

import sqlalchemy as sa
from openpyxl import load_workbook

from surveyapp.audit.models import AuditEntry
from surveyapp.extensions import db


def test_cli_csv_is_byte_for_byte_the_web_download(world, f, as_user, runner, tmp_path):
    out = tmp_path / "long.csv"
    result = runner.invoke(
        args=["export", "responses", "--campaign", str(world.campaign.id), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 6 rows" in result.output
    web = as_user(f.user(role="admin")).get(f"/campaigns/{world.campaign.id}/exports/responses")
    assert out.read_bytes() == web.get_data()


def test_cli_wide_for_a_locality_matches_the_web(world, f, as_user, runner, tmp_path):
    out = tmp_path / "wide.csv"
    args = ["export", "responses", "--campaign", str(world.campaign.id)]
    args += ["--locality", world.a.code, "--shape", "wide", "--version", str(world.version.id)]
    result = runner.invoke(args=[*args, "--output", str(out)])
    assert result.exit_code == 0, result.output
    url = f"/campaigns/{world.campaign.id}/exports/responses"
    query = f"?locality={world.a.id}&shape=wide&version={world.version.id}"
    web = as_user(f.user(role="coordinator", locality=world.a)).get(url + query)
    assert out.read_bytes() == web.get_data()
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [row[1] for row in rows[1:]] == ["RA00001", "RA00003"]


def test_cli_identities_xlsx_is_audited(world, runner, tmp_path):
    out = tmp_path / "names.xlsx"
    args = ["export", "responses", "--campaign", str(world.campaign.id), "--format", "xlsx"]
    result = runner.invoke(args=[*args, "--identities", "--output", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert sheet["D1"].value == "full_name" and sheet["D2"].value == "Nguyễn Văn Yên"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "export_identities"))
    assert entry.actor_id is None and entry.detail["source"] == "command line"


def test_cli_codebook(world, runner, tmp_path):
    out = tmp_path / "codebook.csv"
    result = runner.invoke(
        args=["export", "codebook", "--version", str(world.version.id), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [row[0] for row in rows[1:]] == ["q1", "q2", "q3", "q4"]
    assert rows[1][5] == "a=Trợ lý ảo; b=Tạo ảnh"


def test_cli_bad_arguments(world, runner, tmp_path):
    out = str(tmp_path / "x.csv")
    base = ["export", "responses", "--output", out]
    cases = [
        ([*base, "--campaign", "999999"], "No campaign"),
        ([*base, "--campaign", str(world.campaign.id), "--locality", "nope"], "No locality"),
        ([*base, "--campaign", str(world.campaign.id), "--shape", "wide"], "wide export"),
        ([*base, "--campaign", str(world.campaign.id), "--format", "pdf"], "pdf"),
        (["export", "codebook", "--version", "999999", "--output", out], "No instrument version"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
