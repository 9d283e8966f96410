"""The people export: one row per learner, pseudonymised, matching the indicator counts."""

from __future__ import annotations

import csv
import io
from collections import Counter

from surveyapp.exports import people
from surveyapp.indicators.kpis import kpi_table


def _rows(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_people_export_matches_the_kpis(world, f, as_user):
    assert people.available()
    client = as_user(f.user(role="evaluator", locality=world.province))
    rows = _rows(client.get(f"/campaigns/{world.campaign.id}/exports/people"))
    assert sorted(row["public_id"] for row in rows) == ["PA0001", "PA0003", "PB0002"]
    assert {row["rule_version"] for row in rows} == {"1"}
    assert {row["home_locality_name"] for row in rows} == {"Xã Mù Cang Chải", "Xã Văn Yên"}
    table = kpi_table(world.campaign, world.province)
    assert len(rows) == table.head.kpis["learners"].actual
    outcomes = Counter(row["outcome"] for row in rows)
    assert outcomes["achieved"] == table.head.kpis["effective_appliers"].actual
    for child in table.children:
        mine = [row for row in rows if row["home_locality_code"] == child.locality.code]
        assert len(mine) == child.kpis["learners"].actual
    text = "".join(str(v) for row in rows for v in row.values())
    assert "Nguyễn Văn Yên" not in text


def test_people_export_of_a_commune_and_its_scope(world, f, as_user):
    client = as_user(f.user(role="coordinator", locality=world.b))
    url = f"/campaigns/{world.campaign.id}/exports/people"
    rows = _rows(client.get(url))
    assert [row["public_id"] for row in rows] == ["PB0002"]
    assert client.get(f"{url}?locality={world.a.id}").status_code == 404
    assert client.get(f"{url}?format=pdf").status_code == 400


def test_people_cli(world, runner, tmp_path):
    out = tmp_path / "people.csv"
    args = ["export", "people", "--campaign", str(world.campaign.id), "--locality", world.a.code]
    result = runner.invoke(args=[*args, "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert sorted(row["public_id"] for row in rows) == ["PA0001", "PA0003"]
