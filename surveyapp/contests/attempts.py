"""Quiz attempts: start a timed attempt, submit it once, score it, reveal the board.

The server decides every time: ``start_attempt`` sets ``deadline_at`` (the round's time
limit, never past the round's close); an answer sent after the deadline plus the round's
grace is recorded as late and scored by the round's late rule. A started attempt that is
not submitted is shown again (same order) on reload. Submissions are idempotent by their
``submission_id``: a retry of the same post is stored once and gives the same result.

Services take ``now`` and the pupil (``ClubMember``) explicitly, flush but never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.audit.services import record
from surveyapp.contests import shuffle
from surveyapp.contests.models import ClubMember, ContestStatus, LateRule, Round, RoundKind, Team
from surveyapp.contests.quiz_models import QuizAttempt
from surveyapp.contests.students import team_of
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.instruments import engine
from surveyapp.instruments.models import InstrumentVersion, Item
from surveyapp.instruments.services import freeze
from surveyapp.journey.filling import valid_submission_id

CENT = Decimal("0.01")


class AlreadySubmitted(DomainError):
    """The attempt was sent before (by this pupil or a teammate)."""


class AnswerErrors(DomainError):
    """Some answers were refused; ``result`` holds the messages and what was typed."""

    def __init__(self, result: engine.SubmissionResult):
        super().__init__(_l("Please check the answers marked below."))
        self.result = result


def aware(moment: datetime | None) -> datetime | None:
    """SQLite keeps no offset: stored times are UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class Contestant:
    """Who an attempt belongs to: the pupil, or their team when the round takes team attempts."""

    key: str
    member_id: int | None
    team: Team


def contestant_for(round_: Round, member: ClubMember) -> Contestant:
    team = team_of(member, round_.contest_id)
    if team is None:
        raise DomainError(_l("You are not in a team of this contest. Ask your club leader."))
    if round_.team_attempts:
        return Contestant(f"t{team.id}", None, team)
    return Contestant(f"m{member.id}", member.id, team)


def quiz_items(round_: Round) -> list[Item]:
    if round_.version_id is None:
        return []
    return list(db.session.get(InstrumentVersion, round_.version_id).items)


def _check_can_start(round_: Round, now: datetime) -> None:
    if round_.kind != RoundKind.QUIZ or round_.version_id is None:
        raise DomainError(_l("This round has no quiz."))
    if round_.contest.status != ContestStatus.OPEN:
        raise DomainError(_l("This contest is not open."))
    if now < aware(round_.opens_at):
        raise DomainError(_l("This round has not opened yet."))
    if now >= aware(round_.closes_at):
        raise DomainError(_l("This round is closed."))


def attempts_of(round_: Round, key: str) -> list[QuizAttempt]:
    return list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.round_id == round_.id, QuizAttempt.contestant_key == key)
            .order_by(QuizAttempt.number)
        )
    )


def open_attempt(round_: Round, key: str) -> QuizAttempt | None:
    """The contestant's started attempt that was not submitted yet."""
    return next((a for a in attempts_of(round_, key) if a.submitted_at is None), None)


def start_attempt(
    round_: Round, member: ClubMember, *, now: datetime, seed: int | None = None
) -> QuizAttempt:
    """Start an attempt, or give back the one already started (same order, same deadline)."""
    who = contestant_for(round_, member)
    earlier = attempts_of(round_, who.key)
    started = next((a for a in earlier if a.submitted_at is None), None)
    if started is not None:
        return started
    _check_can_start(round_, now)
    if len(earlier) >= max(1, round_.attempts_allowed):
        raise DomainError(_l("You have used all the attempts this round allows."))
    seed = seed if seed is not None else shuffle.new_seed()
    deadline = aware(round_.closes_at)
    if round_.time_limit_seconds:
        deadline = min(deadline, now + timedelta(seconds=round_.time_limit_seconds))
    version = db.session.get(InstrumentVersion, round_.version_id)
    attempt = QuizAttempt(
        round_id=round_.id,
        contestant_key=who.key,
        member_id=who.member_id,
        team_id=who.team.id,
        number=len(earlier) + 1,
        seed=seed,
        order=shuffle.draw(version.items, seed),
        started_at=now,
        deadline_at=deadline,
        answers={},
    )
    try:
        with db.session.begin_nested():  # a double click racing the first one
            db.session.add(attempt)
            db.session.flush()
    except sa.exc.IntegrityError:
        return open_attempt(round_, who.key) or attempts_of(round_, who.key)[-1]
    freeze(version, now)
    db.session.flush()
    return attempt


