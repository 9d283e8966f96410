"""Routes of the indicators blueprint."""

from surveyapp.indicators import bp  # noqa: F401
