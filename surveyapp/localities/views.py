"""Browsing the locality tree."""

from __future__ import annotations

from flask import render_template

from surveyapp.localities import bp
from surveyapp.security import STAFF, roles_required


@bp.route("/localities")
@roles_required(*STAFF)
def index():
    return render_template("localities/index.html")
