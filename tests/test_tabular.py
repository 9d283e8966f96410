import io

import pytest
from openpyxl import Workbook

from surveyapp.tabular import TableError, read_rows


def test_csv_with_bom_semicolons_and_vietnamese(ctx):
    data = "\ufeffCode;Name\n15;Yên Bái\n\n16;Mù Cang Chải\n".encode()
    rows = list(read_rows(io.BytesIO(data), "x.csv", ("code", "name")))
    assert rows == [
        (2, {"code": "15", "name": "Yên Bái"}),
        (4, {"code": "16", "name": "Mù Cang Chải"}),
    ]


def test_xlsx_numbers_become_text(ctx):
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name"])
    sheet.append([15.0, "Văn Yên"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    assert list(read_rows(buffer, "t.XLSX", ("code",))) == [(2, {"code": "15", "name": "Văn Yên"})]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "empty"),
        (b"code\n1\n", "a.csv", "name"),
        ("code,name\n1,Yên\n".encode("cp1258"), "a.csv", "UTF-8"),
        (b"not a zip", "a.xlsx", "XLSX"),
    ],
)
def test_unreadable_files(ctx, data, name, message):
    with pytest.raises(TableError, match=message):
        list(read_rows(io.BytesIO(data), name, ("code", "name")))
