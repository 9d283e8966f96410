"""Tests of the localities domain."""
