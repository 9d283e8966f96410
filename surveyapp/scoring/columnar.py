"""The item analysis of a whole test from per-item moments, one column per item.

``psychometrics`` defines each statistic the textbook way (one function per statistic,
two-pass variances); this module gets the same numbers from a handful of sums per column
(Σx, Σx², Σx·T with T the person's total), each summed in C (``math.fsum`` over ``map``).
A province's test holds about a million answers; the textbook way took seconds.

With n persons, item mean m_i, population variances v_i = Σx²/n - m_i² and s²_T, and the
covariance c_i = Σx·T/n - m_i·m_T:

- rest score R_i = T - x_i: var(R_i) = s²_T + v_i - 2c_i, cov(x_i, R_i) = c_i - v_i, so
  the corrected point-biserial is (c_i - v_i) / sqrt(v_i · var(R_i));
- alpha = k/(k-1) · (1 - Σv_i / s²_T); alpha if item i is deleted uses Σv - v_i and var(R_i);
- KR-20 uses Σ m_i (max_i - m_i), which is Σ max_i² p q.

A variance below ``ZERO`` times the squared scale counts as 0 (one-pass sums leave crumbs
like 1e-17 where the two-pass sum gives 0 exactly), so "zero variance" stays undefined.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter, mul

from surveyapp.scoring import psychometrics as psy

ZERO = 1e-12


@dataclass(frozen=True)
class Moments:
    n: int
    means: list[float]
    variances: list[float]
    covariances: list[float]  # cov(x_i, T)
    total_variance: float


def _variance(mean_of_squares: float, mean: float) -> float:
    value = mean_of_squares - mean * mean
    return 0.0 if value <= ZERO * max(1.0, mean * mean) else value


def moments(
    columns: Sequence[Sequence[float]], totals: Sequence[float], *, covariances: bool = True
) -> Moments:
    """The sums above; ``covariances=False`` leaves cov(x_i, T) out (reliability needs none)."""
    n = len(totals)
    mean_t = math.fsum(totals) / n
    total_variance = _variance(math.fsum(map(mul, totals, totals)) / n, mean_t)
    means, variances, covs = [], [], []
    for column in columns:
        mean = math.fsum(column) / n
        means.append(mean)
        variances.append(_variance(math.fsum(map(mul, column, column)) / n, mean))
        if covariances:
            covs.append(math.fsum(map(mul, column, totals)) / n - mean * mean_t)
    return Moments(n, means, variances, covs, total_variance)


def person_totals(columns: Sequence[Sequence[float]], n: int) -> list[float]:
    return list(map(math.fsum, zip(*columns, strict=True))) if columns else [0.0] * n


def _rest_variance(m: Moments, i: int) -> float:
    value = m.total_variance + m.variances[i] - 2 * m.covariances[i]
    return 0.0 if value <= ZERO * max(1.0, m.total_variance) else value


def _item_rest(m: Moments, i: int) -> float | None:
    rest = _rest_variance(m, i)
    if m.variances[i] == 0 or rest == 0:
        return None
    r = (m.covariances[i] - m.variances[i]) / math.sqrt(m.variances[i] * rest)
    return max(-1.0, min(1.0, r))


def _alpha(k: int, item_variances: float, total_variance: float) -> float | None:
    if k < 2 or total_variance <= ZERO:
        return None
    return k / (k - 1) * (1 - item_variances / total_variance)


def is_dichotomous(columns: Sequence[Sequence[float]], max_points: Sequence[float]) -> bool:
    return all(set(c) <= {0, m} for c, m in zip(columns, max_points, strict=True))


def reliability(
    columns: Sequence[Sequence[float]],
    max_points: Sequence[float],
    n: int,
    known: Moments | None = None,
) -> tuple[float | None, float | None]:
    """(Cronbach's alpha, KR-20 or None when some item is not scored 0/max) of the columns;
    ``known``: their moments when already computed."""
    k = len(columns)
    if n < 2 or k < 2:
        return None, None
    m = known or moments(columns, person_totals(columns, n), covariances=False)
    alpha = _alpha(k, math.fsum(m.variances), m.total_variance)
    if not is_dichotomous(columns, max_points):
        return alpha, None
    pq = math.fsum(mean * (top - mean) for mean, top in zip(m.means, max_points, strict=True))
    return alpha, _alpha(k, pq, m.total_variance)


def _group_facility(column, getter, size: int, maximum: float) -> float:
    picked = getter(column)
    return (math.fsum(picked) if size > 1 else picked) / size / maximum


def analyse_columns(
    columns: Sequence[Sequence[float]], max_points: Sequence[float], n: int
) -> psy.ItemAnalysis:
    """``psychometrics.analyse_items`` on columns already validated (each of length n)."""
    k = len(max_points)
    if n < 2:
        return _tiny(columns, max_points, n)
    totals = person_totals(columns, n)
    m = moments(columns, totals)
    upper, lower = psy.upper_lower_groups(totals)
    size = len(upper)
    get_upper, get_lower = itemgetter(*upper), itemgetter(*lower)
    all_items = math.fsum(m.variances)
    items = []
    for i, maximum in enumerate(max_points):
        p = m.means[i] / maximum
        r = _item_rest(m, i)
        rest_variance = _rest_variance(m, i)
        deleted = _alpha(k - 1, all_items - m.variances[i], rest_variance) if k >= 3 else None
        items.append(
            psy.ItemStats(
                index=i,
                facility=p,
                facility_flag=psy.facility_flag(p),
                discrimination=_group_facility(columns[i], get_upper, size, maximum)
                - _group_facility(columns[i], get_lower, size, maximum),
                item_rest=r,
                item_rest_band=psy.discrimination_band(r),
                alpha_if_deleted=deleted,
            )
        )
    alpha, kr20 = reliability(columns, max_points, n, m)
    return psy.ItemAnalysis(n, k, items, alpha, kr20)


def _tiny(columns, max_points, n: int) -> psy.ItemAnalysis:
    """No person or a single one: only the facility is defined (of the one person)."""
    items = []
    for i, maximum in enumerate(max_points):
        p = columns[i][0] / maximum if n else None
        items.append(psy.ItemStats(i, p, psy.facility_flag(p), None, None, None, None))
    return psy.ItemAnalysis(n, len(max_points), items, None, None)
