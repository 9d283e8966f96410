"""The PDF of a report kept per data snapshot, in the database (shared by all workers).

``snapshot_key`` digests everything the PDF depends on: the report's arguments, the
language, the date printed, the rule version, and a fingerprint of the campaign's data
(counts, highest ids and latest times of responses, enrolments, classes, members,
materials, targets, populations, reviews) plus the latest audit entry (edits, exclusions,
rule changes and re-scoring all write one). Any change gives a new key, so a cached PDF is
never stale; old rows of a campaign are pruned when a new one is stored.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from surveyapp.audit.models import AuditEntry
from surveyapp.campaigns.models import Campaign, CoreMember, Material, Population, Target
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.indicators.models import ExampleReview
from surveyapp.indicators.rules import current_rule
from surveyapp.localities.models import Locality
from surveyapp.participants.models import Enrolment
from surveyapp.responses.models import Response

from .models import ReportCache

FORMAT_VERSION = 1  # bump when the report's meaning changes; layout edits are seen below
HERE = os.path.dirname(__file__)
LAYOUT_DIRS = (
    HERE,
    os.path.join(HERE, os.pardir, os.pardir, "templates", "reports"),
    os.path.join(HERE, os.pardir, "translations", "vi", "LC_MESSAGES"),  # wording too
)
KEEP_PER_CAMPAIGN = 20
IGNORED_AUDIT = ("user.", "api_token.")


@functools.cache
def layout_digest() -> str:
    """A digest of the report's code, templates and compiled translations, so a new release
    renders afresh."""
    digest = hashlib.sha256()
    for folder in LAYOUT_DIRS:
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else ():
            path = os.path.join(folder, name)
            if os.path.isfile(path) and name.endswith((".py", ".html", ".css", ".mo")):
                with open(path, "rb") as handle:
                    digest.update(name.encode() + handle.read())
    return digest.hexdigest()


def _fingerprint(campaign: Campaign) -> list:
    classes = sa.select(TrainingClass.id).where(TrainingClass.campaign_id == campaign.id)
    parts = [
        sa.select(sa.func.count(), sa.func.max(TrainingClass.id)).where(
            TrainingClass.campaign_id == campaign.id
        ),
        sa.select(
            sa.func.count(),
            sa.func.max(Response.id),
            sa.func.max(Response.received_at),
            sa.func.max(Response.reviewed_at),
            sa.func.sum(sa.case((Response.excluded.is_(True), 1), else_=0)),
        ).where(Response.class_id.in_(classes)),
        sa.select(sa.func.count(), sa.func.max(Enrolment.id)).where(
            Enrolment.class_id.in_(classes)
        ),
        sa.select(sa.func.count(), sa.func.max(ExampleReview.id)).where(
            ExampleReview.response_id.in_(
                sa.select(Response.id).where(Response.class_id.in_(classes))
            )
        ),
    ]
    for model in (CoreMember, Material, Target, Population):
        parts.append(
            sa.select(sa.func.count(), sa.func.max(model.id)).where(
                model.campaign_id == campaign.id
            )
        )
    parts.append(
        sa.select(sa.func.max(AuditEntry.id)).where(
            *(sa.not_(AuditEntry.action.startswith(prefix)) for prefix in IGNORED_AUDIT)
        )
    )
    parts.append(sa.select(sa.func.count(), sa.func.max(Locality.id)))
    return [[str(v) for v in db.session.execute(query).one()] for query in parts]


def snapshot_key(
    campaign: Campaign, head, options, *, language: str, today: date, kind: str = "impact"
) -> str:
    """A digest of the report's arguments and of the campaign's data as they are now."""
    payload = {
        "format": FORMAT_VERSION,
        "layout": layout_digest(),
        "kind": kind,
        "campaign": campaign.id,
        "campaign_fields": [
            campaign.name, campaign.parent_body, campaign.issuing_body,
            str(campaign.start_date), str(campaign.end_date), campaign.root_locality_id,
        ],
        "head": head.id,
        "options": [options.geography, options.number, options.signer, options.signer_title],
        "language": language,
        "today": today.isoformat(),
        "rule": current_rule(campaign.id).version,
        "data": _fingerprint(campaign),
    }  # fmt: skip
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def cached_pdf(key: str) -> ReportCache | None:
    return db.session.scalar(sa.select(ReportCache).where(ReportCache.key == key))


def _prune(campaign_id: int) -> None:
    keep = (
        sa.select(ReportCache.id)
        .where(ReportCache.campaign_id == campaign_id)
        .order_by(ReportCache.id.desc())
        .limit(KEEP_PER_CAMPAIGN)
    )
    db.session.execute(
        sa.delete(ReportCache).where(
            ReportCache.campaign_id == campaign_id,
            ReportCache.id.not_in(sa.select(keep.subquery().c.id)),
        )
    )


def get_or_render(
    key: str, campaign_id: int, render: Callable[[], tuple[bytes, int]]
) -> tuple[ReportCache, bool]:
    """The cached entry of ``key``, or ``render()`` (-> pdf, pages) stored under it.
    Returns (entry, hit). Flushes, never commits; a twin stored meanwhile by another
    worker is simply read back."""
    entry = cached_pdf(key)
    if entry is not None:
        return entry, True
    pdf, pages = render()
    entry = ReportCache(key=key, campaign_id=campaign_id, pdf=pdf, pages=pages)
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        return cached_pdf(key) or entry, False
    _prune(campaign_id)
    return entry, False
