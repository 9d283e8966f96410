"""Routes of the exports blueprint."""

from surveyapp.exports import bp  # noqa: F401
