"""Results of product rounds: aggregation of the judges' rubric totals, standardisation,
inter-rater agreement and ranking (DOMAIN.md §4).

- A judge's total for an entry is Σ w·score over the rubric; only complete scorings count.
- The entry's score is the mean of its judges' totals, or, with 5 or more judges, the
  trimmed mean (the highest and the lowest total left out).
- When the round standardises scores, each judge's totals become z = (x − μ_j)/σ_j
  (population standard deviation over the entries that judge scored; a judge with one entry
  or σ_j = 0 gives z = 0), averaged per entry and shown as T = 50 + 10·z.
- Agreement: ICC(2,1) and ICC(2,k), two-way random effects, absolute agreement
  (Shrout & Fleiss 1979; McGraw & Wong 1996), on the largest complete block of entries ×
  judges; and Krippendorff's α (interval), which uses every scoring, however sparse the
  design; organisers only.
- Ties: equal final scores (to two decimals) share the rank; the next rank is skipped.

The pure functions take plain numbers and are tested against hand-computed cases;
``round_results`` gathers the totals with one SQL aggregate.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from surveyapp.contests.entry_models import Entry, JudgeAssignment, JudgeScore, RubricCriterion
from surveyapp.contests.models import Round, Team
from surveyapp.contests.names import team_label
from surveyapp.extensions import db

TRIM_FROM = 5
TIE_RULE = _l(
    "Entries are ranked by final score, rounded to two decimals. Entries with equal final "
    "scores share the rank (and the prize); the next rank is then skipped (1, 1, 3). Entries "
    "sharing a rank are listed by title."
)
MEAN_RULE = _l(
    "Final score: the mean of the judges' rubric totals (Σ weight × score); with 5 or more "
    "judges the highest and the lowest totals are left out (trimmed mean)."
)
STANDARD_RULE = _l(
    "Final score: T = 50 + 10 × z, where z is the mean of the entry's per-judge z-scores; each "
    "judge's totals are standardised by that judge's own mean and standard deviation, so a "
    "harsh or lenient judge does not sink or lift the entries they saw."
)
BANDS = ((0.5, _l("poor")), (0.75, _l("moderate")), (0.9, _l("good")))


# ---------------------------------------------------------------- pure computation


def mean(values) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def trimmed_mean(values) -> float | None:
    """Mean without the highest and the lowest value, with at least 5 values; else None."""
    values = sorted(values)
    if len(values) < TRIM_FROM:
        return None
    return mean(values[1:-1])


def judge_z_scores(totals: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """z of every (entry, judge) total against that judge's own totals."""
    by_judge: dict[int, list[float]] = defaultdict(list)
    for (_entry, judge), value in totals.items():
        by_judge[judge].append(value)
    stats = {}
    for judge, values in by_judge.items():
        mu = mean(values)
        sd = math.sqrt(sum((v - mu) ** 2 for v in values) / len(values))
        stats[judge] = (mu, sd)
    z = {}
    for (entry, judge), value in totals.items():
        mu, sd = stats[judge]
        z[(entry, judge)] = 0.0 if len(by_judge[judge]) < 2 or sd < 1e-12 else (value - mu) / sd
    return z


def icc2(matrix: list[list[float]]) -> tuple[float | None, float | None]:
    """ICC(2,1) and ICC(2,k) of an n (entries) × k (judges) complete matrix."""
    n = len(matrix)
    k = len(matrix[0]) if n else 0
    if n < 2 or k < 2:
        return None, None
    grand = sum(map(sum, matrix)) / (n * k)
    rows = [sum(r) / k for r in matrix]
    cols = [sum(r[j] for r in matrix) / n for j in range(k)]
    ss_rows = k * sum((m - grand) ** 2 for m in rows)
    ss_cols = n * sum((m - grand) ** 2 for m in cols)
    ss_total = sum((x - grand) ** 2 for r in matrix for x in r)
    ms_r = ss_rows / (n - 1)
    ms_c = ss_cols / (k - 1)
    ms_e = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    single_den = ms_r + (k - 1) * ms_e + k * (ms_c - ms_e) / n
    average_den = ms_r + (ms_c - ms_e) / n
    single = (ms_r - ms_e) / single_den if abs(single_den) > 1e-12 else None
    average = (ms_r - ms_e) / average_den if abs(average_den) > 1e-12 else None
    return single, average


