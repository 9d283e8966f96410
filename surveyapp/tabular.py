"""Reading uploaded tables (CSV or XLSX) row by row, with line numbers for error reports.

Every importer (localities, targets, populations, participants...) reads through
``read_rows`` and reports problems as ``RowError``s in an ``ImportReport``; an import
with any error writes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from flask_babel import lazy_gettext as _l

MAX_ROWS = 200_000


class TableError(ValueError):
    """The file as a whole cannot be read (wrong format, missing columns)."""


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int, message) -> None:
        self.errors.append(RowError(line, str(message)))


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(
    stream: IO[bytes], filename: str, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` with lower-cased header names and stripped text values.

    ``filename`` decides the format (``.xlsx`` or CSV). Raises ``TableError`` when the
    file cannot be read or lacks a ``required`` column.
    """
    rows = _xlsx_rows(stream) if filename.lower().endswith(".xlsx") else _csv_rows(stream)
    try:
        header = next(rows)
    except StopIteration:
        raise TableError(_l("The file is empty.")) from None
    names = [_clean(h).lower() for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise TableError(_l("Missing columns: %(columns)s", columns=", ".join(missing)))
    for index, values in enumerate(rows, start=2):
        if index > MAX_ROWS:
            raise TableError(_l("The file has more than %(n)s rows.", n=MAX_ROWS))
        cells = [_clean(v) for v in values]
        if not any(cells):
            continue
        cells += [""] * (len(names) - len(cells))
        yield index, dict(zip(names, cells, strict=False))


def _csv_rows(stream: IO[bytes]) -> Iterator[list]:
    raw = stream.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_l("The CSV file must be saved as UTF-8.")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _xlsx_rows(stream: IO[bytes]) -> Iterator[list]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(stream.read()), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError):
        raise TableError(_l("The file is not a valid XLSX workbook.")) from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()
