"""Approval of figures: a locality submits its campaign figures for a period, the level
above approves or returns them, and approved periods are locked."""

from flask import Blueprint

bp = Blueprint("approvals", __name__)
