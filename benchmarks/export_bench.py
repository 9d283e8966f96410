"""Export benchmark (``make bench``, not a test): the long CSV export of the synthetic
province (about 1.1 million answers) through ``surveyapp.exports``, against a plain
``csv.writer`` loop over a DB-API cursor running the same SQL.

Printed: the time of both and their ratio (target <= 1.2x), the time to the first byte
(the BOM and header, sent before the query runs) and to the first chunk of rows (target
< 100 ms), the memory growth during the export (tracemalloc peak of Python allocations,
and the peak resident set size sampled while it runs; target < 32 MB whatever the row
count, shown for a district and for the whole province) and the memory of the XLSX
writer (write-only mode) at two row counts.

    python -m benchmarks.export_bench [--scale 1] [--postgres URL] [--xlsx-rows 10000,100000]
"""

from __future__ import annotations

import argparse
import csv
import gc
import itertools
import os
import tempfile
import time
import tracemalloc
from dataclasses import dataclass

import sqlalchemy as sa

from benchmarks.synthetic import ensure_database, make_app
from surveyapp.campaigns.models import Campaign
from surveyapp.exports import queries, services
from surveyapp.exports.writers import table_csv, write_xlsx
from surveyapp.extensions import db
from surveyapp.localities.lookup import find_locality
from surveyapp.responses.models import Answer, Response

PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def rss() -> int:
    """The current resident set size in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


@dataclass
class Run:
    seconds: float
    rows: int = 0
    first_byte: float = 0.0
    first_rows: float = 0.0
    rss_growth: int = 0
    traced_peak: int = 0


def reference_query(campaign, head):
    """The one SELECT a hand-written export would run: the columns of the long export, one
    row per answer, in the export's order (which the indexes give without a sort)."""
    return (
        queries.area_responses(campaign, head)
        .join(Answer, Answer.response_id == Response.id)
        .add_columns(Answer.item_id, sa.cast(Answer.value, sa.Text), Answer.number, Answer.points)
        .order_by(None)
        .order_by(*queries.RESPONSE_ORDER, Answer.item_id)
    )


