"""The demo's learners: distinct people with Vietnamese names, workplaces, phones and codes.

Each person lives in a commune of their class's area (mostly the class's own commune),
has a birth year, gender and segment that fit the class, and a hidden skill (``theta``)
and drive (``drive``) from which their answers follow. Identity keys are made with
``participants.identity`` and the app's secret, exactly as for a real trainee, so a
trainee who types a demo person's phone (and name or birth year) is recognised.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime

from surveyapp.campaigns.models import Segment
from surveyapp.classes.models import TrainingClass
from surveyapp.demo import answer_texts, current, pilot
from surveyapp.demo.answers import sigmoid
from surveyapp.demo.common import Place
from surveyapp.demo.names import PersonNamer
from surveyapp.extensions import db
from surveyapp.localities.models import Locality
from surveyapp.localities.text import fold
from surveyapp.participants import identity
from surveyapp.participants.models import Gender
from surveyapp.participants.services import (
    CODE_ALPHABET,
    FOLLOW_UP_TOKEN_LENGTH,
    PUBLIC_ID_LENGTH,
    area_of,
    communes_of,
)

# Mobile prefixes of the three big networks; numbers are prefix + "000" + four digits, a
# range kept for the demo so that no real subscriber's number appears.
MOBILE_PREFIXES = ("086", "096", "097", "098", "032", "033", "034", "035", "036", "037",
                   "038", "039", "081", "082", "083", "084", "085", "088", "091", "094",
                   "070", "076", "077", "078", "079", "089", "090", "093")  # fmt: skip
SAME_SEGMENT = 0.85
CONSENT_BASE = 0.48  # about 60% agree to be contacted for the follow-up
# Who else sits in a class of each segment.
OTHER_SEGMENTS = {
    Segment.OFFICIAL: {Segment.TEACHER: 3, Segment.OTHER: 2, Segment.BUSINESS: 1},
    Segment.RESIDENT: {Segment.BUSINESS: 3, Segment.OTHER: 2, Segment.STUDENT: 1,
                       Segment.OFFICIAL: 1},
    Segment.BUSINESS: {Segment.RESIDENT: 3, Segment.OTHER: 1},
    Segment.STUDENT: {Segment.TEACHER: 1, Segment.RESIDENT: 1},
    Segment.TEACHER: {Segment.OFFICIAL: 2, Segment.STUDENT: 1},
}  # fmt: skip
# (mean age, spread, youngest, oldest) per segment; pupils are 15 to 17.
AGES = {
    Segment.OFFICIAL: (40, 9, 22, 60), Segment.TEACHER: (38, 8, 22, 58),
    Segment.BUSINESS: (42, 11, 20, 68), Segment.RESIDENT: (45, 13, 18, 75),
    Segment.STUDENT: (16, 0.8, 15, 17), Segment.OTHER: (35, 12, 18, 70),
}  # fmt: skip
FEMALE_SHARE = {Segment.TEACHER: 0.72, Segment.OFFICIAL: 0.45, Segment.RESIDENT: 0.55}
# Skill before the class, per segment (shift of ``theta``).
SKILL_SHIFT = {Segment.OFFICIAL: 0.25, Segment.TEACHER: 0.45, Segment.BUSINESS: 0.0,
               Segment.STUDENT: 0.35, Segment.RESIDENT: -0.45, Segment.OTHER: 0.0}  # fmt: skip


@dataclass
class Person:
    full_name: str
    birth_year: int
    gender: str
    segment: str
    organisation: str
    commune_id: int
    phone: str | None
    public_id: str
    token: str
    theta: float
    drive: float
    classes: list[TrainingClass] = field(default_factory=list)
    arrivals: list[datetime] = field(default_factory=list)  # identified in each class
    id: int | None = None

    @property
    def follow_up(self) -> bool:
        """Agreed to be contacted for the follow-up (a phone is kept only then)."""
        return self.phone is not None

    def row(self, secret: str, created_at: datetime) -> dict:
        """The ``participant`` row, keyed as ``participants.services.identify`` keys it."""
        name_key = identity.name_key(secret, self.full_name, self.birth_year, self.commune_id)
        phone_key = identity.phone_key(secret, self.phone) if self.phone else None
        return {
            "public_id": self.public_id, "full_name": self.full_name,
            "birth_year": self.birth_year, "gender": self.gender, "segment": self.segment,
            "organisation": self.organisation, "locality_id": self.commune_id,
            "phone": self.phone, "identity_key": phone_key or name_key, "name_key": name_key,
            "follow_up_token": self.token, "created_at": created_at, "erased_at": None,
        }  # fmt: skip


class LearnerNamer(PersonNamer):
    """Names that may repeat (real people share names); ``People`` keeps name, birth year
    and commune together distinct, since those identify a person without a phone."""

    def any_name(self, *, female: bool, hmong: bool) -> str:
        return self._hmong(female) if hmong else self._kinh(female)


class People:
    """Makes learners; every code, phone and (name, birth year, commune) is drawn once."""

    def __init__(self, rng: random.Random, taken_codes: set[str]):
        self.rng = rng
        self.namer = LearnerNamer(rng)
        self.codes = set(taken_codes)
        self.phones: set[str] = set()
        self.identities: set[tuple[str, int, int]] = set()
        self._communes: dict[int, list[Locality]] = {}

    def person(self, cls: TrainingClass) -> Person:
        rng = self.rng
        segment = cls.segment
        if rng.random() > SAME_SEGMENT and segment in OTHER_SEGMENTS:
            mix = OTHER_SEGMENTS[segment]
            segment = rng.choices(list(mix), weights=list(mix.values()))[0]
        commune, place = self.home(cls)
        female = rng.random() < FEMALE_SHARE.get(segment, 0.5)
        mean, spread, young, old = AGES.get(segment, AGES[Segment.OTHER])
        for _attempt in range(100):
            name = self.namer.any_name(female=female, hmong=rng.random() < hmong_share(cls))
            year = cls.start_date.year - min(old, max(young, round(rng.gauss(mean, spread))))
            if (fold(name), year, commune.id) not in self.identities:
                break
        else:
            raise RuntimeError("The demo name lists are too short for this many learners.")
        self.identities.add((fold(name), year, commune.id))
        theta = rng.gauss(SKILL_SHIFT.get(segment, 0.0), 1.0)
        drive = rng.gauss(0.0, 1.0)
        # More able and more engaged learners agree to the follow-up more often.
        agrees = rng.random() < sigmoid(CONSENT_BASE + 0.7 * drive + 0.6 * theta)
        return Person(
            full_name=name,
            birth_year=year,
            gender=self.gender(female),
            segment=segment,
            organisation=self.workplace(segment, place),
            commune_id=commune.id,
            phone=self.phone() if agrees else None,
            public_id=self.code(PUBLIC_ID_LENGTH),
            token=self.code(FOLLOW_UP_TOKEN_LENGTH),
            theta=theta,
            drive=drive,
        )

    def duplicate(self, person: Person) -> Person:
        """The same name, birth year and commune typed again with another phone."""
        return replace(
            person,
            phone=self.phone(),
            public_id=self.code(PUBLIC_ID_LENGTH),
            token=self.code(FOLLOW_UP_TOKEN_LENGTH),
            theta=person.theta + self.rng.gauss(0, 0.3),
            classes=[],
            arrivals=[],
            id=None,
        )

    def gender(self, female: bool) -> str:
        if self.rng.random() < 0.01:
            return Gender.UNDISCLOSED
        return Gender.FEMALE if female else Gender.MALE

    def home(self, cls: TrainingClass) -> tuple[Locality, Place]:
        """A commune of the class's area: the class's own one mostly, else one nearby."""
        area = area_of(cls)
        communes = self._communes.get(area.id)
        if communes is None:
            communes = self._communes[area.id] = list(db.session.scalars(communes_of(area)))
            communes.sort(key=lambda c: c.code)
        commune = cls.locality
        held_above = commune not in communes  # a class of the district itself
        if held_above or (area.depth > 0 and self.rng.random() < 0.25):
            commune = self.rng.choice(communes)  # any commune of the district
        elif area.depth == 0 and self.rng.random() < 0.12:  # a neighbouring commune
            index = communes.index(commune) + self.rng.choice((-3, -2, -1, 1, 2, 3))
            commune = communes[min(len(communes) - 1, max(0, index))]
        district = area if area.depth > 0 else commune
        return commune, Place(commune, district)

    def workplace(self, segment: str, place: Place) -> str:
        templates = answer_texts.WORKPLACES.get(segment, ("",))
        if not place.has_district:
            templates = tuple(t for t in templates if "{d}" not in t and "{D}" not in t)
        return self.rng.choice(templates).format(**place.words(self.rng))

    def phone(self) -> str:
        while True:
            number = f"{self.rng.choice(MOBILE_PREFIXES)}000{self.rng.randrange(10_000):04d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def code(self, length: int) -> str:
        while True:
            code = "".join(self.rng.choices(CODE_ALPHABET, k=length))
            if code not in self.codes:
                self.codes.add(code)
                return code


def hmong_share(cls: TrainingClass) -> float:
    """Share of H'Mông names among the learners of a class, by where it is held."""
    locality = cls.locality
    if locality.scheme.code == pilot.ROOT[0]:
        codes = {locality.code, locality.parent.code if locality.parent else ""}
        return 0.7 if codes & pilot.HMONG_DISTRICTS else 0.0
    return current.COMMUNES.get(locality.code, 0.0)
