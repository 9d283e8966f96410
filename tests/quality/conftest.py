"""Fixtures of the data-quality tests: the journey's small Yên Bái world."""

from tests.journey.helpers import world  # noqa: F401
