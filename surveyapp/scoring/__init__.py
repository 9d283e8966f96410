"""Scoring: pure computations over plain data (item statistics, reliability, learning gains)."""
