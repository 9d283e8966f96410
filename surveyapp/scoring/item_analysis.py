"""Item analysis of one instrument version from the stored answers.

The score matrix (one row per counted response, one column per automatically scored item)
is fetched with one SQL query and fed to ``psychometrics.analyse_items``. Counted
responses: not excluded, of this version, optionally of one campaign, inside a locality
subtree, inside a user's scope and/or in a given set of classes (a trainer's). A scored
item without an answer (skipped or hidden) counts 0. Items marked by hand are left out:
their marks may still be missing.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from surveyapp.classes.models import TrainingClass
from surveyapp.dbapi import raw_rows
from surveyapp.extensions import db
from surveyapp.instruments.models import InstrumentVersion, Item
from surveyapp.instruments.qtypes import choice_values, get_type, points_of
from surveyapp.localities.models import Locality, subtree_filter
from surveyapp.responses.models import Answer, Response
from surveyapp.scoring import columnar
from surveyapp.scoring import psychometrics as psy
from surveyapp.scoring.marking import is_auto_scored

LOW_DISCRIMINATION = 0.20
CHOICE_TYPES = ("single_choice", "multiple_choice", "yes_no")


@dataclass(frozen=True)
class ItemRow:
    """One item: its statistics, option counts (choice items) and flags."""

    item: Item
    stats: psy.ItemStats
    options: psy.OptionCounts | None
    key_values: frozenset[str]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Reliability:
    """Reliability of a group of items (the whole test or one competency tag)."""

    competency: str
    n_items: int
    alpha: float | None
    kr20: float | None


@dataclass(frozen=True)
class ItemAnalysisReport:
    version: InstrumentVersion
    n: int  # counted responses
    n_excluded: int  # excluded responses under the same filters
    items: list[ItemRow] = field(default_factory=list)
    overall: Reliability | None = None
    competencies: list[Reliability] = field(default_factory=list)
    hand_marked: int = 0  # open items left out of the analysis


def item_flags(stats: psy.ItemStats) -> tuple[str, ...]:
    """``too_easy``/``too_hard`` from the facility; ``negative_discrimination`` when the
    corrected item-total correlation is below 0, ``low_discrimination`` below 0.20."""
    flags = [stats.facility_flag] if stats.facility_flag else []
    if stats.item_rest is not None:
        if stats.item_rest < 0:
            flags.append("negative_discrimination")
        elif stats.item_rest < LOW_DISCRIMINATION:
            flags.append("low_discrimination")
    return tuple(flags)


def _responses(version, *, campaign=None, head=None, scope=None, class_ids=None, moment=None):
    """select(Response.id, Response.excluded) of the version's responses under the filters."""
    query = sa.select(Response.id, Response.excluded).where(Response.version_id == version.id)
    if any(x is not None for x in (campaign, head, scope, class_ids)):
        query = query.join(TrainingClass, TrainingClass.id == Response.class_id).join(
            Locality, Locality.id == TrainingClass.locality_id
        )
    if campaign is not None:
        query = query.where(TrainingClass.campaign_id == campaign.id)
    if head is not None:
        query = query.where(subtree_filter(Locality.path, head.path))
    if scope is not None:
        query = query.where(scope.condition(Locality.path))
    if class_ids is not None:
        query = query.where(Response.class_id.in_(class_ids))
    if moment:
        query = query.where(Response.moment == moment)
    return query


def _matrix(response_ids, items: list[Item]) -> tuple[list[list[float]], int]:
    """(one column of scores per item, in response-id order; number of responses).

    Only answers worth points are read (a missing answer counts 0): a province's test holds
    about a million answers, and reading and converting them was most of the cost."""
    column = {item.id: i for i, item in enumerate(items)}
    maxima = [float(points_of(item)) for item in items]
    order = {rid: n for n, rid in enumerate(sorted(db.session.scalars(response_ids)))}
    columns = [[0.0] * len(order) for _ in items]
    rows = raw_rows(
        sa.select(Answer.response_id, Answer.item_id, sa.cast(Answer.points, sa.Float)).where(
            Answer.response_id.in_(response_ids),
            Answer.item_id.in_(list(column)),
            Answer.points > 0,
        )
    )
    for response_id, item_id, points in rows:
        col = column[item_id]
        columns[col][order[response_id]] = min(points, maxima[col])
    return columns, len(order)


