"""Classical item analysis of a test: facility, discrimination, reliability, distractors.

Pure functions over a score matrix ``scores[person][item]`` (each score in [0, max_i],
dichotomous or partial credit) and the items' maximum points; no database, no Flask.
Formulas follow /work/shared/DOMAIN.md §4 (Ebel & Frisbie for facility/discrimination
bands, Kuder & Richardson 1937 and Cronbach 1951 for reliability).

Variance convention: every variance here is the POPULATION variance (divide by N,
``statistics.pvariance``), for item and total scores alike. KR-20's ``p*q`` is the
population variance of a 0/1 item, so with this single choice KR-20 equals alpha on
dichotomous data. (Using N - 1 for both would give the same ratio; mixing them would not.)

Undefined statistics are None rather than an error: no respondents, a single respondent,
fewer than two items (reliability), or zero variance.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

Matrix = Sequence[Sequence[float]]

TOO_HARD = 0.20
TOO_EASY = 0.80
UPPER_LOWER_SHARE = 0.27
# Ebel & Frisbie bands of the corrected point-biserial, from the best down.
DISCRIMINATION_BANDS = ((0.40, "very_good"), (0.30, "good"), (0.20, "marginal"))


@dataclass(frozen=True)
class ItemStats:
    """Statistics of one item (column ``index`` of the matrix)."""

    index: int
    facility: float | None
    facility_flag: str | None  # "too_hard", "too_easy" or None
    discrimination: float | None  # upper-lower D
    item_rest: float | None  # corrected point-biserial
    item_rest_band: str | None
    alpha_if_deleted: float | None


@dataclass(frozen=True)
class ItemAnalysis:
    """The whole test: per-item statistics and reliability (kr20 only for dichotomous data)."""

    n_persons: int
    n_items: int
    items: list[ItemStats]
    alpha: float | None
    kr20: float | None


@dataclass(frozen=True)
class OptionCounts:
    """How often each option of one item was chosen (distractor analysis)."""

    counts: dict[Hashable, int]
    n_answered: int
    n_missing: int

    def share(self, option: Hashable) -> float | None:
        """Share of the answering respondents who chose ``option``."""
        return self.counts.get(option, 0) / self.n_answered if self.n_answered else None


def validate(scores: Matrix, max_points: Sequence[float]) -> None:
    """Raise ValueError unless every row has one score in [0, max_i] per item, max_i > 0."""
    if any(m <= 0 for m in max_points):
        raise ValueError("every item needs positive max points")
    for row_number, row in enumerate(scores):
        if len(row) != len(max_points):
            raise ValueError(f"row {row_number} has {len(row)} scores, expected {len(max_points)}")
        for score, maximum in zip(row, max_points, strict=True):
            if not 0 <= score <= maximum:
                raise ValueError(f"row {row_number}: score {score} outside [0, {maximum}]")


def column(scores: Matrix, item: int) -> list[float]:
    return [row[item] for row in scores]


def totals(scores: Matrix) -> list[float]:
    return [math.fsum(row) for row in scores]


def facility(item_scores: Sequence[float], max_points: float) -> float | None:
    """``p_i = mean score / max_i`` (share correct for 0/1 items); None without respondents."""
    if not item_scores:
        return None
    return statistics.fmean(item_scores) / max_points


def facility_flag(p: float | None) -> str | None:
    """ "too_hard" when p < 0.20, "too_easy" when p > 0.80, else None."""
    if p is None:
        return None
    if p < TOO_HARD:
        return "too_hard"
    if p > TOO_EASY:
        return "too_easy"
    return None


def upper_lower_groups(person_totals: Sequence[float]) -> tuple[list[int], list[int]] | None:
    """Row indices of the top and bottom 27% by total; None with fewer than two persons.

    Group size g = round-half-up(0.27 * N), at least 1 (so 2g <= N). Ties: persons are
    ranked by total descending, then by row index ascending, and the upper group is the
    first g of that ranking, the lower group the last g. So among tied totals the
    earlier row counts as higher; pass rows in a stable order (e.g. by response id).
    """
    n = len(person_totals)
    if n < 2:
        return None
    size = max(1, math.floor(UPPER_LOWER_SHARE * n + 0.5))
    ranking = sorted(range(n), key=lambda i: (-person_totals[i], i))
    return ranking[:size], ranking[-size:]


def upper_lower_discrimination(
    scores: Matrix, item: int, max_points: float, *, groups=False
) -> float | None:
    """``D_i = p_U - p_L``: facility in the top 27% minus facility in the bottom 27%.

    ``groups`` may pass ``upper_lower_groups(totals(scores))`` computed once for all items."""
    if groups is False:
        groups = upper_lower_groups(totals(scores))
    if groups is None:
        return None
    upper, lower = groups
    p_upper = facility([scores[i][item] for i in upper], max_points)
    p_lower = facility([scores[i][item] for i in lower], max_points)
    return p_upper - p_lower


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation; None with fewer than two values or a zero variance."""
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    syy = math.fsum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def item_rest_correlation(
    scores: Matrix, item: int, *, person_totals: Sequence[float] | None = None
) -> float | None:
    """Corrected point-biserial: Pearson r of the item with the total EXCLUDING the item.

    For a 0/1 item it equals ``(M1 - M0) / s * sqrt(p q)`` with the rest score's
    population sd s. None when the item or the rest score has zero variance.
    """
    item_scores = column(scores, item)
    if person_totals is None:
        person_totals = totals(scores)
    rest = [total - own for total, own in zip(person_totals, item_scores, strict=True)]
    return pearson(item_scores, rest)


