"""Judges of product rounds: assigning them to entries and recording their scores.

A judge is never assigned to an entry of a team from the judge's own school (the school
recorded in ``ContestJudge``). Organisers assign by hand or let ``auto_assign`` give each
entry k judges, balancing the judges' loads. Services flush, never commit.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from surveyapp.accounts.models import User
from surveyapp.contests import rubric
from surveyapp.contests.entries import round_entries
from surveyapp.contests.entry_models import Entry, JudgeAssignment, JudgeScore
from surveyapp.contests.models import Club, ContestJudge, Round, School, Team
from surveyapp.errors import DomainError
from surveyapp.extensions import db

COMMENT_MAX = 3000


def plain(value: Decimal) -> str:
    """A bound without trailing zeros: 10.00 -> "10", 2.50 -> "2.5"."""
    return format(Decimal(value).normalize(), "f")


def contest_judges(contest_id: int) -> list[ContestJudge]:
    return list(
        db.session.scalars(
            sa.select(ContestJudge)
            .join(User, ContestJudge.user_id == User.id)
            .where(ContestJudge.contest_id == contest_id)
            .order_by(User.name, User.id)
        )
    )


def team_school_id(team: Team) -> int:
    return db.session.scalar(sa.select(Club.school_id).where(Club.id == team.club_id))


def conflict(judge: ContestJudge, team: Team) -> bool:
    """True when the judge belongs to the team's school."""
    return judge.school_id is not None and judge.school_id == team_school_id(team)


def _check_not_published(round_: Round) -> None:
    if round_.results_published_at is not None:
        raise DomainError(_("The results of this round are published; judging is over."))


def assign(entry: Entry, judge_user: User, *, now: datetime) -> JudgeAssignment:
    _check_not_published(entry.round)
    judge = db.session.scalar(
        sa.select(ContestJudge).where(
            ContestJudge.contest_id == entry.round.contest_id,
            ContestJudge.user_id == judge_user.id,
        )
    )
    if judge is None:
        raise DomainError(_("This person is not a judge of the contest."), field="judge")
    if conflict(judge, entry.team):
        school = db.session.get(School, judge.school_id)
        raise DomainError(
            _(
                "%(judge)s is from %(school)s, the school of team %(team)s, and may not judge "
                "its entry.",
                judge=judge_user.name or judge_user.email,
                school=school.name,
                team=entry.team.name,
            ),
            field="judge",
        )
    exists = db.session.scalar(
        sa.select(JudgeAssignment.id).where(
            JudgeAssignment.entry_id == entry.id, JudgeAssignment.judge_id == judge_user.id
        )
    )
    if exists is not None:
        raise DomainError(_("This judge is assigned to this entry already."), field="judge")
    assignment = JudgeAssignment(entry_id=entry.id, judge_id=judge_user.id, assigned_at=now)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def unassign(assignment: JudgeAssignment) -> None:
    _check_not_published(assignment.entry.round)
    if assignment.scored_at is not None:
        raise DomainError(_("This judge has scored the entry already; the scores are kept."))
    db.session.delete(assignment)
    db.session.flush()


def round_assignments(round_: Round) -> list[JudgeAssignment]:
    return list(
        db.session.scalars(
            sa.select(JudgeAssignment)
            .join(Entry, JudgeAssignment.entry_id == Entry.id)
            .where(Entry.round_id == round_.id)
            .order_by(Entry.title, JudgeAssignment.id)
        )
    )


def _school_of_entries(round_: Round) -> dict[int, int]:
    """entry id -> the school id of its team, in one query."""
    rows = db.session.execute(
        sa.select(Entry.id, Club.school_id)
        .join(Team, Entry.team_id == Team.id)
        .join(Club, Team.club_id == Club.id)
        .where(Entry.round_id == round_.id)
    )
    return dict(rows.all())


