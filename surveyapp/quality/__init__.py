"""Data quality: pure checks that flag responses and people that look unreliable."""

from flask import Blueprint

bp = Blueprint("quality", __name__)
