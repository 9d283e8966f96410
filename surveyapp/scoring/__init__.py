"""Scoring: pure computations over plain data (item statistics, reliability, learning gains)."""

from flask import Blueprint

bp = Blueprint("scoring", __name__)
