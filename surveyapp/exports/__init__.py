"""Exports: responses (long and wide), codebooks and people as streamed CSV or XLSX, from
the web (``views``) and the command line (``cli``), through the same ``services``."""

from flask import Blueprint

bp = Blueprint("exports", __name__)
