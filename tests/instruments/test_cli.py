"""``flask instruments import/export/list/load-defaults``."""

import json

import yaml

from surveyapp.extensions import db
from surveyapp.instruments import services

from . import workbooks
from .helpers import make_instrument


def test_import_an_xlsform_prints_the_report(f, runner, tmp_path):
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(workbooks.unsupported())
    result = runner.invoke(args=["instruments", "import", str(path), "--key", "kobo-form"])
    assert result.exit_code == 0, result.output
    assert "kobo-form: version 1 created (new instrument)" in result.output
    assert "not imported: location" in result.output and "geopoint" in result.output
    assert services.find_instrument("kobo-form") is not None


def test_a_refused_import_exits_non_zero_with_reasons(f, runner, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbooks.bad_expression())
    result = runner.invoke(args=["instruments", "import", str(path)])
    assert result.exit_code != 0
    assert "regex" in result.output and "Nothing was imported" in result.output
    assert services.find_instrument("bad_expression") is None


def test_import_with_kind_and_locality(f, runner, tmp_path):
    province, commune, _ = f.tree()
    path = tmp_path / "grouped.xlsx"
    path.write_bytes(workbooks.grouped_translated())
    args = ["instruments", "import", str(path), "--kind", "follow_up", "--locality", commune.code]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    instrument = services.find_instrument("follow_up_xls")
    assert instrument.kind == "follow_up" and instrument.locality_id == commune.id
    missing = runner.invoke(args=[*args[:3], "--locality", "99999"])
    assert missing.exit_code != 0 and "No locality" in missing.output


def test_export_and_reimport_round_trip(f, runner, tmp_path):
    version = make_instrument("vong-lai")
    out = runner.invoke(args=["instruments", "export", "vong-lai", "--format", "json"])
    assert out.exit_code == 0
    assert json.loads(out.output)["items"][2]["label"]["vi"] == "Kể một ví dụ ở Mù Cang Chải"
    target = tmp_path / "vong-lai.yaml"
    written = runner.invoke(
        args=["instruments", "export", "vong-lai", "--version", "1", "-o", str(target)]
    )
    assert written.exit_code == 0 and yaml.safe_load(target.read_text("utf-8"))["key"] == "vong-lai"
    again = runner.invoke(args=["instruments", "import", str(target)])
    assert again.exit_code == 0 and "unchanged" in again.output
    copy = runner.invoke(args=["instruments", "import", str(target), "--key", "vong-lai-2"])
    assert copy.exit_code == 0
    new = services.find_instrument("vong-lai-2").latest
    assert services.definition_of(new)["items"] == services.definition_of(version)["items"]
    assert runner.invoke(args=["instruments", "export", "nowhere"]).exit_code != 0
    assert (
        runner.invoke(args=["instruments", "export", "vong-lai", "--version", "7"]).exit_code != 0
    )


def test_load_defaults_twice_and_list(f, runner):
    first = runner.invoke(args=["instruments", "load-defaults"])
    assert first.exit_code == 0, first.output
    assert first.output.count("created (new instrument)") == 4
    second = runner.invoke(args=["instruments", "load-defaults"])
    assert second.exit_code == 0 and second.output.count("unchanged") == 4
    db.session.expire_all()
    listing = runner.invoke(args=["instruments", "list"])
    assert "skill-test\tskill_test\tversion 1" in listing.output
