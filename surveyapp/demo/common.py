"""Helpers shared by the demo campaigns: the seeded context, fair splits, dates, places."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from surveyapp.classes.services import ACCESS_CODE_ALPHABET, ACCESS_CODE_LENGTH
from surveyapp.demo.content import HIGH_SCHOOLS, VILLAGES, without_district
from surveyapp.demo.names import PersonNamer, short_name, unit_phrase
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.lookup import find_locality
from surveyapp.localities.models import Locality


class AccessCodes:
    """Distinct class access codes of the classes' alphabet, drawn from the demo's RNG.

    The classes service draws from ``secrets``; the demo needs the same codes every time.
    """

    def __init__(self, rng: random.Random, taken: set[str] | None = None):
        self.rng = rng
        self.used = set(taken or ())

    def next(self) -> str:
        while True:
            code = "".join(self.rng.choices(ACCESS_CODE_ALPHABET, k=ACCESS_CODE_LENGTH))
            if code not in self.used:
                self.used.add(code)
                return code


@dataclass
class DemoContext:
    """Everything random in the demo comes from ``rng``, so one seed gives one demo."""

    rng: random.Random
    namer: PersonNamer = field(init=False)
    codes: AccessCodes = field(init=False)

    def __post_init__(self):
        self.namer = PersonNamer(self.rng)
        self.codes = AccessCodes(self.rng)


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainder).

    The parts always add up to ``total``; ties go to the earlier weight.
    """
    if total < 0 or not weights or sum(weights) <= 0:
        raise ValueError("apportion needs a non-negative total and positive weights")
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def required_locality(scheme: str, code: str) -> Locality:
    locality = find_locality(scheme, code)
    if locality is None:
        raise DomainError(
            _(
                "The demo needs locality %(code)s of scheme %(scheme)s; import it first.",
                code=code,
                scheme=scheme,
            )
        )
    return locality


def children(parent: Locality) -> list[Locality]:
    """The units directly under ``parent``, by official code."""
    return list(
        db.session.scalars(
            sa.select(Locality).where(Locality.parent_id == parent.id).order_by(Locality.code)
        )
    )


def day_between(rng: random.Random, start: date, end: date, *, early: bool = False) -> date:
    """A working day (Monday to Saturday) in [start, end]; ``early`` favours the first weeks."""
    span = (end - start).days
    share = rng.betavariate(1.3, 3.0) if early else rng.random()
    day = start + timedelta(days=round(share * span))
    if day.weekday() == 6:  # Sunday: move to Saturday, which stays inside the period
        day -= timedelta(days=1)
    return max(day, start)


def neighbourhood(rng: random.Random, commune: Locality) -> str:
    """A village of a rural commune ("thôn Khe Cam"); a street group in a ward or town."""
    if commune.name.startswith(("Phường", "Thị trấn")):
        return f"tổ dân phố số {rng.randint(1, 12)}"
    return f"thôn {rng.choice(VILLAGES)}"


@dataclass(frozen=True)
class Place:
    """A commune (or ward) and the unit above it, with the words templates need."""

    commune: Locality
    district: Locality

    @property
    def has_district(self) -> bool:
        return self.district is not self.commune

    def templates(self, choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        return choices if self.has_district else without_district(choices)

    def words(self, rng: random.Random) -> dict[str, str]:
        schools = HIGH_SCHOOLS.get(self.district.code) or (
            f"Trường THPT {short_name(self.commune.name)}",
        )
        return {
            "c": unit_phrase(self.commune.name),
            "C": short_name(self.commune.name),
            "d": unit_phrase(self.district.name),
            "D": short_name(self.district.name),
            "V": neighbourhood(rng, self.commune),
            "S": rng.choice(schools),
        }
