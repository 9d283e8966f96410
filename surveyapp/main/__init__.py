"""Home page, language switch, health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)
