"""Building the whole demo: localities if missing, the demo log-ins, both campaigns.

``build_demo`` flushes and never commits; ``flask demo load`` commits once at the end, so
a failure leaves the database as it was. Everything random comes from one seeded
``random.Random``: the demo is the same on every machine and every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from surveyapp.campaigns.models import Campaign, CoreMember, Material, Population, Target
from surveyapp.classes.models import TrainingClass
from surveyapp.demo import current, pilot
from surveyapp.demo.common import DemoContext
from surveyapp.demo.contests import ContestSummary, build_demo_contest
from surveyapp.demo.responses import ResponsesSummary, build_demo_responses
from surveyapp.demo.reviews import ReviewsSummary, review_demo_examples
from surveyapp.demo.users import create_demo_users
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.instruments.imports import load_defaults
from surveyapp.localities.lookup import find_locality
from surveyapp.localities.models import Locality
from surveyapp.localities.vietnam_provinces import import_vietnam_provinces
from surveyapp.quality.review import scan_campaign

DEMO_SEED = 2024
PROVINCE_CODE = "15"  # Yên Bái in the 2024 scheme, Lào Cai (which took it in) in 2025
# The default instruments are dated as if made for the pilot, before its first class.
INSTRUMENTS_DATE = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class CampaignCounts:
    name: str
    root: str
    targets: int
    populations: int
    core_members: int
    classes: int
    materials: int


@dataclass(frozen=True)
class DemoSummary:
    imported_schemes: tuple[str, ...]
    users: int
    campaigns: tuple[CampaignCounts, ...]
    responses: ResponsesSummary | None = None
    reviews: ReviewsSummary | None = None
    flagged: int = 0
    contest: ContestSummary | None = None

    def lines(self) -> list[str]:
        out = []
        if self.imported_schemes:
            out.append(f"Imported localities of schemes {', '.join(self.imported_schemes)}.")
        out.append(f"{self.users} demo log-ins (see `flask demo logins`).")
        for c in self.campaigns:
            out.append(
                f"{c.name} [{c.root}]: {c.core_members} core members, {c.classes} classes, "
                f"{c.materials} materials, {c.targets} targets, {c.populations} populations."
            )
        if self.responses is not None:
            out.extend(f"Answers in {line}" for line in self.responses.lines())
        if self.reviews is not None:
            out.extend(self.reviews.lines())
        out.append(f"Data-quality scan: {self.flagged:,} responses flagged for review.")
        if self.contest is not None:
            c = self.contest
            out.append(
                f"School AI contest: {c.clubs} clubs, {c.pupils} pupils, {c.teams} teams, "
                f"{c.attempts} quiz attempts, {c.entries} product entries."
            )
        return out


def any_campaign() -> bool:
    return db.session.scalar(sa.select(Campaign.id).limit(1)) is not None


def ensure_localities() -> tuple[str, ...]:
    """Import province 15 of the schemes that lack it (or its units); returns those schemes."""
    missing = tuple(
        scheme for scheme in (pilot.ROOT[0], current.ROOT[0]) if not _province_present(scheme)
    )
    if missing:
        import_vietnam_provinces(schemes=missing, province_codes=(PROVINCE_CODE,))
    return missing


def _province_present(scheme: str) -> bool:
    province = find_locality(scheme, PROVINCE_CODE)
    if province is None:
        return False
    child = sa.select(Locality.id).where(Locality.parent_id == province.id).limit(1)
    return db.session.scalar(child) is not None


def build_demo(*, seed: int = DEMO_SEED, scale: float = 1.0) -> DemoSummary:
    """Add the demo to the session (flush, no commit). Refuses when campaigns exist.

    ``scale`` multiplies the number of learners (and so of answers) in the classes.
    """
    if any_campaign():
        raise DomainError(_("The demo can only be loaded into a database without campaigns."))
    imported = ensure_localities()
    load_defaults(now=INSTRUMENTS_DATE)
    ctx = DemoContext(random.Random(seed))
    users = create_demo_users()
    trainers = [users["trainer"], users["trainer2"]]
    campaigns = (pilot.build_pilot(ctx, trainers), current.build_current(ctx, trainers))
    contest = build_demo_contest(ctx, users, campaigns[1])  # a school AI clubs' contest (issue 6)
    answers = build_demo_responses(seed=seed, scale=scale)
    _refresh_statistics()
    reviews = review_demo_examples(seed=seed)
    # The demo writes its responses in bulk, past the submission hook: scan them as
    # `flask quality scan` would, so that the review list shows what a real class gives.
    scans = [scan_campaign(c) for c in campaigns]
    flagged = sum(s.paced_or_straight + s.duplicate_responses for s in scans)
    counts = tuple(count_campaign(c) for c in campaigns)
    return DemoSummary(imported, len(users), counts, answers, reviews, flagged, contest)


def _refresh_statistics() -> None:
    """On PostgreSQL, measure the tables just filled before querying them.

    The planner goes by table statistics, and autovacuum sees only committed rows: tables
    filled in this transaction may be on record as empty, and a plan made for empty tables
    (nested loops over sequential scans) turns the next queries quadratic. ``ANALYZE`` in
    the transaction counts its own rows.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("locality", "training_class", "participant", "enrolment", "response", "answer"):
        db.session.execute(sa.text(f"ANALYZE {table}"))  # noqa: S608 (fixed names)


def count_campaign(campaign: Campaign) -> CampaignCounts:
    def count(model) -> int:
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(model).where(model.campaign_id == campaign.id)
        )

    root = campaign.root_locality
    return CampaignCounts(
        name=campaign.name,
        root=f"{root.scheme.code}:{root.code} {root.name}",
        targets=count(Target),
        populations=count(Population),
        core_members=count(CoreMember),
        classes=count(TrainingClass),
        materials=count(Material),
    )
