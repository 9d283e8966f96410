"""Writing many localities at once: insert, rename and move whole trees in a few statements.

Both importers (the ``vietnam-provinces`` package and CSV/XLSX files) describe the wanted
tree as ``Node``s; ``upsert_tree`` makes one scheme match them with bulk statements: one
multi-row INSERT per tree level, one UPDATE that writes the paths of that level, one
executemany UPDATE for renamed units, never one flush per row. Nodes are matched by
(scheme, code), so running the same import again changes nothing. Callers validate the
nodes first (known parents, no cycles); this module trusts them and raises ``ValueError``
on a programming error.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.localities.models import Locality, subtree_filter
from surveyapp.localities.text import fold

_T = Locality.__table__


class Node(NamedTuple):
    """One wanted unit: its official code, name, kind and its parent's code (None for a root)."""

    code: str
    name: str
    kind: str
    parent_code: str | None


@dataclass
class UpsertResult:
    """Counts: ``updated`` = existing units whose name, kind or parent changed; ``moved`` = those
    of them that got a new parent; ``total`` = nodes given."""

    created: int = 0
    updated: int = 0
    moved: int = 0
    total: int = 0


def existing_rows(scheme_id: int) -> dict[str, sa.Row]:
    """code -> (id, code, name, search_name, kind, parent_id, path, depth) of a scheme's units."""
    rows = db.session.execute(
        sa.select(
            _T.c.id,
            _T.c.code,
            _T.c.name,
            _T.c.search_name,
            _T.c.kind,
            _T.c.parent_id,
            _T.c.path,
            _T.c.depth,
        ).where(_T.c.scheme_id == scheme_id)
    ).all()
    return {row.code: row for row in rows}


def upsert_tree(scheme_id: int, nodes: Sequence[Node]) -> UpsertResult:
    """Create, rename and move units of scheme ``scheme_id`` so that they match ``nodes``.

    Units of the scheme that ``nodes`` does not mention are left alone. Flushes, never
    commits; expires the session afterwards because the statements bypass the ORM.
    """
    db.session.flush()
    before = existing_rows(scheme_id)
    result = UpsertResult(total=len(nodes))
    changed = _rename(before, nodes)
    current = dict(before)
    for level in _generations([n for n in nodes if n.code not in before], before):
        _insert_level(scheme_id, level, current)
        current = existing_rows(scheme_id)
        result.created += len(level)
    codes_by_id = {row.id: code for code, row in current.items()}
    for node in nodes:
        row = before.get(node.code)
        if row is not None and codes_by_id.get(row.parent_id) != node.parent_code:
            move_subtree(row.id, current[node.parent_code].id if node.parent_code else None)
            changed.add(node.code)
            result.moved += 1
    result.updated = len(changed)
    db.session.expire_all()
    return result


def _rename(before: dict[str, sa.Row], nodes: Sequence[Node]) -> set[str]:
    """Write new names and kinds in one executemany; return the codes changed."""
    changed = [
        n
        for n in nodes
        if n.code in before
        and (before[n.code].name, before[n.code].kind, before[n.code].search_name)
        != (n.name, n.kind, fold(n.name))
    ]
    if changed:
        db.session.execute(
            sa.update(_T)
            .where(_T.c.id == sa.bindparam("b_id"))
            .values(
                name=sa.bindparam("b_name"),
                search_name=sa.bindparam("b_search"),
                kind=sa.bindparam("b_kind"),
            ),
            [
                {
                    "b_id": before[n.code].id,
                    "b_name": n.name,
                    "b_search": fold(n.name),
                    "b_kind": n.kind,
                }
                for n in changed
            ],
        )
    return {n.code for n in changed}


def _generations(new_nodes: list[Node], before: dict[str, sa.Row]) -> list[list[Node]]:
    """Split new nodes into levels: a node's parent is existing or in an earlier level."""
    by_code = {n.code: n for n in new_nodes}
    generation: dict[str, int] = {}
    for node in new_nodes:
        chain: list[str] = []
        code: str | None = node.code
        while code in by_code and code not in generation:
            chain.append(code)
            if len(chain) > len(by_code):
                raise ValueError(f"cycle through locality code {node.code}")
            code = by_code[code].parent_code
        base = generation.get(code, -1) if code is not None else -1
        for step, member in enumerate(reversed(chain), start=1):
            generation[member] = base + step
    levels: dict[int, list[Node]] = defaultdict(list)
    for node in new_nodes:
        levels[generation[node.code]].append(node)
    return [levels[g] for g in sorted(levels)]


def _insert_level(scheme_id: int, level: list[Node], current: dict[str, sa.Row]) -> None:
    rows = []
    for node in level:
        parent = current.get(node.parent_code) if node.parent_code else None
        if node.parent_code and parent is None:
            raise ValueError(f"unknown parent code {node.parent_code} of {node.code}")
        rows.append(
            {
                "scheme_id": scheme_id,
                "code": node.code,
                "name": node.name,
                "search_name": fold(node.name),
                "kind": node.kind,
                "parent_id": parent.id if parent else None,
                "path": "",
                "depth": parent.depth + 1 if parent else 0,
            }
        )
    db.session.execute(sa.insert(_T), rows)
    # The path holds the row's own id, known only now: parent's path + id + "/".
    parent = _T.alias("parent")
    parent_path = sa.select(parent.c.path).where(parent.c.id == _T.c.parent_id).scalar_subquery()
    new_path = sa.func.coalesce(parent_path, "/") + sa.cast(_T.c.id, sa.String) + "/"
    db.session.execute(
        sa.update(_T).where(_T.c.scheme_id == scheme_id, _T.c.path == "").values(path=new_path)
    )


def move_subtree(locality_id: int, new_parent_id: int | None) -> None:
    """Re-attach a unit (and its whole subtree) under ``new_parent_id``, rewriting paths in SQL."""
    node = db.session.execute(sa.select(_T.c.path, _T.c.depth).where(_T.c.id == locality_id)).one()
    if new_parent_id is None:
        new_path, new_depth = f"/{locality_id}/", 0
    else:
        parent = db.session.execute(
            sa.select(_T.c.path, _T.c.depth).where(_T.c.id == new_parent_id)
        ).one()
        if parent.path.startswith(node.path):
            raise ValueError(f"locality {locality_id} cannot move under its own subtree")
        new_path, new_depth = f"{parent.path}{locality_id}/", parent.depth + 1
    tail = sa.func.substr(_T.c.path, len(node.path) + 1, type_=sa.String)
    db.session.execute(
        sa.update(_T)
        .where(subtree_filter(_T.c.path, node.path))
        .values(
            path=sa.literal(new_path, sa.String) + tail, depth=_T.c.depth + new_depth - node.depth
        )
    )
    db.session.execute(sa.update(_T).where(_T.c.id == locality_id).values(parent_id=new_parent_id))
