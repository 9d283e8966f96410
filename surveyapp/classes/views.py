"""Class pages."""

from __future__ import annotations

from flask import render_template

from surveyapp.classes import bp
from surveyapp.security import STAFF, roles_required


@bp.route("/classes")
@roles_required(*STAFF)
def index():
    return render_template("classes/index.html")
