"""Contests for school AI clubs: clubs, pupils, teams, quiz rounds, judged product rounds,
leaderboards, results and award certificates."""

from flask import Blueprint

bp = Blueprint("contests", __name__)

from surveyapp.contests import entry_views, quiz_views, views  # noqa: E402,F401
