"""Publishing a product round's results and awarding its prizes with certificates.

Prizes follow the ranks of ``results.round_results``: rank 1 first prize, 2 second, 3 third
(entries sharing a rank share the prize), then the next ``consolation`` entries (and any
tied with the last of them) a consolation prize. Each awarded entry gets a certificate
for its team (``names.team_label``) and one for each member whose name may be published
(pupil and guardian consent, DOMAIN.md §7); a member without consent gets no personal
certificate with their name on it.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.audit.services import record
from surveyapp.certificates.services import issue_award
from surveyapp.contests.entries import has_closed
from surveyapp.contests.entry_models import Entry
from surveyapp.contests.models import Round, RoundKind
from surveyapp.contests.names import team_label
from surveyapp.contests.results import round_results
from surveyapp.errors import DomainError
from surveyapp.extensions import db

PRIZES = {1: _l("First prize"), 2: _l("Second prize"), 3: _l("Third prize")}
CONSOLATION = _l("Consolation prize")
CONSOLATION_MAX = 50
HOLDER_MAX = 200  # certificates' holder name
TITLE_MAX = 300  # certificates' "prize – contest" title


def certificate_title(contest: str, round_title: str, prize: str) -> str:
    """ "Contest – round", shortened so "prize – contest – round" fits a certificate."""
    limit = TITLE_MAX - len(prize) - 3
    for title in (f"{contest} – {round_title}", contest):
        if len(title) <= limit:
            return title
    return contest[: limit - 1] + "…"


def publish_results(round_: Round, actor, *, now: datetime) -> Round:
    """Make the round's results public (after it closed, with at least one scored entry)."""
    if round_.kind != RoundKind.PRODUCT:
        raise DomainError(_("Only product rounds have judged results."))
    if round_.results_published_at is not None:
        raise DomainError(_("The results of this round are published already."))
    if not has_closed(round_, now):
        raise DomainError(_("The round is still open; publish its results after it closes."))
    results = round_results(round_)
    if not any(row.rank is not None for row in results.rows):
        raise DomainError(_("No entry has been scored by a judge yet."))
    round_.results_published_at = now
    record(
        actor,
        "contest.round_results_published",
        round_,
        locality_id=round_.contest.locality_id,
        round=round_.title,
    )
    db.session.flush()
    return round_


def prize_plan(round_: Round, consolation: int) -> list[tuple[int, int, str]]:
    """(entry id, rank, prize) for the entries to award."""
    rows = [r for r in round_results(round_).rows if r.rank is not None]
    plan = [(r.entry_id, r.rank, str(PRIZES[r.rank])) for r in rows if r.rank in PRIZES]
    rest = [r for r in rows if r.rank > 3]
    if consolation > 0 and rest:
        last_rank = rest[min(consolation, len(rest)) - 1].rank
        plan += [(r.entry_id, r.rank, str(CONSOLATION)) for r in rest if r.rank <= last_rank]
    return plan


def award_prizes(round_: Round, actor, *, consolation: int, now: datetime) -> int:
    """Record the prizes on the entries and issue their certificates. Once only."""
    if round_.results_published_at is None:
        raise DomainError(_("Publish the results before awarding prizes."))
    if not 0 <= consolation <= CONSOLATION_MAX:
        raise DomainError(
            _("Give between 0 and %(max)s consolation prizes.", max=CONSOLATION_MAX),
            field="consolation",
        )
    already = db.session.scalar(
        db.select(Entry.id).where(Entry.round_id == round_.id, Entry.awarded_at.is_not(None))
    )
    if already is not None:
        raise DomainError(_("The prizes of this round were awarded already."))
    issued = 0
    for entry_id, rank, prize in prize_plan(round_, consolation):
        entry = db.session.get(Entry, entry_id)
        entry.prize, entry.prize_rank, entry.awarded_at = prize, rank, now
        issued += _certify(entry, round_, prize, rank, actor, now)
    record(
        actor,
        "contest.round_prizes_awarded",
        round_,
        locality_id=round_.contest.locality_id,
        certificates=issued,
    )
    db.session.flush()
    return issued


def _certify(entry: Entry, round_: Round, prize: str, rank: int, actor, now) -> int:
    """Issue the team's certificate and one per member who may be named; return how many."""
    contest = round_.contest
    label = team_label(entry.team)
    holders = [label if len(label) <= HOLDER_MAX else entry.team.name]
    holders += [m.full_name for m in entry.team.members if m.may_publish_name]
    title = certificate_title(contest.title, round_.title, prize)
    for holder in holders:
        entry.certificates.append(
            issue_award(holder, title, prize, actor, campaign=contest.campaign, rank=rank, now=now)
        )
    return len(holders)
