"""Loading a locality tree from a CSV or XLSX file, so a province can load its own lists.

Columns: ``scheme, code, name, kind, parent_code`` (an empty parent code makes a root).
Rows may come in any order (a parent after its children is fine). Units are matched by
(scheme, code): existing ones are renamed or moved, new ones created. Every problem is
reported with its line number (unknown scheme, unknown parent, duplicate code, empty
name, cycle...) and then nothing at all is written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import IO

import sqlalchemy as sa
from flask_babel import gettext as _

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.models import LocalityScheme
from surveyapp.localities.tree import Node, existing_rows, upsert_tree
from surveyapp.tabular import ImportReport, TableError, read_rows

COLUMNS = ("scheme", "code", "name", "kind", "parent_code")
MAX_LENGTHS = {"code": 20, "name": 200, "kind": 40, "parent_code": 20}


@dataclass
class _Row:
    line: int
    scheme: str
    node: Node


def import_tree_file(stream: IO[bytes], filename: str) -> ImportReport:
    """Check every row of the file, then (only when all are valid) write them. Flushes only.

    Raises ``DomainError`` when the file as a whole cannot be read.
    """
    try:
        raw_rows = list(read_rows(stream, filename, COLUMNS))
    except TableError as error:
        raise DomainError(str(error), field="file") from None
    report = ImportReport()
    schemes = dict(db.session.execute(sa.select(LocalityScheme.code, LocalityScheme.id)).all())
    rows = _check_cells(raw_rows, schemes, report)
    by_scheme: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        by_scheme[row.scheme].append(row)
    existing = {code: existing_rows(schemes[code]) for code in by_scheme}
    seen_codes = {(values["scheme"], values["code"]) for _line, values in raw_rows}
    for scheme, scheme_rows in by_scheme.items():
        _check_parents(scheme, scheme_rows, existing[scheme], seen_codes, report)
    if not raw_rows:
        report.error(1, _("The file has no rows to import."))
    if not report.ok:
        report.errors.sort(key=lambda e: e.line)
        return report
    for scheme, scheme_rows in by_scheme.items():
        result = upsert_tree(schemes[scheme], [row.node for row in scheme_rows])
        report.created += result.created
        report.updated += result.updated
    return report


def _check_cells(raw_rows, schemes: dict[str, int], report: ImportReport) -> list[_Row]:
    """Per-row checks; return the rows that passed, first occurrence of each code only."""
    first_line: dict[tuple[str, str], int] = {}
    good: list[_Row] = []
    for line, values in raw_rows:
        problems = _cell_problems(values, schemes)
        key = (values["scheme"], values["code"])
        if values["code"] and key in first_line:
            problems.append(
                _(
                    "The code %(code)s appears twice in scheme %(scheme)s (first on line %(line)s).",  # noqa: E501
                    code=values["code"],
                    scheme=values["scheme"],
                    line=first_line[key],
                )
            )
        first_line.setdefault(key, line)
        for problem in problems:
            report.error(line, problem)
        if not problems:
            node = Node(
                values["code"], values["name"], values["kind"], values["parent_code"] or None
            )
            good.append(_Row(line, values["scheme"], node))
    return good


def _cell_problems(values: dict[str, str], schemes: dict[str, int]) -> list[str]:
    problems = []
    if values["scheme"] not in schemes:
        problems.append(
            _(
                'Unknown scheme "%(scheme)s"; use one of: %(known)s.',
                scheme=values["scheme"],
                known=", ".join(sorted(schemes)) or "–",
            )
        )
    required = {
        "code": _("The code is empty."),
        "name": _("The name is empty."),
        "kind": _("The kind is empty."),
    }
    for column, message in required.items():
        if not values[column]:
            problems.append(message)
    for column, limit in MAX_LENGTHS.items():
        if len(values[column]) > limit:
            problems.append(
                _("The %(column)s is longer than %(n)s characters.", column=column, n=limit)
            )
    return problems


def _check_parents(scheme, rows: list[_Row], existing, seen_codes, report: ImportReport) -> None:
    """Unknown parents and cycles, judged on the tree as it will be after the import."""
    in_file = {row.node.code: row for row in rows}
    code_of_id = {row.id: code for code, row in existing.items()}

    def parent_of(code: str) -> str | None:
        if code in in_file:
            return in_file[code].node.parent_code
        return code_of_id.get(existing[code].parent_id) if code in existing else None

    for row in rows:
        parent = row.node.parent_code
        if parent and parent not in existing and (scheme, parent) not in seen_codes:
            report.error(
                row.line,
                _("Unknown parent code %(code)s in scheme %(scheme)s.", code=parent, scheme=scheme),
            )
    settled: set[str] = set()
    for row in rows:
        chain: list[str] = []
        code: str | None = row.node.code
        while code is not None and code not in settled and code not in chain:
            chain.append(code)
            code = parent_of(code)
        if code is not None and code in chain:
            loop = chain[chain.index(code) :]
            for member in loop:
                if member in in_file:
                    report.error(
                        in_file[member].line,
                        _("The parents form a cycle: %(codes)s.", codes=" → ".join([*loop, code])),
                    )
        settled.update(chain)