def discrimination_band(r: float | None) -> str | None:
    """ "very_good" >= 0.40, "good" >= 0.30, "marginal" >= 0.20, "revise" below,
    "check_key" when negative; None when r is undefined."""
    if r is None:
        return None
    if r < 0:
        return "check_key"
    for threshold, band in DISCRIMINATION_BANDS:
        if r >= threshold:
            return band
    return "revise"


def pvariance(values: Sequence[float]) -> float:
    """Population variance in floats (two passes, compensated sums).

    ``statistics.pvariance`` computes exactly with fractions, which made the item analysis of
    a few thousand responses take seconds; float sums are exact enough for two decimals.
    """
    n = len(values)
    mean = math.fsum(values) / n
    return math.fsum((v - mean) ** 2 for v in values) / n


def _alpha(k: int, item_variances: float, total_variance: float) -> float | None:
    if k < 2 or total_variance <= 1e-12:
        return None
    return k / (k - 1) * (1 - item_variances / total_variance)


def cronbach_alpha(scores: Matrix) -> float | None:
    """``alpha = k/(k-1) * (1 - sum(s2_i) / s2_X)`` with population variances.

    None for fewer than two persons, fewer than two items or zero total variance.
    """
    if len(scores) < 2 or len(scores[0]) < 2:
        return None
    k = len(scores[0])
    item_variances = math.fsum(pvariance(column(scores, i)) for i in range(k))
    return _alpha(k, item_variances, pvariance(totals(scores)))


def is_dichotomous(scores: Matrix, max_points: Sequence[float]) -> bool:
    """True when every score is either 0 or its item's maximum."""
    return all(s in (0, m) for row in scores for s, m in zip(row, max_points, strict=True))


def kr20(scores: Matrix, max_points: Sequence[float]) -> float | None:
    """``KR-20 = k/(k-1) * (1 - sum(p_i q_i) / s2_X)`` (population variance of totals).

    Items scored 0/m count with variance ``m**2 p q``, so KR-20 equals
    :func:`cronbach_alpha` exactly; with 0/1 items this is the textbook formula.
    Raises ValueError on non-dichotomous data; None in the same cases as alpha.
    """
    if not is_dichotomous(scores, max_points):
        raise ValueError("KR-20 needs dichotomous items (each score 0 or the item's max)")
    k = len(max_points)
    if len(scores) < 2 or k < 2:
        return None
    total_variance = pvariance(totals(scores))
    if total_variance <= 1e-12:
        return None
    pq = 0.0
    for i, maximum in enumerate(max_points):
        p = facility(column(scores, i), maximum)
        pq += maximum**2 * p * (1 - p)
    return k / (k - 1) * (1 - pq / total_variance)


def alpha_if_item_deleted(scores: Matrix, item: int) -> float | None:
    """Cronbach's alpha of the test without column ``item``."""
    return cronbach_alpha([[s for j, s in enumerate(row) if j != item] for row in scores])


def _alphas_if_deleted(scores: Matrix, k: int) -> list[float | None]:
    """``alpha_if_item_deleted`` for every item in O(persons x items): the rest score of
    item i is the total minus the item, and the item variances are summed once."""
    if len(scores) < 2 or k < 3:
        return [None] * k
    columns = [column(scores, i) for i in range(k)]
    variances = [pvariance(c) for c in columns]
    all_items = math.fsum(variances)
    person_totals = totals(scores)
    return [
        _alpha(
            k - 1,
            all_items - variances[i],
            pvariance([t - x for t, x in zip(person_totals, columns[i], strict=True)]),
        )
        for i in range(k)
    ]


def option_counts(
    choices: Sequence[Hashable | None], options: Sequence[Hashable] = ()
) -> OptionCounts:
    """Count the chosen option of each respondent for one item; None means no answer.

    Listed ``options`` come first (with 0 when nobody chose them, which reveals
    non-functioning distractors), then any other chosen value in first-seen order.
    """
    counts: dict[Hashable, int] = dict.fromkeys(options, 0)
    missing = 0
    for choice in choices:
        if choice is None:
            missing += 1
        else:
            counts[choice] = counts.get(choice, 0) + 1
    return OptionCounts(counts=counts, n_answered=len(choices) - missing, n_missing=missing)


def analyse_items(scores: Matrix, max_points: Sequence[float]) -> ItemAnalysis:
    """Run the whole item analysis; raises ValueError on malformed input (see validate).

    The numbers are those of the functions above, computed from per-item sums in
    ``columnar`` (a province's test has about a million answers)."""
    from surveyapp.scoring import columnar

    if any(len(row) != len(max_points) for row in scores):
        validate(scores, max_points)
    columns = [list(c) for c in zip(*scores, strict=True)] if scores else [[] for _ in max_points]
    if not _within_bounds(columns, max_points):
        validate(scores, max_points)
    return columnar.analyse_columns(columns, max_points, len(scores))


def _within_bounds(columns, max_points: Sequence[float]) -> bool:
    """Every maximum positive and every score in [0, max] (checked column by column)."""
    return all(m > 0 for m in max_points) and all(
        not c or (min(c) >= 0 and max(c) <= m) for c, m in zip(columns, max_points, strict=True)
    )