def _options(round_: Round, k: int, judges, taken) -> dict:
    """entry -> (judges still needed, eligible judges); DomainError if one falls short."""
    schools = _school_of_entries(round_)
    options = {}
    for entry in round_entries(round_):
        have = sum(1 for e, _j in taken if e == entry.id)
        eligible = [
            j
            for j in judges
            if (entry.id, j.user_id) not in taken
            and (j.school_id is None or j.school_id != schools[entry.id])
        ]
        if have + len(eligible) < k:
            raise DomainError(
                _(
                    "Entry “%(title)s” can get only %(n)s eligible judges; add judges from "
                    "other schools.",
                    title=entry.title,
                    n=have + len(eligible),
                ),
                field="k",
            )
        options[entry] = (max(k - have, 0), eligible)
    return options


def auto_assign(round_: Round, k: int, *, now: datetime) -> int:
    """Give every entry of the round ``k`` judges in all, never from the team's school.
    The entries with the fewest eligible judges are served first, each taking the
    least-loaded judges (then by name), which keeps the loads even. All or nothing: if an
    entry cannot get k eligible judges, nothing is assigned. Returns how many were added."""
    _check_not_published(round_)
    if k < 1:
        raise DomainError(_("Give at least one judge per entry."), field="k")
    judges = contest_judges(round_.contest_id)
    existing = round_assignments(round_)
    load = Counter({j.user_id: 0 for j in judges})
    load.update(a.judge_id for a in existing)
    taken = {(a.entry_id, a.judge_id) for a in existing}
    options = _options(round_, k, judges, taken)
    plan = []
    for entry, (needed, eligible) in sorted(
        options.items(), key=lambda item: (len(item[1][1]), item[0].title, item[0].id)
    ):
        eligible.sort(key=lambda j: (load[j.user_id], j.user.name or "", j.user_id))
        for judge in eligible[:needed]:
            plan.append(JudgeAssignment(entry_id=entry.id, judge_id=judge.user_id, assigned_at=now))
            load[judge.user_id] += 1
    db.session.add_all(plan)
    db.session.flush()
    return len(plan)


def my_assignments(judge_user: User) -> list[JudgeAssignment]:
    """The judge's assignments, open rounds first."""
    return list(
        db.session.scalars(
            sa.select(JudgeAssignment)
            .join(Entry, JudgeAssignment.entry_id == Entry.id)
            .join(Round, Entry.round_id == Round.id)
            .where(JudgeAssignment.judge_id == judge_user.id)
            .order_by(Round.results_published_at.is_not(None), Round.closes_at, Entry.title)
        )
    )


def submit_scores(
    assignment: JudgeAssignment, scores: dict[int, object], comment: str, *, now: datetime
) -> JudgeAssignment:
    """Record the judge's score for every criterion (within its bounds) and a comment.
    ``scores`` maps criterion id -> the score typed. Errors name the criterion's field
    ``c<id>``. Scores can be changed until the results are published."""
    round_ = assignment.entry.round
    _check_not_published(round_)
    crits = rubric.criteria(round_)
    if not crits:
        raise DomainError(_("The rubric of this round has no criteria yet."))
    given = {s.criterion_id: s for s in assignment.scores}
    for criterion in crits:
        field = f"c{criterion.id}"
        raw = scores.get(criterion.id)
        if raw is None or str(raw).strip() == "":
            raise DomainError(_("Give a score for every criterion."), field=field)
        value = rubric._decimal(raw, field)
        if not criterion.min_score <= value <= criterion.max_score:
            raise DomainError(
                _(
                    "The score must lie between %(low)s and %(high)s.",
                    low=plain(criterion.min_score),
                    high=plain(criterion.max_score),
                ),
                field=field,
            )
        value = value.quantize(Decimal("0.01"))
        if criterion.id in given:
            given[criterion.id].score = value
        else:
            assignment.scores.append(JudgeScore(criterion_id=criterion.id, score=value))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise DomainError(_("At most %(max)s characters.", max=COMMENT_MAX), field="comment")
    assignment.comment = comment
    assignment.scored_at = now
    db.session.flush()
    return assignment
