"""What the public results page of a contest shows for each published round.

Quiz rounds show their leaderboard (``leaderboard.board``, as the public may see it);
product rounds their ranked entries (``results.round_results``, without the organisers'
agreement figures). Names come from ``names.py``: a pupil's name only with consent.
"""

from __future__ import annotations

from dataclasses import dataclass

from surveyapp.contests.models import Contest, Round, RoundKind
from surveyapp.contests.rounds import published_rounds


@dataclass
class RoundSection:
    round: Round
    kind: str
    board: object | None = None  # leaderboard.Board for quiz rounds
    results: object | None = None  # results.RoundResults for product rounds


def round_section(rnd: Round) -> RoundSection:
    if rnd.kind == RoundKind.QUIZ:
        from surveyapp.contests.leaderboard import board

        return RoundSection(rnd, rnd.kind, board=board(rnd, viewer_is_organiser=False))
    from surveyapp.contests.results import round_results

    results = round_results(rnd, organiser=False)
    results.rows = [row for row in results.rows if row.rank is not None]
    return RoundSection(rnd, rnd.kind, results=results)


def round_sections(contest: Contest) -> list[RoundSection]:
    return [round_section(rnd) for rnd in published_rounds(contest)]
