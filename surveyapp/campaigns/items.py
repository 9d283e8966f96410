"""Core members and materials of a campaign: validation, saving and audited deletion.

Same conventions as ``services``: explicit ``actor`` and ``scope``, ``DomainError`` with a
translated message, flush but never commit. Adding, removing or moving one (place or date)
inside a period whose figures were approved is refused (``approvals.locks``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from surveyapp.approvals import locks
from surveyapp.audit.services import record
from surveyapp.campaigns.models import Campaign, CoreMember, Material, MaterialKind, Segment
from surveyapp.campaigns.services import check_campaign_locality, check_may_manage
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.models import Locality


@dataclass
class MemberFields:
    locality: Locality | None
    full_name: str
    joined_on: date
    segment: str = Segment.OFFICIAL
    organisation: str = ""
    position: str = ""


@dataclass
class MaterialFields:
    locality: Locality | None
    title: str
    published_on: date
    kind: str = MaterialKind.DOCUMENT
    url: str = ""
    description: str = ""


def _check_member(fields: MemberFields) -> None:
    if not fields.full_name.strip():
        raise DomainError(_l("Enter the full name."), field="full_name")
    if fields.segment not in set(Segment):
        raise DomainError(_l("Unknown segment."), field="segment")


def _check_material(fields: MaterialFields) -> None:
    if not fields.title.strip():
        raise DomainError(_l("Enter the title."), field="title")
    if fields.kind not in set(MaterialKind):
        raise DomainError(_l("Unknown kind of material."), field="kind")
    url = fields.url.strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise DomainError(_l("Enter a web address starting with https://"), field="url")
    elif fields.kind in (MaterialKind.VIDEO, MaterialKind.LINK):
        raise DomainError(_l("A video or a link needs a web address."), field="url")


def save_member(actor, scope, campaign: Campaign, fields: MemberFields, member=None) -> CoreMember:
    """Create a core member (``member`` None) or change one; both ends must be in scope."""
    if member is not None:
        check_may_manage(actor, scope, member.locality)
    check_campaign_locality(actor, scope, campaign, fields.locality)
    _check_member(fields)
    locks.refuse_if_registered_in_locked(
        campaign.id,
        (member.locality, member.joined_on) if member is not None else None,
        (fields.locality, fields.joined_on),
    )
    if member is None:
        member = CoreMember(campaign_id=campaign.id)
        db.session.add(member)
    member.locality, member.locality_id = fields.locality, fields.locality.id
    member.full_name = fields.full_name.strip()
    member.organisation = fields.organisation.strip()
    member.position = fields.position.strip()
    member.segment = fields.segment
    member.joined_on = fields.joined_on
    db.session.flush()
    return member


def save_material(actor, scope, campaign: Campaign, fields: MaterialFields, material=None):
    """Create a material (``material`` None) or change one; both ends must be in scope."""
    if material is not None:
        check_may_manage(actor, scope, material.locality)
    check_campaign_locality(actor, scope, campaign, fields.locality)
    _check_material(fields)
    locks.refuse_if_registered_in_locked(
        campaign.id,
        (material.locality, material.published_on) if material is not None else None,
        (fields.locality, fields.published_on),
    )
    if material is None:
        material = Material(campaign_id=campaign.id)
        db.session.add(material)
    material.locality, material.locality_id = fields.locality, fields.locality.id
    material.title = fields.title.strip()
    material.kind = fields.kind
    material.url = fields.url.strip()
    material.description = fields.description.strip()
    material.published_on = fields.published_on
    db.session.flush()
    return material


def _delete(actor, scope, row, day: date, action: str, **detail) -> None:
    check_may_manage(actor, scope, row.locality)
    locks.refuse_if_registered_in_locked(row.campaign_id, (row.locality, day), None)
    record(actor, action, row, campaign_id=row.campaign_id, **detail)
    db.session.delete(row)
    db.session.flush()


def delete_member(actor, scope, member: CoreMember) -> None:
    _delete(
        actor,
        scope,
        member,
        member.joined_on,
        "core_member.deleted",
        full_name=member.full_name,
        organisation=member.organisation,
    )


def delete_material(actor, scope, material: Material) -> None:
    _delete(
        actor,
        scope,
        material,
        material.published_on,
        "material.deleted",
        title=material.title,
        kind=material.kind,
        url=material.url,
    )
