"""Seeding both administrative schemes and the crosswalk from the ``vietnam-provinces`` package.

The package (GPL-3.0-or-later, pinned in pyproject) carries the official lists of the
General Statistics Office: the pre-July-2025 three-level map (``vietnam_provinces.legacy``),
today's two-level map, and the 2025 conversion tables (old commune -> new communes with a
"partly merged" flag; old province -> new provinces). We read its data and write it into
our own tables; none of its code is copied. Codes are stored zero-padded, as published:
province "15", district "080", commune "04246".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.models import Locality, LocalityCrosswalk, LocalityScheme
from surveyapp.localities.tree import Node, UpsertResult, upsert_tree

OLD, NEW = "2024", "2025"
REFORM_DATE = date(2025, 7, 1)


@dataclass(frozen=True)
class SchemeInfo:
    name: str
    effective_from: date
    superseded_on: date | None


# The three-level map stands for the whole period before the reform (the 2024 pilot data
# included); the package gives its last state, just before 01/07/2025.
SCHEMES = {
    OLD: SchemeInfo("Địa giới 3 cấp (trước 01/07/2025)", date(2024, 1, 1), REFORM_DATE),
    NEW: SchemeInfo("Địa giới 2 cấp (từ 01/07/2025)", REFORM_DATE, None),
}


@dataclass
class ImportSummary:
    """What ``import_vietnam_provinces`` did, per scheme and for the crosswalk."""

    schemes: dict[str, UpsertResult] = field(default_factory=dict)
    crosswalk_created: int = 0
    crosswalk_updated: int = 0
    crosswalk_total: int = 0

    def lines(self) -> list[str]:
        out = [
            f"scheme {code}: {r.total} localities ({r.created} created, {r.updated} updated, "
            f"{r.moved} moved)"
            for code, r in self.schemes.items()
        ]
        out.append(
            f"crosswalk: {self.crosswalk_total} links ({self.crosswalk_created} created, "
            f"{self.crosswalk_updated} updated)"
        )
        return out


def ensure_scheme(code: str) -> LocalityScheme:
    """Get or create the scheme ``code`` ("2024" or "2025"), with its name and dates."""
    info = SCHEMES[code]
    scheme = db.session.scalar(sa.select(LocalityScheme).where(LocalityScheme.code == code))
    if scheme is None:
        scheme = LocalityScheme(code=code)
        db.session.add(scheme)
    scheme.name = info.name
    scheme.effective_from = info.effective_from
    scheme.superseded_on = info.superseded_on
    db.session.flush()
    return scheme


def import_vietnam_provinces(
    *, schemes: tuple[str, ...] = (OLD, NEW), province_codes: tuple[str, ...] | None = None
) -> ImportSummary:
    """Create or update the chosen schemes (all provinces, or only ``province_codes``) and
    the crosswalk rows whose both ends exist. Idempotent; flushes, never commits."""
    unknown = [code for code in schemes if code not in SCHEMES]
    if unknown or not schemes:
        raise DomainError(_("Unknown administrative scheme: %(code)s", code=", ".join(unknown)))
    wanted = _province_filter(schemes, province_codes)
    summary = ImportSummary()
    builders = {OLD: _old_nodes, NEW: _new_nodes}
    for code in dict.fromkeys(schemes):
        scheme = ensure_scheme(code)
        summary.schemes[code] = upsert_tree(scheme.id, builders[code](wanted))
    _sync_crosswalk(summary)
    return summary


def _province_filter(schemes, province_codes) -> set[int] | None:
    if province_codes is None:
        return None
    from vietnam_provinces import Province
    from vietnam_provinces.legacy import Province as OldProvince

    known = set()
    if OLD in schemes:
        known |= {p.code.value for p in OldProvince.iter_all()}
    if NEW in schemes:
        known |= {p.code.value for p in Province.iter_all()}
    wanted = set()
    for raw in province_codes:
        text = str(raw).strip()
        if not text.isdigit() or int(text) not in known:
            raise DomainError(_("Unknown province code: %(code)s", code=text))
        wanted.add(int(text))
    return wanted


def _old_nodes(wanted: set[int] | None) -> list[Node]:
    from vietnam_provinces.legacy import District, Province, Ward

    provinces = [p for p in Province.iter_all() if wanted is None or p.code.value in wanted]
    codes = {p.code.value for p in provinces}
    districts = [d for d in District.iter_all() if d.province_code.value in codes]
    district_codes = {d.code.value for d in districts}
    communes = [w for w in Ward.iter_all() if w.district_code.value in district_codes]
    return [
        *(Node(f"{p.code.value:02d}", p.name, "province", None) for p in provinces),
        *(
            Node(f"{d.code.value:03d}", d.name, "district", f"{d.province_code.value:02d}")
            for d in districts
        ),
        *(
            Node(f"{w.code.value:05d}", w.name, "commune", f"{w.district_code.value:03d}")
            for w in communes
        ),
    ]


def _new_nodes(wanted: set[int] | None) -> list[Node]:
    from vietnam_provinces import Province, Ward

    provinces = [p for p in Province.iter_all() if wanted is None or p.code.value in wanted]
    codes = {p.code.value for p in provinces}
    return [
        *(Node(f"{p.code.value:02d}", p.name, "province", None) for p in provinces),
        *(
            Node(f"{w.code.value:05d}", w.name, "commune", f"{w.province_code.value:02d}")
            for w in Ward.iter_all()
            if w.province_code.value in codes
        ),
    ]


def _codes(scheme_code: str, kind: str) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Locality.code, Locality.id)
        .join(LocalityScheme, Locality.scheme_id == LocalityScheme.id)
        .where(LocalityScheme.code == scheme_code, Locality.kind == kind)
    ).all()
    return {code: id_ for code, id_ in rows}


def wanted_links() -> dict[tuple[int, int], bool]:
    """(old id, new id) -> partial, for every package link whose both ends are in the database."""
    from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW as PROVINCES
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as COMMUNES

    links: dict[tuple[int, int], bool] = {}
    old, new = _codes(OLD, "commune"), _codes(NEW, "commune")
    for entry in COMMUNES.values():
        old_id = old.get(f"{entry.old_ward.code:05d}")
        for target in entry.new_wards:
            new_id = new.get(f"{target.code:05d}")
            if old_id and new_id:
                links[(old_id, new_id)] = entry.old_ward.is_partly_merged
    old, new = _codes(OLD, "province"), _codes(NEW, "province")
    for entry in PROVINCES.values():
        old_id = old.get(f"{entry.old_province.code:02d}")
        for target in entry.new_provinces:
            new_id = new.get(f"{target.code:02d}")
            if old_id and new_id:
                # An old province split between new ones (Tiền Giang) is a partial link.
                links[(old_id, new_id)] = len(entry.new_provinces) > 1
    return links


def _sync_crosswalk(summary: ImportSummary) -> None:
    links = wanted_links()
    summary.crosswalk_total = len(links)
    if not links:
        return
    old = sa.orm.aliased(Locality)
    have = {
        (row.old_id, row.new_id): (row.id, row.partial)
        for row in db.session.execute(
            sa.select(
                LocalityCrosswalk.id,
                LocalityCrosswalk.old_id,
                LocalityCrosswalk.new_id,
                LocalityCrosswalk.partial,
            )
            .join(old, LocalityCrosswalk.old_id == old.id)
            .join(LocalityScheme, old.scheme_id == LocalityScheme.id)
            .where(LocalityScheme.code == OLD)
        )
    }
    table = LocalityCrosswalk.__table__
    missing = [
        {"old_id": o, "new_id": n, "partial": p, "effective_on": REFORM_DATE}
        for (o, n), p in links.items()
        if (o, n) not in have
    ]
    changed = [
        {"b_id": have[key][0], "b_partial": p}
        for key, p in links.items()
        if key in have and have[key][1] != p
    ]
    if missing:
        db.session.execute(sa.insert(table), missing)
    if changed:
        db.session.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("b_id"))
            .values(partial=sa.bindparam("b_partial")),
            changed,
        )
    summary.crosswalk_created, summary.crosswalk_updated = len(missing), len(changed)
    db.session.expire_all()
