"""Benchmarks (``make bench``, not tests): a synthetic province and timings of the indicators.

``synthetic`` builds (and caches) a province of about 3,000 localities, 100,000 participants
and 1,000,000 answers; ``indicators_bench`` times ``kpi_table`` against the best hand-written
SQL; ``python -m benchmarks`` runs every bench (see README.md).
"""
