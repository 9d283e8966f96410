"""Round setup: the quiz and product rounds of a contest, their windows and settings.

Only organisers (see ``contests.check_organiser``) add, change and delete rounds. A round's
quiz can no longer change, and the round cannot be deleted, once pupils took part in it.
Functions flush but never commit and raise ``DomainError`` with the form field concerned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import User
from surveyapp.audit.services import record
from surveyapp.contests.contests import as_utc, check_organiser
from surveyapp.contests.entry_models import Entry
from surveyapp.contests.models import Contest, ContestStatus, LateRule, Round, RoundKind
from surveyapp.contests.quiz_models import QuizAttempt
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentKind, InstrumentVersion, Item
from surveyapp.security import Scope

TITLE_MAX = 300
MAX_FILE_MB = 50  # the most a round may allow per file (uploads caps at CONTEST_MAX_FILE_MB)
MAX_ATTEMPTS = 10
MAX_TIME_LIMIT = 4 * 3600
MAX_GRACE = 300


@dataclass
class RoundFields:
    kind: str
    title: str
    opens_at: datetime | None
    closes_at: datetime | None
    version: InstrumentVersion | None = None
    time_limit_seconds: int | None = None
    team_attempts: bool = False
    attempts_allowed: int | None = 1
    late_rule: str = LateRule.ZERO
    late_penalty_percent: int | None = 0
    grace_seconds: int | None = 5
    freeze_minutes: int | None = 0
    categories: list[str] = field(default_factory=list)
    max_file_mb: int | None = 20
    standardise_scores: bool = False


def quiz_versions(scope: Scope) -> sa.Select:
    """Contest-quiz versions with items an organiser may pick (shared or of their area)."""
    has_items = sa.exists().where(Item.version_id == InstrumentVersion.id)
    return (
        sa.select(InstrumentVersion)
        .join(Instrument)
        .where(Instrument.kind == InstrumentKind.CONTEST_QUIZ, has_items)
        .where(
            sa.or_(
                Instrument.locality_id.is_(None),
                scope.sees_locality_id_condition(Instrument.locality_id),
                Instrument.locality_id.in_(scope.ancestor_ids or {-1}),
            )
        )
        .order_by(Instrument.key, InstrumentVersion.number)
    )


def _between(value, low: int, high: int, name: str, message) -> int:
    if value is None or not low <= value <= high:
        raise DomainError(message, field=name)
    return value


def _check_window(fields: RoundFields) -> None:
    title = " ".join((fields.title or "").split())
    if not title or len(title) > TITLE_MAX:
        raise DomainError(_l("Give the round a title (at most 300 characters)."), field="title")
    fields.title = title
    if fields.opens_at is None:
        raise DomainError(_l("Give the opening time."), field="opens_at")
    if fields.closes_at is None:
        raise DomainError(_l("Give the closing time."), field="closes_at")
    if as_utc(fields.closes_at) <= as_utc(fields.opens_at):
        raise DomainError(_l("The round must close after it opens."), field="closes_at")


def _check_quiz(fields: RoundFields, scope: Scope) -> None:
    version = fields.version
    allowed = db.session.scalars(quiz_versions(scope).with_only_columns(InstrumentVersion.id))
    if version is None or version.id not in set(allowed):
        raise DomainError(_l("Choose a contest quiz with questions."), field="version")
    _between(fields.time_limit_seconds, 30, MAX_TIME_LIMIT, "time_limit_seconds",
             _l("The time limit is from 30 seconds to 4 hours."))  # fmt: skip
    window = (as_utc(fields.closes_at) - as_utc(fields.opens_at)).total_seconds()
    if fields.time_limit_seconds > window:
        raise DomainError(
            _l("The time limit is longer than the round is open."), field="time_limit_seconds"
        )
    _between(fields.attempts_allowed, 1, MAX_ATTEMPTS, "attempts_allowed",
             _l("Allow 1 to %(n)s attempts.", n=MAX_ATTEMPTS))  # fmt: skip
    if fields.late_rule not in set(LateRule):
        raise DomainError(_l("Choose a rule for late answers."), field="late_rule")
    _between(fields.late_penalty_percent, 0, 100, "late_penalty_percent",
             _l("The penalty is a percentage from 0 to 100."))  # fmt: skip
    _between(fields.grace_seconds, 0, MAX_GRACE, "grace_seconds",
             _l("The grace period is 0 to %(n)s seconds.", n=MAX_GRACE))  # fmt: skip
    _between(fields.freeze_minutes, 0, int(window // 60), "freeze_minutes",
             _l("The freeze cannot be longer than the round is open."))  # fmt: skip


def _check_product(fields: RoundFields) -> None:
    cleaned = []
    for line in fields.categories:
        text = " ".join(line.split())
        if text and text not in cleaned:
            if len(text) > 120:
                raise DomainError(_l("A category name is too long."), field="categories")
            cleaned.append(text)
    fields.categories = cleaned
    _between(fields.max_file_mb, 1, MAX_FILE_MB, "max_file_mb",
             _l("Files may be 1 to %(n)s MB.", n=MAX_FILE_MB))  # fmt: skip


def _check_round(fields: RoundFields, scope: Scope) -> None:
    if fields.kind not in set(RoundKind):
        raise DomainError(_l("Choose the kind of round."), field="kind")
    _check_window(fields)
    if fields.kind == RoundKind.QUIZ:
        _check_quiz(fields, scope)
    else:
        _check_product(fields)


def _apply(rnd: Round, fields: RoundFields) -> None:
    rnd.title = fields.title
    rnd.opens_at = fields.opens_at
    rnd.closes_at = fields.closes_at
    if fields.kind == RoundKind.QUIZ:
        rnd.version_id = fields.version.id
        rnd.time_limit_seconds = fields.time_limit_seconds
        rnd.team_attempts = fields.team_attempts
        rnd.attempts_allowed = fields.attempts_allowed
        rnd.late_rule = fields.late_rule
        rnd.late_penalty_percent = fields.late_penalty_percent
        rnd.grace_seconds = fields.grace_seconds
        rnd.freeze_minutes = fields.freeze_minutes
    else:
        rnd.categories = list(fields.categories)
        rnd.max_file_mb = fields.max_file_mb
        rnd.standardise_scores = fields.standardise_scores


def create_round(actor: User | None, contest: Contest, fields: RoundFields, *, scope) -> Round:
    check_organiser(actor, contest, scope)
    if contest.status in (ContestStatus.CLOSED, ContestStatus.PUBLISHED):
        raise DomainError(_l("The contest is closed; no round can be added."))
    _check_round(fields, scope)
    last = db.session.scalar(
        sa.select(sa.func.max(Round.position)).where(Round.contest_id == contest.id)
    )
    rnd = Round(contest=contest, kind=fields.kind, position=(last or 0) + 1)
    _apply(rnd, fields)
    db.session.add(rnd)
    db.session.flush()
    record(actor, "contest.round_created", rnd, locality_id=contest.locality_id, kind=rnd.kind)
    return rnd


def round_has_work(rnd: Round) -> bool:
    """True once pupils started attempts or sent entries: the round's core is then fixed."""
    attempt = sa.select(QuizAttempt.id).where(QuizAttempt.round_id == rnd.id).limit(1)
    entry = sa.select(Entry.id).where(Entry.round_id == rnd.id).limit(1)
    return db.session.scalar(attempt) is not None or db.session.scalar(entry) is not None


