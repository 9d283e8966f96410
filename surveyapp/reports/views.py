"""Routes of the reports blueprint."""

from surveyapp.reports import bp  # noqa: F401
