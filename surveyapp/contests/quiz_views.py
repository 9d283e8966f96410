"""Quiz rounds: the pupil's pages (start, answer, result), the public leaderboard, and the
organisers' reveal and attempts list.

Pupils have no login: their pages are public routes guarded by ``students.current_member()``
and only ever show the pupil's own (or their team's) attempts. The leaderboard is public
and cached (``leaderboard.py``); it sends an ETag and a short private max-age.
"""

from __future__ import annotations

import math
import uuid

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.routing import BuildError

from surveyapp import select_locale
from surveyapp.contests import attempts, bp, clock, shuffle
from surveyapp.contests import leaderboard as lb
from surveyapp.contests.models import Contest, Round, RoundKind
from surveyapp.contests.quiz_models import QuizAttempt
from surveyapp.contests.students import SESSION_KEY, current_member
from surveyapp.errors import DomainError, render_error
from surveyapp.extensions import db
from surveyapp.instruments import engine
from surveyapp.security import MANAGERS, get_in_scope_or_404, public, roles_required, scope_for
from surveyapp.templating import number

PAGE_SIZE = 100
# The slot of the cached anonymous page filled per request (the pupil's own line).
MINE_SLOT = "<!--quiz-board-mine-slot-->"


def _join_url() -> str | None:
    try:
        return url_for("contests.join")
    except BuildError:
        return None


def _no_pupil():
    return render_template("contests/quiz_no_pupil.html", join_url=_join_url()), 403


def _quiz_round_or_404(round_id: int) -> Round:
    rnd = db.session.get(Round, round_id)
    if rnd is None or rnd.kind != RoundKind.QUIZ or not lb.shows_board(rnd):
        abort(404)
    return rnd


def _own_attempt_or_404(attempt_id: int):
    member = current_member()
    if member is None:
        return None, None
    attempt = attempts.attempt_for(attempt_id, member)
    if attempt is None:
        abort(404)
    return member, attempt


# ---------------------------------------------------------------- pupils


@bp.route("/contests/quiz/<int:round_id>")
@public
def quiz_round(round_id: int):
    member = current_member()
    if member is None:
        return _no_pupil()
    rnd = _quiz_round_or_404(round_id)
    try:
        who = attempts.contestant_for(rnd, member)
    except DomainError as error:
        return render_error(403, error.message)
    mine = attempts.attempts_of(rnd, who.key)
    now = clock.now()
    return render_template(
        "contests/quiz_round.html",
        round=rnd,
        team=who.team,
        attempts=mine,
        started=next((a for a in mine if a.submitted_at is None), None),
        may_start=len(mine) < max(1, rnd.attempts_allowed),
        is_open=attempts.aware(rnd.opens_at) <= now < attempts.aware(rnd.closes_at),
        not_yet=now < attempts.aware(rnd.opens_at),
    )


@bp.route("/contests/quiz/<int:round_id>/start", methods=["POST"])
@public
def quiz_start(round_id: int):
    member = current_member()
    if member is None:
        return _no_pupil()
    rnd = _quiz_round_or_404(round_id)
    try:
        attempt = attempts.start_attempt(rnd, member, now=clock.now())
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("contests.quiz_round", round_id=rnd.id))
    db.session.commit()
    return redirect(url_for("contests.quiz_attempt", attempt_id=attempt.id))


def _attempt_page(attempt, *, values=None, errors=None, status=200):
    items = shuffle.arrange(attempts.quiz_items(attempt.round), attempt.order)
    now = clock.now()
    remaining = max(0, int((attempts.aware(attempt.deadline_at) - now).total_seconds()))
    page = render_template(
        "contests/quiz_attempt.html",
        attempt=attempt,
        round=attempt.round,
        items=items,
        values=values or engine.raw_values(items, attempt.answers or {}),
        errors=errors or {},
        submission_id=str(uuid.uuid4()),
        remaining=remaining,
        deadline=attempts.aware(attempt.deadline_at),
    )
    return page, status