def _chosen(response_ids, items: list[Item]) -> dict[int, Counter]:
    """Per choice item id: how many responses gave each stored value (JSON text decoded)."""
    ids = [item.id for item in items if item.qtype in CHOICE_TYPES]
    found: dict[int, Counter] = {item_id: Counter() for item_id in ids}
    if not ids:
        return found
    text = sa.cast(Answer.value, sa.Text)
    rows = db.session.execute(
        sa.select(Answer.item_id, text, sa.func.count())
        .where(Answer.response_id.in_(response_ids), Answer.item_id.in_(ids))
        .group_by(Answer.item_id, text)
    )
    for item_id, value, count in rows:
        found[item_id][_decode(value)] += count
    return found


def _decode(text: str | None):
    value = None if text is None else json.loads(text)
    return tuple(value) if isinstance(value, list) else value


def _options(item: Item, chosen: Counter, n: int) -> psy.OptionCounts | None:
    """Option counts of a choice item from ``_chosen``; responses without an answer (or with
    an empty choice) count as missing."""
    if item.qtype not in CHOICE_TYPES:
        return None
    listed = ["yes", "no"] if item.qtype == "yes_no" else choice_values(item)
    counts = Counter({v: 0 for v in listed})
    answered = 0
    for value, count in chosen.items():
        if value is None or (item.qtype == "multiple_choice" and not value):
            continue
        answered += count
        if item.qtype == "multiple_choice":
            for v in value if isinstance(value, tuple) else (value,):
                counts[str(v)] += count
        else:
            counts[str(value)] += count
    return psy.OptionCounts(dict(counts), answered, n - answered)


def _key_values(item: Item) -> frozenset[str]:
    key = item.answer_key
    if key is None:
        return frozenset()
    if item.qtype == "yes_no":
        from surveyapp.instruments.qtypes import yes_no_key

        return frozenset({yes_no_key(key) or str(key)})
    return frozenset(str(v) for v in (key if isinstance(key, list) else [key]))


def _reliability(columns, maxima, chosen: list[int], n: int, competency: str = "") -> Reliability:
    alpha, kr20 = columnar.reliability([columns[i] for i in chosen], [maxima[i] for i in chosen], n)
    return Reliability(competency, len(chosen), alpha, kr20)


def version_item_analysis(
    version, *, campaign=None, head=None, scope=None, class_ids=None, moment=None
) -> ItemAnalysisReport:
    """The item analysis of ``version`` over the counted responses under the filters.

    ``scope`` is a ``security.Scope``; ``class_ids`` an optional SQL select of class ids
    (e.g. a trainer's classes); ``moment`` limits to ``pre``/``post``/``follow_up``.
    """
    base = _responses(
        version, campaign=campaign, head=head, scope=scope, class_ids=class_ids, moment=moment
    ).subquery()
    counts = db.session.execute(
        sa.select(
            sa.func.count().filter(base.c.excluded.is_(False)),
            sa.func.count().filter(base.c.excluded.is_(True)),
        )
    ).one()
    items = [item for item in version.items if is_auto_scored(item)]
    hand = sum(
        1 for item in version.items if get_type(item.qtype).has_answer and item.points > 0
    ) - len(items)
    report = ItemAnalysisReport(version, int(counts[0]), int(counts[1]), hand_marked=hand)
    if not items:
        return report
    ids = sa.select(base.c.id).where(base.c.excluded.is_(False))
    columns, n = _matrix(ids, items)
    chosen = _chosen(ids, items)
    maxima = [float(points_of(item)) for item in items]
    analysis = columnar.analyse_columns(columns, maxima, n)
    rows = [
        ItemRow(
            item,
            stats,
            _options(item, chosen.get(item.id, Counter()), n),
            _key_values(item),
            item_flags(stats),
        )
        for item, stats in zip(items, analysis.items, strict=True)
    ]
    tags = sorted({item.competency for item in items if item.competency})
    by_tag = [
        _reliability(columns, maxima, [i for i, it in enumerate(items) if it.competency == t], n, t)
        for t in tags
    ]
    overall = Reliability("", len(items), analysis.alpha, analysis.kr20)
    return ItemAnalysisReport(
        version, report.n, report.n_excluded, rows, overall, by_tag, hand_marked=hand
    )
