"""Campaign rules: who may change a campaign, its plan targets, populations, members, materials.

Plain functions with an explicit ``actor`` (None means the trusted command line) and
``scope``. They raise ``DomainError`` with a translated message, flush but never commit.
Every change of a target or a population, and every deletion, goes to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import Role
from surveyapp.audit.services import record
from surveyapp.campaigns.models import (
    Campaign,
    CampaignStatus,
    CoreMember,
    Material,
    Metric,
    Population,
    Segment,
    Target,
)
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.localities.models import Locality

MAX_FIGURE = 1_000_000_000


# --- who may change what -------------------------------------------------------------


def check_may_write(actor) -> None:
    """Raise unless ``actor`` holds a role that changes campaigns (None: the command line)."""
    if actor is not None and actor.role not in (Role.ADMIN, Role.COORDINATOR):
        raise NotAllowed(_l("Your role may read campaigns but not change them."))


def check_may_manage(actor, scope, locality: Locality | None, *, field: str = "locality_code"):
    """Raise unless ``actor`` may change data of ``locality`` (admin, or coordinator in scope)."""
    check_may_write(actor)
    if actor is not None and not scope.contains(locality):
        raise NotAllowed(_l("The locality is outside your scope."), field=field)


def may_manage(actor, scope, locality: Locality | None) -> bool:
    try:
        check_may_manage(actor, scope, locality)
    except NotAllowed:
        return False
    return True


def in_campaign(campaign: Campaign, locality: Locality | None) -> bool:
    root = campaign.root_locality
    return (
        locality is not None
        and locality.scheme_id == root.scheme_id
        and locality.path.startswith(root.path)
    )


def check_campaign_locality(actor, scope, campaign: Campaign, locality: Locality | None):
    """Raise unless ``locality`` lies in the campaign's tree and the actor may change it."""
    if locality is None:
        raise DomainError(
            _l("No locality with this code in the campaign's scheme."), field="locality_code"
        )
    if not in_campaign(campaign, locality):
        raise DomainError(
            _l("%(name)s is not part of this campaign.", name=locality.name), field="locality_code"
        )
    check_may_manage(actor, scope, locality)


def find_campaign_locality(campaign: Campaign, code: str | None) -> Locality | None:
    """The locality with official ``code`` in the scheme of the campaign's root."""
    code = (code or "").strip()
    if not code:
        return None
    return db.session.scalar(
        sa.select(Locality).where(
            Locality.scheme_id == campaign.root_locality.scheme_id, Locality.code == code
        )
    )


# --- campaigns ----------------------------------------------------------------------


@dataclass
class CampaignFields:
    name: str
    root_locality: Locality | None
    start_date: date
    end_date: date
    status: str = CampaignStatus.DRAFT
    description: str = ""
    parent_body: str = ""
    issuing_body: str = ""


def _validate_campaign(fields: CampaignFields) -> None:
    if not fields.name.strip():
        raise DomainError(_l("The campaign needs a name."), field="name")
    if fields.root_locality is None:
        raise DomainError(_l("No locality with this code in the chosen scheme."), field="root_code")
    if fields.end_date < fields.start_date:
        raise DomainError(_l("The end date is before the start date."), field="end_date")
    if fields.status not in set(CampaignStatus):
        raise DomainError(_l("Unknown status."), field="status")


def _assign(campaign: Campaign, fields: CampaignFields) -> None:
    campaign.name = fields.name.strip()
    campaign.description = fields.description.strip()
    campaign.root_locality = fields.root_locality
    campaign.root_locality_id = fields.root_locality.id
    campaign.start_date = fields.start_date
    campaign.end_date = fields.end_date
    campaign.status = fields.status
    campaign.parent_body = fields.parent_body.strip()
    campaign.issuing_body = fields.issuing_body.strip()


def _snapshot(campaign: Campaign) -> dict:
    return {
        "name": campaign.name,
        "root_locality_id": campaign.root_locality_id,
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "status": campaign.status,
        "parent_body": campaign.parent_body,
        "issuing_body": campaign.issuing_body,
    }


def create_campaign(actor, scope, fields: CampaignFields) -> Campaign:
    _validate_campaign(fields)
    check_may_manage(actor, scope, fields.root_locality, field="root_code")
    campaign = Campaign()
    _assign(campaign, fields)
    db.session.add(campaign)
    db.session.flush()
    record(actor, "campaign.created", campaign, after=_snapshot(campaign))
    return campaign


def update_campaign(actor, scope, campaign: Campaign, fields: CampaignFields) -> None:
    check_may_manage(actor, scope, campaign.root_locality, field="root_code")
    _validate_campaign(fields)
    check_may_manage(actor, scope, fields.root_locality, field="root_code")
    if fields.root_locality.id != campaign.root_locality_id and campaign_has_data(campaign):
        raise DomainError(
            _l("The root locality cannot change once the campaign has targets or registrations."),
            field="root_code",
        )
    before = _snapshot(campaign)
    _assign(campaign, fields)
    db.session.flush()
    record(actor, "campaign.updated", campaign, before=before, after=_snapshot(campaign))