@bp.route("/contests/quiz/attempts/<int:attempt_id>", methods=["GET", "POST"])
@public
def quiz_attempt(attempt_id: int):
    member, attempt = _own_attempt_or_404(attempt_id)
    if member is None:
        return _no_pupil()
    if request.method == "GET":
        if attempt.submitted_at is not None:
            return redirect(url_for("contests.quiz_result", attempt_id=attempt.id))
        return _attempt_page(attempt)
    try:
        attempts.submit_attempt(
            attempt, request.form, request.form.get("submission_id"), now=clock.now()
        )
    except attempts.AnswerErrors as error:
        return _attempt_page(
            attempt, values=error.result.raw, errors=error.result.errors, status=400
        )
    except attempts.AlreadySubmitted as error:
        flash(str(error.message), "info")
    except DomainError as error:
        return render_error(400, error.message)
    else:
        db.session.commit()
    return redirect(url_for("contests.quiz_result", attempt_id=attempt.id))


@bp.route("/contests/quiz/attempts/<int:attempt_id>/result")
@public
def quiz_result(attempt_id: int):
    member, attempt = _own_attempt_or_404(attempt_id)
    if member is None:
        return _no_pupil()
    if attempt.submitted_at is None:
        return redirect(url_for("contests.quiz_attempt", attempt_id=attempt.id))
    rnd = attempt.round
    closed = clock.now() >= attempts.aware(rnd.closes_at)
    items = shuffle.arrange(attempts.quiz_items(rnd), attempt.order) if closed else []
    scored = engine.score(items, attempt.answers or {}) if closed else None
    return render_template(
        "contests/quiz_result.html",
        attempt=attempt,
        round=rnd,
        closed=closed,
        items=[i for i in items if scored and i.key in scored.per_item],
        per_item=scored.per_item if scored else {},
        time_taken=lb.time_taken(attempt.duration_ms),
    )


# ---------------------------------------------------------------- the leaderboard


def _signed_in() -> bool:
    """Whether a staff login may be present (read without loading the user: the public
    page of an anonymous visitor, i.e. almost every view of the board, skips it)."""
    return "_user_id" in session or bool(
        request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    )


def _organiser_round(round_id: int) -> Round | None:
    """The round when the logged-in user organises its contest (they see the live board)."""
    if not _signed_in() or not current_user.is_authenticated or current_user.role not in MANAGERS:
        return None
    rnd = db.session.get(Round, round_id)
    if rnd is None or not scope_for().contains(rnd.contest.locality):
        return None
    return rnd


def _etag(entry: lb.Entry, *parts) -> str:
    """The board's tag (the same in every worker) followed by what varies per viewer."""
    return "-".join(("lb", entry.tag, *map(str, parts)))


def _fragment(entry: lb.Entry, page: int, locale: str, organiser: bool) -> Markup:
    key = (page, locale)
    fragment = entry.fragments.get(key)
    if fragment is None:
        start = (page - 1) * PAGE_SIZE
        html = render_template(
            "contests/quiz_board_table.html",
            rows=entry.board.rows[start : start + PAGE_SIZE],
            organiser=organiser,
        )
        fragment = Markup(html)  # noqa: S704 (an autoescaped template's output)
        entry.fragments[key] = fragment
    return fragment


def _mine_html(board: lb.Board, row: lb.BoardRow | None) -> Markup:
    """The pupil's own line (their rank), outside the cached page."""
    if row is None:
        return Markup("")
    text = _(
        "Your position: %(rank)s of %(total)s, with %(score)s points.",
        rank=row.rank,
        total=len(board.rows),
        score=number(row.score, 2),
    )
    return Markup('<p class="card quiz-mine">{}</p>').format(text)


def _render_board(entry: lb.Entry, page: int, pages: int, organiser: bool, **slots) -> str:
    return render_template(
        "contests/quiz_leaderboard.html",
        info=entry.info,
        board=entry.board,
        table=_fragment(entry, page, str(get_locale()), organiser),
        page=page,
        pages=pages,
        organiser=organiser,
        now=clock.now(),
        **slots,
    )