def attempt_for(attempt_id: int, member: ClubMember | None) -> QuizAttempt | None:
    """The attempt when it belongs to ``member`` or to their team; otherwise None."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or member is None:
        return None
    if attempt.contestant_key == f"m{member.id}":
        return attempt
    team = team_of(member, attempt.round.contest_id)
    return attempt if team is not None and attempt.contestant_key == f"t{team.id}" else None


def is_late(attempt: QuizAttempt, at: datetime) -> bool:
    return at > aware(attempt.deadline_at) + timedelta(seconds=attempt.round.grace_seconds or 0)


def late_score(round_: Round, raw: Decimal, late: bool) -> Decimal:
    """The score that counts, after the round's late rule."""
    if not late or round_.late_rule == LateRule.ACCEPT:
        return raw.quantize(CENT)
    if round_.late_rule == LateRule.PENALTY:
        kept = Decimal(100 - min(100, max(0, round_.late_penalty_percent))) / 100
        return (raw * kept).quantize(CENT, rounding=ROUND_HALF_UP)
    return Decimal("0.00")


def _replay(attempt: QuizAttempt, submission_id: str) -> QuizAttempt:
    if attempt.submission_id == submission_id:
        return attempt
    raise AlreadySubmitted(_l("This attempt was already sent."))


def submit_attempt(
    attempt: QuizAttempt, form, submission_id: str | None, *, now: datetime
) -> QuizAttempt:
    """Check, store and score the answers. Invalid answers re-show the form while time is
    left; after the deadline the valid answers are kept and the attempt is recorded late."""
    if not valid_submission_id(submission_id):
        raise DomainError(_l("Part of the form was changed or damaged. Please send it again."))
    if attempt.submitted_at is not None:
        return _replay(attempt, submission_id)
    used = db.session.scalar(
        sa.select(QuizAttempt).where(QuizAttempt.submission_id == submission_id)
    )
    if used is not None:
        raise DomainError(_l("Part of the form was changed or damaged. Please send it again."))
    items = quiz_items(attempt.round)  # the author's order: answers stored canonically
    result = engine.validate_submission(items, form)
    late = is_late(attempt, now)
    if result.errors and not late and now <= aware(attempt.deadline_at):
        raise AnswerErrors(result)
    scored = engine.score(items, result.answers)
    attempt.answers = result.answers
    attempt.submission_id = submission_id
    attempt.submitted_at = now
    attempt.late = late
    attempt.raw_score = scored.score.quantize(CENT)
    attempt.max_score = scored.max_score.quantize(CENT)
    attempt.score = late_score(attempt.round, scored.score, late)
    attempt.duration_ms = max(0, int((now - aware(attempt.started_at)).total_seconds() * 1000))
    db.session.flush()
    return attempt


def reveal(round_: Round, *, now: datetime, actor=None) -> None:
    """Show the whole board to the public (after the round has closed); audited."""
    if round_.kind != RoundKind.QUIZ:
        raise DomainError(_l("Only quiz rounds have a leaderboard."))
    if now < aware(round_.closes_at):
        raise DomainError(_l("The leaderboard can be revealed once the round has closed."))
    if round_.revealed_at is None:
        round_.revealed_at = now
        record(
            actor, "contest.leaderboard_revealed", round_, locality_id=round_.contest.locality_id
        )
        db.session.flush()
