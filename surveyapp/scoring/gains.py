"""Learning gains between a pre-test and a post-test, computed on matched pairs only.

Pure functions over plain numbers (percent scores by default); no database, no Flask.
Formulas follow /work/shared/DOMAIN.md §4:

- Hake (1998, AJP 66:64) class-average normalised gain
  ``<g> = (<post> - <pre>) / (max - <pre>)``, bands low < 0.3 <= medium < 0.7 <= high.
- Marx & Cummings (2007, AJP 75:87) normalised change ``c`` per learner, defined also when
  pre = max; the average of individual ``c`` differs from ``g`` of the averages (Bao 2006,
  AJP 74:917), so both are reported.
- Paired effect size ``d_z = mean(diff) / sd(diff)`` with the sample standard deviation.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

HAKE_MEDIUM = 0.3
HAKE_HIGH = 0.7


@dataclass(frozen=True)
class GainSummary:
    """Gain statistics of one group; every mean is None when there is no matched pair."""

    n_matched: int
    n_dropped: int  # pairs left out of mean_normalised_change (pre = post = max or 0)
    mean_pre: float | None
    mean_post: float | None
    mean_raw_gain: float | None
    hake_g: float | None
    mean_normalised_change: float | None
    d_z: float | None
    share_improved: float | None
    # Learners with a pre-test / a post-test (matched or not); None when not known.
    n_pre: int | None = None
    n_post: int | None = None

    @property
    def hake_band(self) -> str | None:
        """Hake's band ("low", "medium", "high") of ``hake_g``."""
        return hake_band(self.hake_g)


@dataclass(frozen=True)
class MatchedPairs:
    """(pre, post) pairs of the learners present in both tests, in the pre-test's order."""

    pairs: list[tuple[float, float]]
    n_pre: int
    n_post: int
    n_matched: int


def match_pairs(
    pre: Mapping[Hashable, float | None], post: Mapping[Hashable, float | None]
) -> MatchedPairs:
    """Link pre- and post-test scores by (pseudonymous) learner id.

    A learner whose score is None did not take that test and is not counted.
    """
    pre_taken = {key: score for key, score in pre.items() if score is not None}
    post_taken = {key: score for key, score in post.items() if score is not None}
    pairs = [(score, post_taken[key]) for key, score in pre_taken.items() if key in post_taken]
    return MatchedPairs(
        pairs=pairs, n_pre=len(pre_taken), n_post=len(post_taken), n_matched=len(pairs)
    )


def hake_gain(mean_pre: float, mean_post: float, max_score: float = 100) -> float | None:
    """Hake's ``<g> = (<post> - <pre>) / (max - <pre>)``; None when ``<pre>`` = max."""
    if mean_pre == max_score:
        return None
    return (mean_post - mean_pre) / (max_score - mean_pre)


def hake_band(g: float | None) -> str | None:
    """Hake's band of a gain: "low" below 0.3, "medium" below 0.7, else "high"."""
    if g is None:
        return None
    if g < HAKE_MEDIUM:
        return "low"
    if g < HAKE_HIGH:
        return "medium"
    return "high"


def normalised_change(pre: float, post: float, max_score: float = 100) -> float | None:
    """Marx & Cummings' ``c`` for one learner; None when the pair is dropped.

    ``c = (post - pre) / (max - pre)`` if post > pre, ``(post - pre) / pre`` if post < pre,
    0 if equal; a pair with pre = post = max or pre = post = 0 is dropped.
    """
    if pre == post:
        return None if pre in (0, max_score) else 0.0
    if post > pre:
        return (post - pre) / (max_score - pre)
    return (post - pre) / pre


def paired_effect_size(diffs: list[float]) -> float | None:
    """``d_z = mean(diff) / sd(diff)`` (sample sd); None when n < 2 or sd = 0."""
    if len(diffs) < 2:
        return None
    sd = statistics.stdev(diffs)
    if sd == 0:
        return None
    return statistics.fmean(diffs) / sd


def learning_gain(pairs: list[tuple[float, float]], max_score: float = 100) -> GainSummary:
    """Summarise matched (pre, post) scores on a 0..max_score scale.

    Raises ValueError when a score lies outside [0, max_score] or max_score <= 0.
    """
    _check_range(pairs, max_score)
    n = len(pairs)
    if n == 0:
        return GainSummary(0, 0, None, None, None, None, None, None, None)
    mean_pre = statistics.fmean(pre for pre, _ in pairs)
    mean_post = statistics.fmean(post for _, post in pairs)
    diffs = [post - pre for pre, post in pairs]
    changes = [normalised_change(pre, post, max_score) for pre, post in pairs]
    kept = [c for c in changes if c is not None]
    return GainSummary(
        n_matched=n,
        n_dropped=n - len(kept),
        mean_pre=mean_pre,
        mean_post=mean_post,
        mean_raw_gain=statistics.fmean(diffs),
        hake_g=hake_gain(mean_pre, mean_post, max_score),
        mean_normalised_change=statistics.fmean(kept) if kept else None,
        d_z=paired_effect_size(diffs),
        share_improved=sum(1 for d in diffs if d > 0) / n,
    )


def summarise(matched: MatchedPairs, max_score: float = 100) -> GainSummary:
    """``learning_gain`` of the matched pairs, with ``n_pre`` and ``n_post`` filled in."""
    return dataclasses.replace(
        learning_gain(matched.pairs, max_score), n_pre=matched.n_pre, n_post=matched.n_post
    )


def _check_range(pairs: list[tuple[float, float]], max_score: float) -> None:
    if max_score <= 0:
        raise ValueError(f"max_score must be positive, got {max_score}")
    for pre, post in pairs:
        if not (0 <= pre <= max_score and 0 <= post <= max_score):
            raise ValueError(f"score pair {(pre, post)} outside [0, {max_score}]")