def krippendorff_alpha_interval(units: list[list[float]]) -> float | None:
    """Krippendorff's α with the interval metric; ``units`` are the values each entry got
    (any number of judges, missing ones simply absent). α = 1 − D_o/D_e (Krippendorff 2011).
    Units with fewer than two values are not pairable and are left out."""
    pairable = [values for values in units if len(values) >= 2]
    everything = [v for values in pairable for v in values]
    n = len(everything)
    if n < 2:
        return None
    observed = (
        sum(
            sum((a - b) ** 2 for a in values for b in values) / (len(values) - 1)
            for values in pairable
        )
        / n
    )
    expected = sum((a - b) ** 2 for a in everything for b in everything) / (n * (n - 1))
    if expected < 1e-12:
        return None
    return 1 - observed / expected


def band(value: float | None):
    """Koo & Li (2016) words: <0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, >0.9 excellent."""
    if value is None:
        return None
    for limit, word in BANDS:
        if value < limit:
            return word
    return _l("excellent")


def complete_block(totals: dict[tuple[int, int], float]):
    """The largest complete entries × judges block: judges added greedily (most entries
    scored first) while at least 2 entries were scored by all of them. Returns
    (entry ids, judge ids, matrix)."""
    entries_of: dict[int, set[int]] = defaultdict(set)
    for entry, judge in totals:
        entries_of[judge].add(entry)
    order = sorted(entries_of, key=lambda j: (-len(entries_of[j]), j))
    best: tuple[list[int], list[int]] = ([], [])
    chosen: list[int] = []
    common: set[int] | None = None
    for judge in order:
        shared = entries_of[judge] if common is None else common & entries_of[judge]
        if len(shared) < 2:
            continue
        chosen, common = [*chosen, judge], shared
        if len(chosen) >= 2 and len(common) * len(chosen) > len(best[0]) * len(best[1]):
            best = (sorted(common), list(chosen))
    entries, judges = best
    return entries, judges, [[totals[(e, j)] for j in judges] for e in entries]


def competition_ranks(finals: list[tuple[object, float]]) -> dict[object, int]:
    """Rank keys by final score (two decimals), ties sharing a rank: 1, 1, 3."""
    ordered = sorted(finals, key=lambda item: -round(item[1], 2))
    ranks: dict[object, int] = {}
    previous = None
    for position, (key, value) in enumerate(ordered, start=1):
        rounded = round(value, 2)
        if rounded != previous:
            rank, previous = position, rounded
        ranks[key] = rank
    return ranks


# ---------------------------------------------------------------- the round's results


@dataclass
class ResultRow:
    entry_id: int
    title: str
    team_id: int
    team_name: str
    category: str
    totals: list[float] = field(default_factory=list)
    mean: float | None = None
    trimmed: float | None = None
    z: float | None = None
    t_score: float | None = None
    final: float | None = None
    rank: int | None = None
    prize: str = ""

    @property
    def judges(self) -> int:
        return len(self.totals)


@dataclass
class Agreement:
    single: float | None
    average: float | None
    entries: int
    judges: int
    alpha: float | None = None

    @property
    def single_band(self):
        return band(self.single)

    @property
    def average_band(self):
        return band(self.average)


@dataclass
class RoundResults:
    round: Round
    rows: list[ResultRow]
    standardised: bool
    criteria: int
    agreement: Agreement | None = None
    tie_rule: object = TIE_RULE

    @property
    def score_rule(self):
        return STANDARD_RULE if self.standardised else MEAN_RULE

    @property
    def published(self) -> bool:
        return self.round.results_published_at is not None


