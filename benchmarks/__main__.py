"""``python -m benchmarks [--scale S] [--postgres URL] [--runs N]``: every benchmark.

Builds (or reuses) the synthetic province on SQLite (cached under ``benchmarks/.data/``) and,
with ``--postgres``, in that PostgreSQL database (its schema is replaced), then runs the
indicators bench and, when present, the export bench (``benchmarks/export_bench.py``) on
each engine, the report bench, and the load bench (``benchmarks/load_bench.py``: gunicorn and
wrk; ``--no-load`` skips it, ``--load-postgres URL`` adds PostgreSQL to it). ``make bench``
runs it at full scale; ``make bench BENCH_SCALE=0.01`` is quick.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from benchmarks import indicators_bench


def export_bench_main(name: str = "export_bench"):
    """``benchmarks.<name>.main`` (the export bench by default), or None when not there."""
    try:
        module = importlib.import_module(f"benchmarks.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"benchmarks.{name}":
            raise
        return None
    return getattr(module, "main", None)


def parse(argv: list[str] | None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--scale",
        type=float,
        default=float(os.environ.get("BENCH_SCALE") or 1.0),
        help="size of the synthetic province (1 = 100,000 people, about 1.1M answers)",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("BENCH_POSTGRES") or None,
        help="also run on this PostgreSQL database (e.g. postgresql:///surveyapp_bench)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (median)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive query")
    parser.add_argument("--no-export", action="store_true", help="skip the export bench")
    parser.add_argument("--no-report", action="store_true", help="skip the report bench")
    parser.add_argument(
        "--no-load", action="store_true", help="skip the load bench (gunicorn + wrk)"
    )
    parser.add_argument(
        "--load-postgres",
        metavar="URL",
        default=os.environ.get("BENCH_LOAD_POSTGRES") or None,
        help="PostgreSQL database for the load bench, WIPED each run "
        "(e.g. postgresql:///surveyapp_bench_load; not the --postgres one)",
    )
    parser.add_argument(
        "--no-leaderboard", action="store_true", help="skip the leaderboard load bench"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    print(f"== Indicators (scale {args.scale:g})", flush=True)
    indicators_bench.run(args.scale, args.postgres, args.runs, naive=not args.no_naive)
    export_main = None if args.no_export else export_bench_main()
    if export_main is not None:
        for url in [None, args.postgres] if args.postgres else [None]:
            engine = "PostgreSQL" if url else "SQLite"
            print(f"\n== Exports on {engine} (scale {args.scale:g})", flush=True)
            export_main(["--scale", f"{args.scale:g}", *(["--postgres", url] if url else [])])
    report_main = None if args.no_report else export_bench_main("report_bench")
    if report_main is not None:
        print(f"\n== Impact report PDF (scale {args.scale:g})", flush=True)
        report_main(
            [
                "--scale",
                f"{args.scale:g}",
                *(["--postgres", args.postgres] if args.postgres else []),
            ]
        )
    board_main = None if args.no_leaderboard else export_bench_main("leaderboard_bench")
    if board_main is not None:
        print("\n== Quiz leaderboard under load (2,000 participants)", flush=True)
        board_main(["--postgres", args.postgres] if args.postgres else [])
    load_main = None if args.no_load else export_bench_main("load_bench")
    if load_main is not None:
        print("\n== Load: survey submissions under gunicorn (wrk)", flush=True)
        load_main(["--postgres", args.load_postgres] if args.load_postgres else [])
    return 0


if __name__ == "__main__":
    sys.exit(main())