def plain_loop(query) -> Run:
    """A SELECT on a raw DB-API cursor, each row to ``csv.writer`` (to /dev/null)."""
    connection = db.session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    raw = connection.connection.dbapi_connection
    started = time.perf_counter()
    if connection.dialect.name == "postgresql":
        cursor = raw.cursor(name="plain_export")  # server-side, like the export's
        cursor.itersize = services.YIELD_PER
    else:
        cursor = raw.cursor()
    cursor.execute(sql)
    rows = 0
    with open(os.devnull, "w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink)
        for row in cursor:
            writer.writerow(row)
            rows += 1
    cursor.close()
    return Run(time.perf_counter() - started, rows)


def export_run(campaign, head, *, trace: bool = False) -> Run:
    """The real export: ``response_table`` streamed through ``table_csv`` to /dev/null."""
    gc.collect()
    if trace:
        tracemalloc.start()
    base = rss()
    peak = base
    started = time.perf_counter()
    spec = services.response_export(None, campaign, head)
    table = services.response_table(spec)
    run = Run(0.0)
    with open(os.devnull, "wb") as sink:
        for n, chunk in enumerate(table_csv(table)):
            if n == 0:
                run.first_byte = time.perf_counter() - started
            elif n == 1:
                run.first_rows = time.perf_counter() - started
            if n % 16 == 0:
                peak = max(peak, rss())
            sink.write(chunk)
            run.rows += chunk.count(b"\n")
    run.seconds = time.perf_counter() - started
    run.rows -= 1  # the header
    run.rss_growth = max(peak, rss()) - base
    if trace:
        run.traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return run


def xlsx_run(campaign, head, rows: int, *, trace: bool) -> Run:
    """The first ``rows`` rows of the long export written to an XLSX file (write-only);
    RSS is sampled every 1,000 rows. tracemalloc slows openpyxl down several times, so
    it is on only when ``trace`` is (and the time is then not reported)."""
    gc.collect()
    if trace:
        tracemalloc.start()
    base = peak = rss()
    started = time.perf_counter()
    table = services.response_table(services.response_export(None, campaign, head, fmt="xlsx"))
    source = table.rows

    def sampled():
        nonlocal peak
        for n, row in enumerate(itertools.islice(source, rows)):
            if n % 1000 == 0:
                peak = max(peak, rss())
            yield row

    table.rows = sampled()
    with tempfile.TemporaryFile() as target:
        write_xlsx(table, target)
    source.close()
    run = Run(time.perf_counter() - started, rows)
    run.rss_growth = max(peak, rss()) - base
    if trace:
        run.traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return run


def _report(title: str, run: Run) -> None:
    print(
        f"  {title:34} {run.rows:>10,} rows {run.seconds:8.2f} s"
        + (f"  first byte {run.first_byte * 1000:6.1f} ms" if run.first_byte else "")
        + (f"  first rows {run.first_rows * 1000:6.1f} ms" if run.first_rows else "")
    )


def compare_csv(campaign, root, repeat: int) -> dict:
    """The long CSV export against the plain loops, alternated, best of ``repeat`` each."""
    plain_runs, answer_runs, export_runs = [], [], []
    for _ in range(repeat):  # the machine is shared: alternate and keep the best of each
        plain_runs.append(plain_loop(reference_query(campaign, root)))
        answer_runs.append(plain_loop(queries.area_answers(campaign, root)))
        export_runs.append(export_run(campaign, root))
    plain, answers_only, mine = (
        min(runs, key=lambda run: run.seconds) for runs in (plain_runs, answer_runs, export_runs)
    )
    ratio = mine.seconds / plain.seconds
    _report("plain csv.writer over a cursor", plain)
    _report("  (answers columns only)", answers_only)
    _report("exports: long CSV, streamed", mine)
    print(f"  ratio {ratio:.2f}x (target <= 1.2x; best of {repeat} runs each)")
    print(f"  ratio to the answers-only loop {mine.seconds / answers_only.seconds:.2f}x")
    worst = max(run.first_rows for run in export_runs)
    print(f"  first rows in every run within {worst * 1000:.1f} ms (target < 100 ms)")
    return {"plain": plain, "answers_only": answers_only, "export": mine, "ratio": ratio}


def csv_memory(campaign, places) -> list[Run]:
    runs = []
    for label, place in places:
        run = export_run(campaign, place, trace=True)
        runs.append(run)
        print(
            f"  memory, {label:18} {run.rows:>10,} rows: tracemalloc peak "
            f"{run.traced_peak / MB:6.2f} MB, RSS growth {run.rss_growth / MB:6.2f} MB"
            " (target < 32 MB)"
        )
    return runs


def xlsx_memory(campaign, root, counts: list[int]) -> list[Run]:
    runs = []
    for count in counts:
        run = xlsx_run(campaign, root, count, trace=False)
        runs.append(run)
        print(
            f"  XLSX write-only {run.rows:>10,} rows {run.seconds:8.2f} s: "
            f"RSS growth {run.rss_growth / MB:6.2f} MB"
        )
    if counts:
        traced = xlsx_run(campaign, root, min(counts), trace=True)
        runs.append(traced)
        print(
            f"  XLSX write-only {traced.rows:>10,} rows, tracemalloc peak "
            f"{traced.traced_peak / MB:6.2f} MB"
        )
    return runs


def bench(info, xlsx_rows: list[int], repeat: int = 3) -> dict:
    """Run every measurement on the synthetic database described by ``info``."""
    app = make_app(info.url)
    with app.app_context(), app.test_request_context():
        campaign = db.session.get(Campaign, info.campaign_id)
        root = campaign.root_locality
        middle = find_locality(root.scheme.code, info.middle_code)
        engine = db.engine.dialect.name
        print(f"Export benchmark on {engine} ({info.counts.get('answers', 0):,} answers)")
        export_run(campaign, middle)  # warm the caches
        results = compare_csv(campaign, root, repeat)
        places = (("district " + middle.code, middle), ("province " + root.code, root))
        results["memory"] = csv_memory(campaign, places)
        results["xlsx"] = xlsx_memory(campaign, root, xlsx_rows)
        results["engine"] = engine
        db.session.rollback()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.export_bench")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database")
    parser.add_argument("--xlsx-rows", default="10000,100000", help="row counts for XLSX")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each CSV export")
    args = parser.parse_args(argv)
    info = ensure_database(args.postgres, args.scale)
    counts = [int(part) for part in args.xlsx_rows.split(",") if part.strip()]
    bench(info, counts, max(1, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
