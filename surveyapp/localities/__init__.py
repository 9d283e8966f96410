"""Localities: the administrative tree, its schemes and the crosswalk."""

from flask import Blueprint

bp = Blueprint("localities", __name__)