def _anonymous_page(entry: lb.Entry, page: int, pages: int, locale: str, mine) -> str:
    """The whole page for a visitor without a login: rendered once per board, page and
    language, with a slot for the one thing that differs per visitor (the pupil's own
    line). Its language switch is a plain link (``?lang=``), so the page carries no CSRF
    token and an anonymous view writes no session."""
    key = ("page", page, locale)
    html = entry.fragments.get(key)
    if html is None:
        slot = Markup(MINE_SLOT)  # noqa: S704 (a constant HTML comment)
        html = _render_board(entry, page, pages, False, mine_html=slot, lang_links=True)
        entry.fragments[key] = html
    if mine is None:
        return html
    line = entry.fragments.get(("mine", mine.key, locale))
    if line is None:
        line = entry.fragments[("mine", mine.key, locale)] = str(_mine_html(entry.board, mine))
    return html.replace(MINE_SLOT, line)


def _board_response(entry: lb.Entry, organiser: bool):
    """The page (or a 304), with an ETag and a short private max-age."""
    pages = max(1, math.ceil(len(entry.board.rows) / PAGE_SIZE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    member_id = session.get(SESSION_KEY)
    mine = entry.board.row_of_member(member_id if isinstance(member_id, int) else None)
    user_id = current_user.get_id() if _signed_in() and current_user.is_authenticated else None
    flashes = bool(session.get("_flashes"))
    locale = select_locale()  # what Flask-Babel will pick, without building a Locale
    etag = _etag(entry, page, locale, mine.rank if mine else 0, user_id or 0, int(organiser))
    response_class = current_app.response_class
    if not flashes and request.if_none_match.contains(etag):
        response = response_class(status=304)
    elif user_id is None and not flashes:
        response = response_class(_anonymous_page(entry, page, pages, locale, mine))
    else:
        mine_html = _mine_html(entry.board, mine)
        response = response_class(_render_board(entry, page, pages, organiser, mine_html=mine_html))
    response.headers["ETag"] = f'"{etag}"'
    max_age = int(current_app.config.get("LEADERBOARD_CACHE_SECONDS", 3))
    response.headers["Cache-Control"] = f"private, max-age={max_age}"
    return response


@bp.route("/contests/rounds/<int:round_id>/leaderboard")
@public
def leaderboard(round_id: int):
    code = request.args.get("lang")
    if code is not None:  # the page's own language links (a preference, nothing to forge)
        if code in current_app.config["LANGUAGES"]:
            session["lang"] = code
        page = request.args.get("page", type=int)
        return redirect(url_for("contests.leaderboard", round_id=round_id, page=page))
    now = clock.now()
    organised = _organiser_round(round_id)
    organiser = organised is not None
    entry = None if organiser else lb.fresh_entry(round_id, organiser=False, now=now)
    if entry is None:
        rnd = organised or db.session.get(Round, round_id)
        if rnd is None or not lb.shows_board(rnd):
            abort(404)
        entry = lb.entry_for(rnd, organiser=organiser, now=now)
    return _board_response(entry, organiser)


# ---------------------------------------------------------------- organisers


def _organised_quiz_or_404(round_id: int) -> Round:
    rnd = db.session.get(Round, round_id)
    if rnd is None:
        abort(404)
    get_in_scope_or_404(Contest, rnd.contest_id)
    if rnd.kind != RoundKind.QUIZ:
        abort(404)
    return rnd


@bp.route("/contests/rounds/<int:round_id>/leaderboard/reveal", methods=["POST"])
@roles_required(*MANAGERS)
def leaderboard_reveal(round_id: int):
    rnd = _organised_quiz_or_404(round_id)
    try:
        attempts.reveal(rnd, actor=current_user._get_current_object(), now=clock.now())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        db.session.commit()
        lb.forget(rnd.id)
        flash(_("The leaderboard is now shown to everyone."), "success")
    return redirect(url_for("contests.leaderboard", round_id=rnd.id))


@bp.route("/contests/rounds/<int:round_id>/attempts")
@roles_required(*MANAGERS)
def quiz_attempts(round_id: int):
    rnd = _organised_quiz_or_404(round_id)
    rows = db.session.scalars(
        sa.select(QuizAttempt)
        .where(QuizAttempt.round_id == rnd.id)
        .options(sa.orm.selectinload(QuizAttempt.member), sa.orm.selectinload(QuizAttempt.team))
        .order_by(QuizAttempt.started_at, QuizAttempt.id)
    ).all()
    now = clock.now()
    listed = [(a, now > attempts.aware(a.deadline_at)) for a in rows]
    return render_template("contests/quiz_attempts.html", round=rnd, attempts=listed)
