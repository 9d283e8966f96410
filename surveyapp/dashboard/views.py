"""Routes of the dashboard blueprint."""

from surveyapp.dashboard import bp  # noqa: F401
