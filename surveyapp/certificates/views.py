"""Routes of the certificates blueprint."""

from surveyapp.certificates import bp  # noqa: F401
