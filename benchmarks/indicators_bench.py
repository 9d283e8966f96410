"""Time ``kpi_table`` for the root and a middle locality against the best hand-written SQL.

For each database (the cached SQLite file, and PostgreSQL when a URL is given) and each head
(the province, a district): check that ``kpi_table`` and the hand-written SQL
(``benchmarks.hand_sql``) give the same numbers for the head and every child, then time both
(median of ``runs`` runs, after one warm-up) and print their ratio against the target
(``kpi_table`` at most 2x the hand-written SQL). The naive form (COUNT DISTINCT over every
answer row joined through the heads) is timed once, for scale.

``python -m benchmarks.indicators_bench --scale 0.01 [--postgres URL] [--runs 5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from benchmarks.hand_sql import hand_counts, kpi_counts, naive_counts
from benchmarks.synthetic import SyntheticInfo, ensure_database, make_app
from surveyapp.campaigns.models import Campaign
from surveyapp.extensions import db
from surveyapp.localities.models import Locality

TARGET_RATIO = 2.0


class Mismatch(AssertionError):
    """``kpi_table`` and the hand-written SQL disagree."""


@dataclass(frozen=True)
class Timing:
    engine: str
    head: str
    children: int
    kpi_seconds: float | None
    hand_seconds: float
    naive_seconds: float | None
    error: str | None = None  # kpi_table raised this (not timed)

    @property
    def ratio(self) -> float | None:
        if self.kpi_seconds is None or not self.hand_seconds:
            return None
        return self.kpi_seconds / self.hand_seconds


def kpi_table_function() -> Callable | None:
    """``surveyapp.indicators.kpis.kpi_table``, or None while it does not exist."""
    try:
        from surveyapp.indicators.kpis import kpi_table
    except ImportError:
        return None
    return kpi_table


def median_seconds(call: Callable[[], object], runs: int) -> float:
    call()  # warm-up: caches, prepared plans
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def compare(campaign, head: Locality) -> int:
    """Assert ``kpi_table`` equals the hand-written SQL for ``head``; returns the children."""
    kpi_table = kpi_table_function()
    hand = hand_counts(db.session, campaign, head)
    if kpi_table is None:
        return len(hand) - 1
    ours = kpi_counts(kpi_table(campaign, head))
    if ours != hand:
        diffs = [
            f"locality {lid} {name}: kpi_table {ours.get(lid, {}).get(name)} != hand {value}"
            for lid, row in hand.items()
            for name, value in row.items()
            if ours.get(lid, {}).get(name) != value
        ]
        diffs += [f"locality {lid} only in kpi_table" for lid in set(ours) - set(hand)]
        raise Mismatch("\n".join(diffs[:20]))
    return len(hand) - 1


def bench_head(info: SyntheticInfo, code: str, runs: int, *, naive: bool) -> Timing:
    campaign = db.session.get(Campaign, info.campaign_id)
    head = db.session.scalar(
        sa.select(Locality).where(
            Locality.code == code, Locality.path.like(f"{campaign.root_locality.path}%")
        )
    )
    kpi_table, error = kpi_table_function(), None
    try:
        children = compare(campaign, head)
    except Mismatch:
        raise
    except Exception as exc:  # kpi_table is broken: say so, still time the hand-written SQL
        if isinstance(exc, sa.exc.DBAPIError):
            db.session.rollback()
        kpi_table, error = None, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        children = len(hand_counts(db.session, campaign, head)) - 1
    kpi_seconds = None
    if kpi_table is not None:
        kpi_seconds = median_seconds(lambda: kpi_table(campaign, head), runs)
    hand_seconds = median_seconds(lambda: hand_counts(db.session, campaign, head), runs)
    naive_seconds = None
    if naive:
        started = time.perf_counter()
        naive_counts(db.session, campaign, head)
        naive_seconds = time.perf_counter() - started
    engine = db.engine.dialect.name
    return Timing(
        engine, f"{head.name} ({code})", children, kpi_seconds, hand_seconds, naive_seconds, error
    )


def bench_database(info: SyntheticInfo, runs: int, *, naive: bool = True) -> list[Timing]:
    app = make_app(info.url)
    with app.app_context():
        try:
            return [
                bench_head(info, code, runs, naive=naive)
                for code in (info.root_code, info.middle_code)
            ]
        finally:
            db.session.remove()
            db.engine.dispose()


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_table(timings: list[Timing]) -> None:
    header = (f"{'engine':10} {'head':34} {'rows':>4} {'kpi_table s':>11} {'hand SQL s':>10} "
              f"{'ratio':>6} {'<=2x':>5} {'naive s':>8}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for t in timings:
        ratio = "-" if t.ratio is None else f"{t.ratio:.2f}"
        verdict = "-" if t.ratio is None else ("yes" if t.ratio <= TARGET_RATIO else "NO")
        print(f"{t.engine:10} {t.head[:34]:34} {t.children + 1:>4} {_seconds(t.kpi_seconds):>11} "
              f"{_seconds(t.hand_seconds):>10} {ratio:>6} {verdict:>5} "
              f"{_seconds(t.naive_seconds):>8}")  # fmt: skip
    for t in timings:
        if t.error:
            print(f"kpi_table failed on {t.engine}, {t.head}: {t.error}")


def describe(info: SyntheticInfo) -> str:
    counts = ", ".join(f"{k} {v:,}" for k, v in info.counts.items())
    built = f"built in {info.seconds:.1f} s" if info.seconds else "reused"
    return f"{info.url} ({built}): {counts}"


def run(scale: float, postgres: str | None, runs: int, *, naive: bool = True) -> list[Timing]:
    """Build or reuse the databases, check, time and print; returns the timings."""
    urls = [None] + ([postgres] if postgres else [])
    timings = []
    for url in urls:
        info = ensure_database(url, scale)
        print(describe(info))
        timings += bench_database(info, runs, naive=naive)
    if kpi_table_function() is None:
        print("surveyapp.indicators.kpis.kpi_table is missing: only the hand-written SQL is timed.")
    print(f"\nIndicators (median of {runs} runs; load average {os.getloadavg()[0]:.1f}; "
          f"target: kpi_table <= {TARGET_RATIO:g}x the hand-written SQL)")  # fmt: skip
    print_table(timings)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.indicators_bench")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--postgres", metavar="URL", help="also bench this PostgreSQL database")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-naive", action="store_true", help="skip the naive query")
    args = parser.parse_args(argv)
    run(args.scale, args.postgres, args.runs, naive=not args.no_naive)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
