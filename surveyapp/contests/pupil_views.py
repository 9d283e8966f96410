"""Pupils' pages (no login): join a club with its code, agree (or not) that their name is
published, see their club, teams and the rounds open to them, and leave this browser.

A pupil is remembered in the signed session (``students.py``); the pages only ever show
the pupil remembered there.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from surveyapp.contests import bp, clock, clubs
from surveyapp.contests.forms import ConfirmForm, ConsentForm, JoinForm
from surveyapp.contests.lookups import show_error
from surveyapp.contests.models import Contest, ContestStatus, Round, RoundKind, Team, team_member
from surveyapp.contests.students import current_member, forget_member, remember_member
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.security import public

# The pupil pages of the quiz and product modules, by round kind: (endpoint, argument).
PUPIL_ROUND_PAGES = {
    RoundKind.QUIZ: ("contests.quiz_round", "round_id"),
    RoundKind.PRODUCT: ("contests.pupil_entry", "round_id"),
}


@bp.route("/join", methods=["GET", "POST"])
@public
def join():
    form = JoinForm(data={"code": request.args.get("code", "")[:20]})
    if form.validate_on_submit():
        try:
            member = clubs.join_club(
                form.code.data, form.full_name.data, form.grade.data, now=clock.now()
            )
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            remember_member(member)
            flash(_("Welcome to %(club)s!", club=member.club.name), "success")
            return redirect(url_for("contests.pupil_consent"))
    status = 400 if form.is_submitted() else 200
    return render_template("contests/join.html", form=form), status


@bp.route("/pupil/consent", methods=["GET", "POST"])
@public
def pupil_consent():
    member = current_member()
    if member is None:
        return redirect(url_for("contests.join"))
    form = ConsentForm(
        data={
            "pupil": member.pupil_consent_at is not None,
            "guardian": member.guardian_consent_at is not None,
            "guardian_name": member.guardian_name,
        }
    )
    if form.validate_on_submit():
        consent = clubs.Consent(form.pupil.data, form.guardian.data, form.guardian_name.data)
        try:
            clubs.record_consent(None, member, consent, now=clock.now())
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Your choice was saved. You can change it at any time."), "success")
            return redirect(url_for("contests.pupil_home"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "contests/pupil_consent.html",
        form=form,
        member=member,
        version=clubs.CONSENT_TEXT_VERSION,
    ), status


def _my_teams(member) -> list[Team]:
    return list(
        db.session.scalars(
            sa.select(Team)
            .join(team_member, team_member.c.team_id == Team.id)
            .join(Contest, Contest.id == Team.contest_id)
            .where(team_member.c.member_id == member.id, Contest.status != ContestStatus.DRAFT)
            .options(joinedload(Team.contest).selectinload(Contest.rounds))
            .order_by(Contest.created_at.desc())
        )
    )


def pupil_round_link(rnd: Round) -> str | None:
    endpoint, argument = PUPIL_ROUND_PAGES.get(rnd.kind, (None, None))
    if endpoint is None or endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **{argument: rnd.id})


@bp.route("/pupil")
@public
def pupil_home():
    member = current_member()
    if member is None:
        return redirect(url_for("contests.join"))
    return render_template(
        "contests/pupil_home.html",
        member=member,
        teams=_my_teams(member),
        round_link=pupil_round_link,
        now=clock.now(),
        confirm=ConfirmForm(),
    )


@bp.route("/pupil/leave", methods=["POST"])
@public
def pupil_leave():
    if ConfirmForm().validate_on_submit():
        forget_member()
        flash(_("This browser no longer remembers you."), "success")
    return redirect(url_for("contests.join"))