def campaign_has_data(campaign: Campaign) -> bool:
    from surveyapp.classes.models import TrainingClass

    models = (Target, Population, CoreMember, Material, TrainingClass)
    exists = [sa.exists().where(m.campaign_id == campaign.id) for m in models]
    return bool(db.session.scalar(sa.select(sa.or_(*exists))))


# --- plan targets and populations ----------------------------------------------------


def apply_target(actor, campaign: Campaign, locality_id: int, metric: str, value, existing):
    """Create, change or remove (``value`` None) one target; return 'created', 'updated',
    'deleted' or 'unchanged'. ``existing`` is the current row or None."""
    before = existing.value if existing is not None else None
    if before == value:
        return "unchanged"
    if value is None:
        outcome = "deleted"
        db.session.delete(existing)
        target = existing
    elif existing is None:
        outcome = "created"
        target = Target(
            campaign_id=campaign.id, locality_id=locality_id, metric=metric, value=value
        )
        db.session.add(target)
        db.session.flush()
    else:
        outcome = "updated"
        target = existing
        target.value = value
    change = {"metric": metric, "before": before, "after": value}
    record(actor, "target.changed", target, campaign_id=campaign.id, **change)
    return outcome


def set_targets(actor, scope, campaign: Campaign, locality, values: dict[str, int | None]) -> int:
    """Set the plan of ``locality`` per metric (None removes it); return how many changed."""
    check_campaign_locality(actor, scope, campaign, locality)
    for metric, value in values.items():
        if metric not in set(Metric):
            raise DomainError(_l("Unknown metric."))
        if value is not None and not 0 <= value <= MAX_FIGURE:
            raise DomainError(_l("Enter a whole number of at least 0."), field=f"target_{metric}")
    existing = {t.metric: t for t in _rows(Target, campaign, locality)}
    changed = 0
    for metric, value in values.items():
        outcome = apply_target(actor, campaign, locality.id, metric, value, existing.get(metric))
        changed += outcome != "unchanged"
    db.session.flush()
    return changed


def _rows(model, campaign: Campaign, locality: Locality):
    return db.session.scalars(
        sa.select(model).where(model.campaign_id == campaign.id, model.locality_id == locality.id)
    ).all()


def _population_values(row: Population | None) -> dict | None:
    if row is None:
        return None
    return {"population": row.population, "target_rate": f"{Decimal(row.target_rate):.2f}"}


def apply_population(actor, campaign: Campaign, locality_id: int, segment: str, figure, existing):
    """Create, change or remove (``figure`` None) one population row; ``figure`` is a
    ``(population, target_rate)`` pair. Returns the outcome like ``apply_target``."""
    before = _population_values(existing)
    after = None
    if figure is not None:
        after = {"population": figure[0], "target_rate": f"{Decimal(figure[1]):.2f}"}
    if before == after:
        return "unchanged"
    if figure is None:
        outcome, row = "deleted", existing
        db.session.delete(existing)
    elif existing is None:
        outcome = "created"
        row = Population(
            campaign_id=campaign.id,
            locality_id=locality_id,
            segment=segment,
            population=figure[0],
            target_rate=Decimal(figure[1]),
        )
        db.session.add(row)
        db.session.flush()
    else:
        outcome, row = "updated", existing
        row.population, row.target_rate = figure[0], Decimal(figure[1])
    change = {"segment": segment, "before": before, "after": after}
    record(actor, "population.changed", row, campaign_id=campaign.id, **change)
    return outcome


def check_population(segment: str, population, rate) -> tuple[int, Decimal] | None:
    """Validate one segment's pair; both empty means 'no figure'."""
    if segment not in set(Segment):
        raise DomainError(_l("Unknown segment."))
    if population is None and rate is None:
        return None
    if population is None:
        raise DomainError(_l("Enter the population too."), field=f"population_{segment}")
    if rate is None:
        raise DomainError(_l("Enter the target rate too."), field=f"rate_{segment}")
    if not 0 <= population <= MAX_FIGURE:
        raise DomainError(_l("Enter a whole number of at least 0."), field=f"population_{segment}")
    if not 0 <= rate <= 100:
        raise DomainError(_l("The rate is a percentage from 0 to 100."), field=f"rate_{segment}")
    return population, Decimal(rate).quantize(Decimal("0.01"))


def set_populations(actor, scope, campaign: Campaign, locality, values: dict) -> int:
    """Set ``{segment: (population, rate) or (None, None)}`` of ``locality``; return changes."""
    check_campaign_locality(actor, scope, campaign, locality)
    figures = {seg: check_population(seg, *pair) for seg, pair in values.items()}
    existing = {p.segment: p for p in _rows(Population, campaign, locality)}
    changed = 0
    for segment, figure in figures.items():
        outcome = apply_population(
            actor, campaign, locality.id, segment, figure, existing.get(segment)
        )
        changed += outcome != "unchanged"
    db.session.flush()
    return changed
