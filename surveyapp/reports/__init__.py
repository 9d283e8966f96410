"""Printable reports: the impact report of a campaign and locality, and the class report."""

from flask import Blueprint

bp = Blueprint("reports", __name__)
