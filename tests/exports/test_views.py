"""The export pages and downloads: roles, scope, pseudonymisation, formats, bad arguments."""

from __future__ import annotations

import csv
import io
from types import GeneratorType

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from surveyapp.audit.models import AuditEntry
from surveyapp.extensions import db


def _url(world, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/campaigns/{world.campaign.id}/exports/responses" + (f"?{query}" if query else "")


def _csv(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_page_lists_the_choices(world, f, as_user):
    client = as_user(f.user(role="evaluator", locality=world.province))
    page = client.get(f"/campaigns/{world.campaign.id}/exports")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Xã Văn Yên" in html and "kiem-tra" in html
    assert 'name="identities"' not in html
    assert f"/exports/versions/{world.version.id}/codebook" in html


def test_admin_sees_the_identities_box_and_the_campaign_links_here(world, f, as_user):
    client = as_user(f.user(role="admin"))
    assert 'name="identities"' in client.get(f"/campaigns/{world.campaign.id}/exports").text
    detail = client.get(f"/campaigns/{world.campaign.id}").get_data(as_text=True)
    assert f"/campaigns/{world.campaign.id}/exports" in detail


@pytest.mark.parametrize("role", ["coordinator", "evaluator"])
def test_csv_download_is_pseudonymised(world, f, as_user, role):
    client = as_user(f.user(role=role, locality=world.province))
    response = client.get(_url(world))
    rows = _csv(response)
    assert response.headers["Content-Type"].startswith("text/csv")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "filename*=UTF-8''responses" in disposition and "Xa-Thu" not in disposition
    assert [row[2] for row in rows[1:]] == ["PA0001"] * 4 + ["PB0002"] * 2
    assert "full_name" not in rows[0]
    body = response.get_data(as_text=True)
    assert "Nguyễn Văn Yên" not in body and "0912345678" not in body
    assert client.get(_url(world, identities="y")).status_code == 403


def test_admin_with_identities_gets_names_and_is_audited(world, f, as_user):
    admin = f.user(role="admin")
    rows = _csv(as_user(admin).get(_url(world, identities="y")))
    assert rows[0][3:5] == ["full_name", "phone"]
    assert rows[1][3:5] == ["Nguyễn Văn Yên", "0912345678"]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.actor_id == admin.id))
    assert entry.action == "export_identities" and entry.object_id == world.campaign.id
    assert entry.detail["source"] == "web"


def test_admin_without_identities_gets_no_names(world, f, as_user):
    rows = _csv(as_user(f.user(role="admin")).get(_url(world)))
    assert "full_name" not in rows[0]


def test_a_commune_user_sees_only_their_commune(world, f, as_user):
    client = as_user(f.user(role="coordinator", locality=world.a))
    rows = _csv(client.get(_url(world)))
    assert {row[1] for row in rows[1:]} == {"RA00001"}
    assert client.get(_url(world, locality=world.b.id)).status_code == 404
    assert (
        client.get(f"/campaigns/{world.campaign.id}/exports?locality={world.b.id}").status_code
        == 404
    )


def test_a_sibling_commune_campaign_is_not_found(world, f, as_user):
    other = f.campaign(world.b)
    client = as_user(f.user(role="evaluator", locality=world.a))
    assert client.get(f"/campaigns/{other.id}/exports").status_code == 404
    assert client.get(f"/campaigns/{other.id}/exports/responses").status_code == 404
    url = f"/campaigns/{other.id}/exports/versions/{world.version.id}/codebook"
    assert client.get(url).status_code == 404


def test_wide_xlsx_download(world, f, as_user):
    client = as_user(f.user(role="coordinator", locality=world.province))
    response = client.get(
        _url(world, shape="wide", version=world.version.id, format="xlsx"), buffered=True
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-4:] == ("q1", "q2", "q3", "q4")
    assert rows[1][-4:] == ("a", "a;b", 4, "Viết công văn ở Mù Cang Chải")
    assert rows[3][5] == "Xã Văn Yên" and len(rows) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"shape": "tall"}, "Not a valid choice"),
        ({"format": "pdf"}, "Not a valid choice"),
        ({"shape": "wide"}, "Choose the instrument version for a wide export."),
        ({"version": "abc"}, "Invalid Choice"),
        ({"version": "999999"}, "Not a valid choice"),
        ({"locality": "abc"}, "The area must be chosen from the list."),
        ({"locality": "-1"}, "The area must be chosen from the list."),
    ],
)
def test_bad_arguments_give_400_with_a_message(world, f, as_user, args, message):
    client = as_user(f.user(role="evaluator", locality=world.province))
    response = client.get(_url(world, **args))
    assert response.status_code == 400, args
    assert "text/html" in response.headers["Content-Type"]
    assert message in response.text


def test_codebook_download_and_bad_format(world, f, as_user):
    client = as_user(f.user(role="evaluator", locality=world.a))
    url = f"/campaigns/{world.campaign.id}/exports/versions/{world.version.id}/codebook"
    rows = _csv(client.get(url))
    assert rows[1][:4] == ["q1", "1", "single_choice", "Câu một"]
    xlsx = client.get(url + "?format=xlsx", buffered=True)
    assert load_workbook(io.BytesIO(xlsx.get_data())).active["D2"].value == "Câu một"
    bad = client.get(url + "?format=pdf")
    assert bad.status_code == 400 and "CSV or XLSX" in bad.text


def test_trainers_have_no_access(world, f, as_user):
    client = as_user(f.user(role="trainer", locality=world.province))
    assert client.get(_url(world)).status_code == 403


def test_the_csv_response_is_a_stream(world, f, as_user):
    client = as_user(f.user(role="admin"))
    response = client.get(_url(world), buffered=False)
    assert response.is_streamed
    first = next(iter(response.response))
    assert first == "\ufeff".encode() + b"response_id,receipt,participant" + first[34:]
    response.close()


def test_the_view_hands_a_generator_to_flask(world, f, app):
    from surveyapp.exports import services
    from surveyapp.exports.writers import table_csv

    spec = services.response_export(None, world.campaign, world.province)
    table = services.response_table(spec)
    assert isinstance(table.rows, GeneratorType) and isinstance(table.csv_lines, GeneratorType)
    assert isinstance(table_csv(table), GeneratorType)
