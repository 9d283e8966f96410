"""The home page of a logged-in user and the public utility routes."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from surveyapp.accounts.models import Role
from surveyapp.campaigns.models import Campaign
from surveyapp.extensions import db
from surveyapp.main import bp
from surveyapp.security import ALL_ROLES, is_safe_redirect, public, roles_required, scope_for


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return redirect(url_for("accounts.login"))


@bp.route("/home")
@roles_required(*ALL_ROLES)
def home():
    if current_user.role == Role.JUDGE:  # a judge sees contest entries only, no campaign
        return render_template("main/home.html", campaigns=[])
    scope = scope_for()
    campaigns = db.session.scalars(
        sa.select(Campaign)
        .where(scope.campaign_condition(Campaign.root_locality_id))
        .order_by(Campaign.start_date.desc())
    ).all()
    return render_template("main/home.html", campaigns=campaigns)


@bp.route("/lang/<code>", methods=["POST"])
@public
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    target = request.form.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("main.index"))


@bp.route("/healthz")
@public
def health():
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
