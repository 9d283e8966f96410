"""Fixtures of the approval tests: the journey's Yên Bái world (province > Văn Yên district >
Mậu A commune, a class with open forms, users at each level)."""

from tests.journey.helpers import world  # noqa: F401
