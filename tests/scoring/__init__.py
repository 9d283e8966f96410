"""Tests of the scoring domain."""
