"""Campaigns: plan targets, populations, core members and materials."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__)
