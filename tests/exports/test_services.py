"""The export tables match the database exactly, for the hand-built campaign of conftest."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from surveyapp.audit.models import AuditEntry
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.exports import services
from surveyapp.exports.writers import BOM, iter_csv, write_xlsx
from surveyapp.extensions import db
from surveyapp.responses.models import Answer

LONG_HEADER = [
    "response_id", "receipt", "participant", "class_id", "locality_code", "locality_name",
    "segment", "instrument_key", "version_number", "moment", "submitted_at",
    "item_key", "value", "number", "points", "score", "max_score", "excluded", "flags",
]  # fmt: skip


def _prefix(world, index):
    response = world.responses[index]
    cls = (world.class_a, world.class_b, world.class_a)[index]
    place = world.a if cls is world.class_a else world.b
    person = world.people[index]
    when = ("2026-03-02T09:30:00Z", "2026-03-03T01:00:00Z", "2026-03-04T23:59:59Z")[index]
    return [
        response.id, response.receipt_code, person.public_id, cls.id, place.code, place.name,
        person.segment, "kiem-tra", 2, "post", when,
    ]  # fmt: skip


SUFFIX = (
    [Decimal("3.5"), Decimal("3.5"), 0, ""],
    [0, Decimal("3.5"), 1, "too_fast;straight_lining"],
    [None, None, 0, ""],
)
TEXT = "Viết công văn ở Mù Cang Chải"


def _long(world, head, **kwargs):
    spec = services.response_export(None, world.campaign, head, **kwargs)
    table = services.response_table(spec)
    return table.header, list(table.rows)


def test_long_rows_match_the_database(world):
    header, rows = _long(world, world.province)
    assert header == LONG_HEADER
    r1, r2 = _prefix(world, 0), _prefix(world, 1)
    assert rows == [
        r1 + ["q1", "a", None, 1] + SUFFIX[0],
        r1 + ["q2", "a;b", None, Decimal("2.5")] + SUFFIX[0],
        r1 + ["q3", 4, 4, None] + SUFFIX[0],
        r1 + ["q4", TEXT, None, None] + SUFFIX[0],
        r2 + ["q1", "b", None, 0] + SUFFIX[1],
        r2 + ["q4", '\'=HYPERLINK("x")', None, None] + SUFFIX[1],
    ]


def test_wide_rows_match_the_database(world):
    spec = services.response_export(
        None, world.campaign, world.province, shape="wide", version=world.version
    )
    table = services.response_table(spec)
    assert table.header == LONG_HEADER[:11] + LONG_HEADER[15:] + ["q1", "q2", "q3", "q4"]
    assert list(table.rows) == [
        _prefix(world, 0) + SUFFIX[0] + ["a", "a;b", 4, TEXT],
        _prefix(world, 2) + SUFFIX[2] + [None, None, None, None],
        _prefix(world, 1) + SUFFIX[1] + ["b", None, None, '\'=HYPERLINK("x")'],
    ]


def test_a_locality_limits_the_rows_to_its_classes(world):
    _header, rows = _long(world, world.a)
    assert {row[1] for row in rows} == {"RA00001"}
    spec = services.response_export(
        None, world.campaign, world.b, shape="wide", version=world.version
    )
    assert [row[1] for row in services.response_table(spec).rows] == ["RB00002"]


def test_excluded_responses_are_kept_and_flagged(world):
    _header, rows = _long(world, world.b)
    assert rows and all(row[-2] == 1 and row[-1] == "too_fast;straight_lining" for row in rows)


def test_identities_add_names_and_are_audited(world, f):
    admin = f.user(role="admin")
    header, rows = _long(world, world.province, identities=True)
    assert header[3:5] == ["full_name", "phone"]
    assert rows[0][3:5] == ["Nguyễn Văn Yên", "0912345678"]
    services.response_export(admin, world.campaign, world.a, identities=True)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.actor_id == admin.id))
    assert entry.action == "export_identities" and entry.locality_id == world.a.id
    assert entry.detail["shape"] == "long"


@pytest.mark.parametrize("role", ["coordinator", "evaluator"])
def test_only_admins_get_identities(world, f, role):
    user = f.user(role=role, locality=world.province)
    with pytest.raises(NotAllowed):
        services.response_export(user, world.campaign, world.province, identities=True)
    header, rows = _long(world, world.province)
    assert "full_name" not in header
    assert not any("Nguyễn Văn Yên" in str(cell) for row in rows for cell in row)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"shape": "tall"}, "shape"),
        ({"fmt": "pdf"}, "format"),
        ({"shape": "wide"}, "version"),
    ],
)
def test_bad_requests_raise_domain_errors(world, kwargs, field):
    with pytest.raises(DomainError) as caught:
        services.response_export(None, world.campaign, world.province, **kwargs)
    assert caught.value.field == field and caught.value.status_code == 400


def test_a_version_outside_the_campaign_or_a_foreign_locality_is_refused(world, f):
    other = f.campaign(world.b)
    with pytest.raises(DomainError):
        services.response_export(None, other, world.a)
    with pytest.raises(DomainError):
        services.response_export(None, other, world.b, shape="wide", version=world.version)


def test_codebook_rows(world):
    table = services.codebook_table(world.version)
    rows = list(table.rows)
    assert table.header[:5] == ["item_key", "position", "type", "label_vi", "label_en"]
    assert rows[0] == [
        "q1", 1, "single_choice", "Câu một", "One", "a=Trợ lý ảo; b=Tạo ảnh",
        "a=Chatbot; b=Images", "genai_tools", 1, 0, "a",
    ]  # fmt: skip
    assert rows[1][8:] == [Decimal("2.5"), 0, "a;b"]
    assert rows[2][9] == 1


def test_codebook_rows_outlive_the_session_of_the_view(world):
    """A CSV download streams after the view's session is gone (the app context is torn
    down before the body is sent): the rows must not lazy-load from the version then."""
    expected = list(services.codebook_table(world.version).rows)
    db.session.expire(world.version)
    table = services.codebook_table(world.version)
    db.session.expunge_all()  # what the teardown of the request's app context does
    assert list(table.rows) == expected


def test_csv_has_a_bom_and_keeps_vietnamese(world):
    _header, _rows = _long(world, world.province)
    spec = services.response_export(None, world.campaign, world.province)
    table = services.response_table(spec)
    data = b"".join(iter_csv(table.header, table.rows))
    assert data.startswith(BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == LONG_HEADER
    assert rows[1][5] == "Xã Mù Cang Chải" and rows[4][12] == TEXT
    assert rows[5][5] == "Xã Văn Yên" and rows[2][13:15] == ["", "2.5"]


def test_xlsx_keeps_vietnamese_and_never_writes_formulas(world, tmp_path):
    spec = services.response_export(None, world.campaign, world.province, fmt="xlsx")
    path = tmp_path / "out.xlsx"
    write_xlsx(services.response_table(spec), str(path))
    sheet = load_workbook(path).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == LONG_HEADER
    assert rows[4][12] == TEXT and rows[5][5] == "Xã Văn Yên"
    assert rows[6][12] == '\'=HYPERLINK("x")'
    assert rows[2][14] == 2.5 and rows[1][0] == world.responses[0].id


def test_streaming_yields_before_the_rows_are_read(world):
    consumed = []

    def rows():
        for n in range(5000):
            consumed.append(n)
            yield [n, "Văn Yên"]

    chunks = iter_csv(["n", "name"], rows(), chunk_size=1024)
    first = next(chunks)
    assert first == (BOM + "n,name\r\n").encode("utf-8") and consumed == []
    second = next(chunks)
    assert second and len(consumed) < 5000


@pytest.mark.parametrize(
    "value",
    [
        "a",
        "Văn Yên",
        'say "hi"',
        "=1+1",
        "-x",
        "",
        ["a", "b"],
        ["a"],
        [],
        ["Mù", "Cang, Chải"],
        [1, 2],
        4,
        -3,
        2.5,
        1e-05,
        True,
        None,
        {"k": "v"},
    ],
)
def test_the_json_fast_path_agrees_with_json_loads(value):
    import json

    for text in (json.dumps(value), json.dumps(value, separators=(",", ":"))):
        if value is None:
            assert services.json_value(None) is None
            continue
        assert services.json_value(text) == services.answer_value(value), text


@pytest.mark.parametrize(
    "value",
    ["", "plain", "a,b", 'say "hi"', "two\nlines", "cr\r", " spaced ", "Mù Cang Chải", 4, 2.5,
     None, Decimal("2.5"), True],
)  # fmt: skip
def test_csv_field_writes_what_csv_writer_writes(value):
    from surveyapp.exports.writers import csv_field

    buffer = io.StringIO()
    csv.writer(buffer).writerow(["x", value, "y"])
    assert f"x,{csv_field(value)},y\r\n" == buffer.getvalue()


@pytest.mark.parametrize("identities", [False, True])
def test_the_fast_csv_lines_equal_csv_writer_rows(world, identities):
    from surveyapp.exports.writers import table_csv

    r3, (_q1, q2, _q3, q4) = world.responses[2], world.items
    db.session.add(Answer(response_id=r3.id, item_id=q2.id, value=["x,y", 'q"']))
    db.session.add(Answer(response_id=r3.id, item_id=q4.id, value="dòng một\ndòng, hai"))
    world.people[0].full_name = 'Nguyễn "Yên", Văn'
    db.session.flush()
    spec = services.response_export(None, world.campaign, world.province, identities=identities)
    fast = b"".join(table_csv(services.response_table(spec)))
    table = services.response_table(spec)
    assert fast == b"".join(iter_csv(table.header, table.rows))
    assert b'"x,y;q"""' in fast and '"dòng một\ndòng, hai"'.encode() in fast
    assert ('"Nguyễn ""Yên"", Văn"'.encode() in fast) == identities
