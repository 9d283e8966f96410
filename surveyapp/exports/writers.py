"""Writing tables to CSV (streamed) and XLSX (write-only), and naming the downloads.

A table is a header and an iterator of rows; rows are never collected in a list, so the
memory used stays the same whatever the number of rows:

- CSV is UTF-8 with a byte order mark (Excel then reads Vietnamese correctly), written
  through ``csv.writer`` into a small buffer that is handed out in chunks of about 64 KB.
- XLSX uses openpyxl's write-only workbook, which writes each row to a temporary file
  as it comes; the workbook is saved to a file (never built in memory).

Cell values: ``None`` is an empty cell; text starting with ``= + - @`` (a formula to
Excel) gets a leading apostrophe (see ``safe_text``), as OWASP advises for CSV injection.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

BOM = "\ufeff"
CHUNK_SIZE = 64 * 1024
ROWS_PER_WRITE = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Table:
    """A header, the rows (an iterator, consumed once) and names for the file and sheet.

    ``csv_lines``, when given, yields the same rows already written as CSV lines (see
    ``csv_field``); the CSV writer then uses it instead of ``rows``. The long export has
    one, to write a million rows at the speed of a plain loop.
    """

    header: list[str]
    rows: Iterable[list]
    name: str
    sheet: str = "data"
    csv_lines: Iterable[str] | None = None


def csv_field(value) -> str:
    """One field exactly as ``csv.writer`` (excel dialect, minimal quoting) writes it."""
    if value is None:
        return ""
    if type(value) is not str:
        return str(value)
    if '"' in value or "," in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def safe_text(text: str) -> str:
    """``text`` unchanged, or with a leading apostrophe when a spreadsheet would run it."""
    if text and text[0] in FORMULA_STARTS:
        return "'" + text
    return text


def iter_csv(
    header: list[str], rows: Iterable[list], chunk_size: int = CHUNK_SIZE
) -> Iterator[bytes]:
    """Yield the CSV bytes: first the BOM and the header at once, then chunks of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield (BOM + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    rows = iter(rows)
    first = True  # the first rows go out at once, the rest in full chunks
    while batch := list(islice(rows, ROWS_PER_WRITE)):
        writer.writerows(batch)
        if first or buffer.tell() >= chunk_size:
            first = False
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def iter_csv_lines(
    header: list[str], lines: Iterable[str], chunk_size: int = CHUNK_SIZE
) -> Iterator[bytes]:
    """``iter_csv`` for rows already written as CSV lines."""
    yield (BOM + ",".join(csv_field(name) for name in header) + "\r\n").encode("utf-8")
    lines = iter(lines)
    pending, size, first = [], 0, True
    while batch := "".join(islice(lines, ROWS_PER_WRITE)):
        pending.append(batch)
        size += len(batch)
        if first or size >= chunk_size:
            first = False
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode("utf-8")


def table_csv(table: Table) -> Iterator[bytes]:
    """The CSV bytes of ``table`` (BOM, header, then chunks of rows)."""
    if table.csv_lines is not None:
        return iter_csv_lines(table.header, table.csv_lines)
    return iter_csv(table.header, table.rows)


def write_csv(table: Table, stream: IO[bytes]) -> None:
    for chunk in table_csv(table):
        stream.write(chunk)


def _cell(sheet, value):
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    return value


def write_xlsx(table: Table, target: str | IO[bytes]) -> None:
    """Write ``table`` to an XLSX file (a path or a binary file object) in write-only mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.sheet[:31])
    sheet.append(table.header)
    for row in table.rows:
        sheet.append([_cell(sheet, value) for value in row])
    workbook.save(target)


def ascii_name(name: str) -> str:
    """An ASCII file name for old clients: accents dropped, "đ" -> "d", spaces -> "-"."""
    name = name.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(ch for ch in decomposed if ch.isascii() and (ch.isalnum() or ch in "._-"))
    return kept or "export"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the UTF-8 ``filename*`` (RFC 6266)."""
    fallback = ascii_name("-".join(filename.split()))
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
