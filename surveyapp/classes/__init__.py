"""Training classes, their access codes and printable class sheets."""

from flask import Blueprint

bp = Blueprint("classes", __name__)
