"""Fixtures shared by the journey, participant and response tests."""

from tests.journey.helpers import world  # noqa: F401
