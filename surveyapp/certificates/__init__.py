"""Completion and award certificates with a public verification page."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)
