"""Fixtures shared by the journey, participant and response tests."""

from tests.journey.helpers import as_user, world  # noqa: F401
