"""Flags of one response: too fast for its length, straight-lining down a Likert block.

The thresholds and their reasons live in ``flags`` (pure functions); this module feeds them
from the database. The pace of a response is judged against the other responses to the
same class form (one form, one sitting of one class: a few dozen rows), so a submission
costs one small query. ``flask quality scan`` judges every response again once a class
has finished, when the median means more.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.instruments.models import Item
from surveyapp.quality import flags
from surveyapp.responses.models import Answer, Response

FLAG_ORDER = (
    flags.TOO_FAST,
    flags.STRAIGHT_LINING,
    flags.PROBABLE_DUPLICATE,
    flags.LATE_FOR_APPROVED_PERIOD,
)


def merge_flags(current: Iterable[str] | None, added: Iterable[str]) -> list[str]:
    """The union of two lists of flag codes, in a fixed order (known codes first)."""
    codes = set(current or ()) | set(added)
    known = [code for code in FLAG_ORDER if code in codes]
    return known + sorted(codes - set(FLAG_ORDER))


def add_flags(response: Response, codes: Iterable[str]) -> bool:
    """Add ``codes`` to the response's flags; True when a new one was added.

    A new flag on a response already reviewed (and kept) sends it back to the queue:
    the reviewer has not seen that reason yet. An excluded response stays excluded.
    """
    merged = merge_flags(response.flags, codes)
    if merged == list(response.flags or []):
        return False
    response.flags = merged
    if not response.excluded:
        response.reviewed_at = None
        response.reviewed_by_id = None
    return True


def likert_blocks(items: Sequence) -> list[list]:
    """Likert items grouped into blocks: same page and same section heading, in order.

    A block is what a person sees as one grid of statements on one scale; blocks too
    short to judge are left to ``flags.straight_lining`` (it needs 5 answered items).
    """
    blocks: dict[tuple, list] = {}
    for item in items:
        if item.qtype != "likert":
            continue
        key = (item.page or 1, json.dumps(item.section or {}, sort_keys=True))
        blocks.setdefault(key, []).append(item)
    return list(blocks.values())


def straight_lined(items: Sequence, points_by_key: Mapping[str, object]) -> bool:
    """Whether the same raw point was given down a whole Likert block of ``items``."""
    for block in likert_blocks(items):
        points = [_point(points_by_key.get(item.key)) for item in block]
        if flags.straight_lining({"r": points}):
            return True
    return False


def _point(value) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_TABLE = Response.__table__
_PEER_DURATIONS = sa.select(_TABLE.c.id, _TABLE.c.duration_seconds).where(
    _TABLE.c.class_form_id == sa.bindparam("class_form_id"),
    _TABLE.c.excluded.is_(False),
    _TABLE.c.duration_seconds.is_not(None),
    _TABLE.c.id != sa.bindparam("other_than"),
)


def too_fast_in_form(response: Response, answered: int) -> bool:
    """Whether ``response`` was implausibly fast against its class form (one query)."""
    if response.duration_seconds is None:
        return False
    peers: dict[int, int | None] = {}
    if response.class_form_id is not None:
        params = {"class_form_id": response.class_form_id, "other_than": response.id or 0}
        peers = dict(db.session.connection().execute(_PEER_DURATIONS, params).all())
    own = response.id if response.id is not None else 0  # a response not stored yet
    peers[own] = response.duration_seconds
    return own in flags.too_fast(peers, {own: answered})


def submission_flags(response: Response, items: Sequence, answers: Mapping[str, object]) -> list:
    """Flag codes of a response just stored from ``answers`` ({item key: value})."""
    found = []
    answered = sum(1 for value in answers.values() if value is not None)
    if too_fast_in_form(response, answered):
        found.append(flags.TOO_FAST)
    if straight_lined(items, answers):
        found.append(flags.STRAIGHT_LINING)
    return found


def rescan_class_forms(class_ids: Sequence[int]) -> int:
    """Judge pace and straight-lining again for every response of ``class_ids``.

    Two queries per class: durations with answer counts, then Likert points. Flags are
    only added, never removed (a flag a reviewer has dealt with stays on record).
    Returns the number of responses that got a new flag.
    """
    changed = 0
    for class_id in class_ids:
        changed += _rescan_class(class_id)
    return changed


def _rescan_class(class_id: int) -> int:
    answered = (
        sa.select(sa.func.count(Answer.id))
        .where(Answer.response_id == Response.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Response, answered).where(Response.class_id == class_id).order_by(Response.id)
    ).all()
    # One class form = one version at one moment of the class (kept if the form is removed).
    by_form: dict[tuple[int, str], list] = {}
    for response, count in rows:
        by_form.setdefault((response.version_id, response.moment), []).append((response, count))
    found: dict[int, set[str]] = {}
    for group in by_form.values():
        counted = [(r, n) for r, n in group if not r.excluded]
        durations = {r.id: r.duration_seconds for r, _n in counted}
        for rid in flags.too_fast(durations, {r.id: n for r, n in counted}):
            found.setdefault(rid, set()).add(flags.TOO_FAST)
    for rid in _straight_lined_in_class(class_id, [r for r, _n in rows]):
        found.setdefault(rid, set()).add(flags.STRAIGHT_LINING)
    responses = {r.id: r for r, _n in rows}
    return sum(add_flags(responses[rid], codes) for rid, codes in found.items())


def _straight_lined_in_class(class_id: int, responses: Sequence[Response]) -> set[int]:
    points = db.session.execute(
        sa.select(Answer.response_id, Item.key, Answer.number)
        .join(Item, Item.id == Answer.item_id)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.class_id == class_id, Item.qtype == "likert")
    ).all()
    by_response: dict[int, dict[str, object]] = {}
    for rid, key, number in points:
        by_response.setdefault(rid, {})[key] = number
    flagged = set()
    for response in responses:
        answers = by_response.get(response.id)
        if answers and straight_lined(response.version.items, answers):
            flagged.add(response.id)
    return flagged
