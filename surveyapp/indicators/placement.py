"""Where things count: each locality of a head's subtree and the child of the head it lies in.

``located(head, geography)`` is a small CTE over localities (not over data rows):
``locality_id`` (where a class, member or material was registered), ``node_id`` (the unit
it counts at: itself, or with geography ``CURRENT`` the newer unit the crosswalk maps an
older-scheme unit to) and ``child_id`` (the child of ``head`` whose subtree holds that unit;
NULL when it is ``head`` itself). Figures join it once and GROUP BY ``child_id``, so every
child's figure comes from one query, and the head's figure is the sum of all the groups.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from surveyapp.localities.models import Locality, LocalityCrosswalk, subtree_filter

from .kpi_types import CURRENT


def child_upper_bound(path_column):
    """SQL twin of ``path_upper_bound``: '/1/7/' -> '/1/70'."""
    return sa.func.substr(path_column, 1, sa.func.length(path_column) - 1) + "0"


def _mapped_places(head: Locality):
    """Older-scheme units mapped (whole, not partially) to a unit of ``head``'s scheme inside
    ``head``'s subtree. A unit with several whole links counts at the first one by path,
    so it is never counted twice."""
    old, new, node = aliased(Locality), aliased(Locality), aliased(Locality)
    link = LocalityCrosswalk
    mapped = (
        sa.select(link.old_id.label("locality_id"), sa.func.min(new.path).label("path"))
        .join(new, new.id == link.new_id)
        .join(old, old.id == link.old_id)
        .where(
            link.partial.is_(False),
            new.scheme_id == head.scheme_id,
            old.scheme_id != head.scheme_id,
        )
        .group_by(link.old_id)
        .subquery("mapped")
    )
    return (
        sa.select(
            mapped.c.locality_id,
            node.id.label("node_id"),
            node.path.label("path"),
        )
        .join(node, node.path == mapped.c.path)
        .where(subtree_filter(node.path, head.path))
    )


def located(head: Locality, geography: str):
    """Materialised CTE (locality_id, node_id, child_id) of the places that count under
    ``head``: computed once per statement (a few thousand rows at most), then joined by
    ``locality_id`` instead of matching every data row against the children's paths."""
    place = aliased(Locality)
    places = sa.select(
        place.id.label("locality_id"), place.id.label("node_id"), place.path.label("path")
    ).where(subtree_filter(place.path, head.path))
    if geography == CURRENT:
        places = sa.union_all(places, _mapped_places(head))
    places = places.subquery("places")
    child = aliased(Locality)
    return (
        sa.select(places.c.locality_id, places.c.node_id, child.id.label("child_id"))
        .outerjoin(
            child,
            sa.and_(
                child.parent_id == head.id,
                places.c.path >= child.path,
                places.c.path < child_upper_bound(child.path),
            ),
        )
        .cte("located")
        .prefix_with("MATERIALIZED")
    )
