"""Routes of the quality blueprint."""

from surveyapp.quality import bp  # noqa: F401
