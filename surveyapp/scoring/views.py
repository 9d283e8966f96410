"""Routes of the scoring blueprint."""

from surveyapp.scoring import bp  # noqa: F401
