"""Loading a tree from CSV/XLSX: row order, idempotency, and every rejected row reported."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.csv_import import import_tree_file
from surveyapp.localities.models import Locality

from .conftest import unit

GOOD = """scheme,code,name,kind,parent_code
2024,04378,Xã Lang Thíp,commune,136
2024,136,Huyện Văn Yên,district,15
2024,15,Tỉnh Yên Bái,province,
2024,04375,Thị trấn Mậu A,commune,136
2025,15,Tỉnh Lào Cai,province,
"""


def load(text: str, filename: str = "list.csv"):
    return import_tree_file(io.BytesIO(text.encode("utf-8")), filename)


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Locality.id)))


@pytest.fixture
def schemes(f):
    return f.scheme("2024"), f.scheme("2025")


def test_parents_after_children_and_diacritics(schemes):
    report = load(GOOD)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (5, 0)
    commune, district = unit("2024", "04378"), unit("2024", "136")
    assert commune.name == "Xã Lang Thíp" and commune.parent_id == district.id
    assert commune.path.startswith(unit("2024", "15").path) and commune.depth == 2
    assert unit("2025", "15").name == "Tỉnh Lào Cai"


def test_rerun_is_idempotent_and_updates(schemes):
    load(GOOD)
    again = load(GOOD)
    assert (again.created, again.updated, count()) == (0, 0, 5)
    moved = load("scheme,code,name,kind,parent_code\n2024,04378,Xã Lang Thíp mới,commune,15\n")
    assert (moved.created, moved.updated) == (0, 1)
    commune = unit("2024", "04378")
    assert commune.name == "Xã Lang Thíp mới" and commune.depth == 1


def test_xlsx_with_semicolon_free_cells(schemes):
    book = Workbook()
    sheet = book.active
    sheet.append(["Scheme", "Code", "Name", "Kind", "Parent_code"])
    sheet.append(["2025", "15", "Tỉnh Lào Cai", "province", None])
    sheet.append(["2025", "04375", "Xã Mậu A", "commune", "15"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    report = import_tree_file(buffer, "lists.xlsx")
    assert report.ok and report.created == 2
    assert unit("2025", "04375").parent_id == unit("2025", "15").id


BAD = """scheme,code,name,kind,parent_code
2024,15,Tỉnh Yên Bái,province,
1999,01,Xã Lạ,commune,
2024,136,Huyện Văn Yên,district,15
2024,136,Huyện Văn Yên lần hai,district,15
2024,04375,,commune,136
2024,04378,Xã Lang Thíp,commune,999
2024,A,Xã A,commune,B
2024,B,Xã B,commune,A
2024,C,Xã C,commune,C
2024,04381,Xã Lâm Giang,,136
"""


def test_every_bad_row_is_reported_and_nothing_written(schemes):
    report = load(BAD)
    assert not report.ok
    by_line = {}
    for error in report.errors:
        by_line.setdefault(error.line, []).append(error.message)
    assert sorted(by_line) == [3, 5, 6, 7, 8, 9, 10, 11]
    assert "1999" in by_line[3][0]
    assert "(first on line 4)" in by_line[5][0]
    assert "999" in by_line[7][0]
    assert "A" in by_line[8][0] and "B" in by_line[9][0]
    assert "C → C" in by_line[10][0]
    assert [e.line for e in report.errors] == sorted(e.line for e in report.errors)
    assert count() == 0


def test_cycle_through_existing_units(schemes):
    load(GOOD)
    # Putting the province under its own commune closes a loop through stored rows.
    report = load("scheme,code,name,kind,parent_code\n2024,15,Tỉnh Yên Bái,province,04375\n")
    assert [e.line for e in report.errors] == [2]
    assert unit("2024", "15").parent_id is None


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        ("", "empty.csv"),
        ("scheme,code,name\n2024,1,x\n", "missing.csv"),
        ("not a workbook", "fake.xlsx"),
        ("scheme,code,name,kind,parent_code\n", "header-only.csv"),
    ],
)
def test_unreadable_files(schemes, content, filename):
    if filename == "header-only.csv":
        report = load(content, filename)
        assert [e.line for e in report.errors] == [1]
        return
    with pytest.raises(DomainError):
        load(content, filename)


def test_latin1_file_is_refused(schemes):
    with pytest.raises(DomainError, match="UTF-8"):
        import_tree_file(io.BytesIO(GOOD.encode("cp1258", errors="replace")), "x.csv")


def test_cli_import_csv(runner, schemes, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["localities", "import-csv", str(good)])
    assert result.exit_code == 0, result.output
    assert "5 created, 0 updated" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    result = runner.invoke(args=["localities", "import-csv", str(bad)])
    assert result.exit_code == 1
    assert "line 3:" in result.output and "line 11:" in result.output
    assert "nothing imported: 8 rows rejected" in result.output
    assert count() == 5