def judge_totals(round_: Round) -> dict[tuple[int, int], float]:
    """(entry id, judge id) -> rubric total, for complete scorings of the round (SQL)."""
    n_criteria = db.session.scalar(
        sa.select(sa.func.count(RubricCriterion.id)).where(RubricCriterion.round_id == round_.id)
    )
    query = (
        sa.select(
            JudgeAssignment.entry_id,
            JudgeAssignment.judge_id,
            sa.func.sum(RubricCriterion.weight * JudgeScore.score),
        )
        .join(JudgeScore, JudgeScore.assignment_id == JudgeAssignment.id)
        .join(RubricCriterion, JudgeScore.criterion_id == RubricCriterion.id)
        .join(Entry, JudgeAssignment.entry_id == Entry.id)
        .where(Entry.round_id == round_.id, JudgeAssignment.scored_at.is_not(None))
        .group_by(JudgeAssignment.id, JudgeAssignment.entry_id, JudgeAssignment.judge_id)
        .having(sa.func.count(JudgeScore.id) == n_criteria)
    )
    return {(e, j): float(total) for e, j, total in db.session.execute(query)}


def score_rows(rows: dict[int, ResultRow], totals, *, standardise: bool) -> list[ResultRow]:
    """Fill each row's mean, trimmed mean, z, T, final score and rank from ``totals``
    ((entry id, judge id) -> rubric total); return the rows best first, unscored last."""
    for (entry_id, _judge), value in sorted(totals.items()):
        rows[entry_id].totals.append(value)
    z_of: dict[int, list[float]] = defaultdict(list)
    for (entry_id, _judge), z in judge_z_scores(totals).items():
        z_of[entry_id].append(z)
    for row in rows.values():
        if not row.totals:
            continue
        row.mean = mean(row.totals)
        row.trimmed = trimmed_mean(row.totals)
        row.z = mean(z_of[row.entry_id])
        row.t_score = 50 + 10 * row.z
        if standardise:
            row.final = row.t_score
        else:
            row.final = row.trimmed if row.trimmed is not None else row.mean
    ranks = competition_ranks([(r.entry_id, r.final) for r in rows.values() if r.final is not None])
    for entry_id, rank in ranks.items():
        rows[entry_id].rank = rank
    return sorted(rows.values(), key=lambda r: (r.rank is None, r.rank or 0, r.title, r.entry_id))


def round_results(round_: Round, *, organiser: bool = False) -> RoundResults:
    """The round's entries with their totals, scores and rank, best first. Organisers
    (``organiser=True``) also get the unscored entries (last, unranked) and the agreement
    figures; the public sees ranked entries only."""
    totals = judge_totals(round_)
    entries = db.session.scalars(
        sa.select(Entry)
        .where(Entry.round_id == round_.id)
        .options(selectinload(Entry.team).selectinload(Team.members))
        .order_by(Entry.title, Entry.id)
    ).all()
    rows = {
        e.id: ResultRow(e.id, e.title, e.team_id, team_label(e.team), e.category, prize=e.prize)
        for e in entries
    }
    standardise = bool(round_.standardise_scores)
    ordered = score_rows(rows, totals, standardise=standardise)
    if not organiser:
        ordered = [r for r in ordered if r.rank is not None]
    result = RoundResults(round_, ordered, standardise, _criteria_count(round_))
    if organiser:
        entry_ids, judge_ids, matrix = complete_block(totals)
        single, average = icc2(matrix)
        units: dict[int, list[float]] = defaultdict(list)
        for (entry_id, _judge), value in totals.items():
            units[entry_id].append(value)
        alpha = krippendorff_alpha_interval(list(units.values()))
        result.agreement = Agreement(single, average, len(entry_ids), len(judge_ids), alpha)
    return result


def _criteria_count(round_: Round) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(RubricCriterion.id)).where(RubricCriterion.round_id == round_.id)
    )