def update_round(actor: User | None, rnd: Round, fields: RoundFields, *, scope) -> Round:
    check_organiser(actor, rnd.contest, scope)
    fields.kind = rnd.kind  # the kind never changes
    _check_round(fields, scope)
    if rnd.kind == RoundKind.QUIZ and fields.version.id != rnd.version_id and round_has_work(rnd):
        raise DomainError(
            _l("Pupils have started this round; its quiz can no longer change."), field="version"
        )
    _apply(rnd, fields)
    db.session.flush()
    record(actor, "contest.round_updated", rnd, locality_id=rnd.contest.locality_id)
    return rnd


def delete_round(actor: User | None, rnd: Round, *, scope) -> None:
    check_organiser(actor, rnd.contest, scope)
    if round_has_work(rnd):
        raise DomainError(_l("Pupils have taken part in this round; it cannot be deleted."))
    record(actor, "contest.round_deleted", rnd, locality_id=rnd.contest.locality_id,
           title=rnd.title)  # fmt: skip
    db.session.delete(rnd)
    db.session.flush()


def published_rounds(contest: Contest) -> list[Round]:
    """Rounds whose results the public may see: product rounds once published, quiz rounds
    once published or their leaderboard revealed."""
    return [
        r
        for r in contest.rounds
        if r.results_published_at is not None
        or (r.kind == RoundKind.QUIZ and r.revealed_at is not None)
    ]
