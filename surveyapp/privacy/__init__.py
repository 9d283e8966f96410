"""Personal data of participants: finding a person, their consents, data-subject requests,
export of everything held about them, erasure, and retention (Law 91/2025/QH15, Decree
356/2025/NĐ-CP)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
