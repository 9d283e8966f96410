"""Rules of training classes: creating, editing, status changes, access codes, visibility.

The functions take the acting user and their scope explicitly, flush but never commit,
and raise ``DomainError`` (with the form field it concerns) when a rule is broken, so
the web views, the CLI and the API share them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from surveyapp.accounts.models import Role, User
from surveyapp.approvals import locks
from surveyapp.audit.services import record
from surveyapp.campaigns.models import Campaign, CampaignStatus, Segment
from surveyapp.classes.models import ClassStatus, TrainingClass, class_trainer
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.localities.models import Locality, subtree_filter
from surveyapp.security import Scope, compute_scope

# No 0/O, 1/I/L: a code read aloud or copied from paper must not be mistyped.
ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACCESS_CODE_LENGTH = 6
CODE_ATTEMPTS = 20
MAX_CAPACITY = 1000
TITLE_MAX = 300
VENUE_MAX = 300
CLASS_MANAGERS = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER)

# Which status may follow which; a cancelled class can be planned again.
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ClassStatus.PLANNED: (ClassStatus.ONGOING, ClassStatus.COMPLETED, ClassStatus.CANCELLED),
    ClassStatus.ONGOING: (ClassStatus.PLANNED, ClassStatus.COMPLETED, ClassStatus.CANCELLED),
    ClassStatus.COMPLETED: (ClassStatus.ONGOING,),
    ClassStatus.CANCELLED: (ClassStatus.PLANNED,),
}


@dataclass
class ClassFields:
    """What a coordinator or trainer types in for a class."""

    title: str
    segment: str
    locality: Locality | None
    start_date: date | None
    end_date: date | None
    venue: str = ""
    capacity: int = 0
    trainers: Sequence[User] = field(default_factory=list)


# ---------------------------------------------------------------- access codes


def _random_code() -> str:
    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))


def _code_taken(code: str) -> bool:
    query = sa.select(TrainingClass.id).where(TrainingClass.access_code == code)
    return db.session.scalar(query) is not None


def generate_access_code(taken: Callable[[str], bool] = _code_taken) -> str:
    """A fresh random code of the unambiguous alphabet, retried while ``taken(code)``."""
    for _attempt in range(CODE_ATTEMPTS):
        code = _random_code()
        if not taken(code):
            return code
    raise DomainError(_l("Could not find a free access code. Please try again."))


def normalise_code(code: str | None) -> str:
    """Upper case without spaces or dashes: ``" ab-c2d3 "`` -> ``"ABC2D3"``."""
    return "".join((code or "").split()).replace("-", "").upper()


def searchable_code(code: str | None) -> str | None:
    """The code to look up (see ``normalise_code``), or None when no class can have it."""
    code = normalise_code(code)
    if not code or "\x00" in code:  # no code holds NUL (PostgreSQL cannot even compare it)
        return None
    return code


def find_by_code(code: str | None) -> TrainingClass | None:
    """The class with this access code, whatever the case or spacing typed; else None."""
    code = searchable_code(code)
    return db.session.scalar(_BY_CODE, {"code": code}) if code is not None else None


# Built once: a trainee's every request looks its class up (building costs more than running).
_BY_CODE = sa.select(TrainingClass).where(TrainingClass.access_code == sa.bindparam("code"))


def public_link(base_url: str, code: str) -> str:
    """The absolute link a trainee opens: ``https://host/c/ABC234``."""
    return f"{base_url.rstrip('/')}/c/{code}"


# ---------------------------------------------------------------- visibility


def visible_classes(user: User, scope: Scope) -> sa.Select:
    """``select(TrainingClass)`` limited to what ``user`` may see.

    Everyone sees only classes whose locality lies inside their scope; a trainer
    sees only the classes they teach; a judge sees none.
    """
    query = sa.select(TrainingClass).join(Locality, TrainingClass.locality_id == Locality.id)
    if user.role not in (Role.ADMIN, Role.COORDINATOR, Role.TRAINER, Role.EVALUATOR):
        return query.where(sa.false())
    query = query.where(scope.condition(Locality.path))
    if user.role == Role.TRAINER:
        taught = sa.select(class_trainer.c.class_id).where(class_trainer.c.user_id == user.id)
        query = query.where(TrainingClass.id.in_(taught))
    return query


def localities_with_classes(user: User, scope: Scope) -> list[Locality]:
    """The localities holding classes ``user`` sees, with their ancestors in scope, by path.

    Feeds the list filter: picking a district or province shows the classes beneath it.
    """
    paths = db.session.scalars(
        visible_classes(user, scope).with_only_columns(Locality.path).distinct()
    ).all()
    ids = {int(part) for path in paths for part in path.strip("/").split("/")}
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Locality)
            .where(Locality.id.in_(ids), scope.condition(Locality.path))
            .order_by(Locality.path)
        )
    )


def campaigns_open_to(scope: Scope) -> sa.Select:
    """Campaigns a user of ``scope`` may add classes to (not closed, visible)."""
    return (
        sa.select(Campaign)
        .where(
            scope.campaign_condition(Campaign.root_locality_id),
            Campaign.status != CampaignStatus.CLOSED,
        )
        .order_by(Campaign.start_date.desc())
    )


def trainer_candidates(campaign: Campaign, scope: Scope) -> list[User]:
    """Active trainers who may teach in the campaign and whom the actor may see.

    A trainer qualifies by living inside the campaign's subtree or above it (a
    province trainer teaches in its communes); the final check against the chosen
    locality is ``check_trainers``.
    """
    root = campaign.root_locality
    above_root = [int(part) for part in root.path.strip("/").split("/")]
    query = (
        sa.select(User)
        .join(Locality, User.locality_id == Locality.id)
        .where(
            User.role == Role.TRAINER,
            User.active.is_(True),
            sa.or_(subtree_filter(Locality.path, root.path), Locality.id.in_(above_root)),
        )
        .options(contains_eager(User.locality))
        .order_by(User.name, User.email)
    )
    if not scope.unrestricted:
        query = query.where(
            sa.or_(scope.condition(Locality.path), Locality.id.in_(scope.ancestor_ids or {-1}))
        )
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- checks


def _check_actor(actor: User | None) -> None:
    if actor is not None and actor.role not in CLASS_MANAGERS:
        raise NotAllowed(_l("You may not manage classes."))


def _check_may_manage(actor: User | None, cls: TrainingClass, scope: Scope) -> None:
    """Managers act inside their scope; a trainer only on the classes they teach."""
    _check_actor(actor)
    if actor is None:
        return
    if not scope.contains(cls.locality):
        raise NotAllowed(_l("The class is outside your scope."))
    if actor.role == Role.TRAINER and actor not in cls.trainers:
        raise NotAllowed(_l("You may only manage the classes you teach."))


def check_trainers(trainers: Sequence[User], locality: Locality) -> None:
    """Every trainer must have the trainer role, be active and cover the class locality."""
    for trainer in trainers:
        if trainer.role != Role.TRAINER or not trainer.active:
            raise DomainError(
                _l("%(name)s is not an active trainer.", name=trainer.name or trainer.email),
                field="trainers",
            )
        if not compute_scope(trainer).contains(locality):
            raise DomainError(
                _l(
                    "%(name)s does not work in %(place)s.",
                    name=trainer.name or trainer.email,
                    place=locality.name,
                ),
                field="trainers",
            )


def _check_place(campaign: Campaign, locality: Locality | None, scope: Scope) -> None:
    if locality is None:
        raise DomainError(_l("Choose the locality of the class."), field="locality")
    if not locality.path.startswith(campaign.root_locality.path):
        raise DomainError(_l("The locality is outside the campaign's area."), field="locality")
    if not scope.contains(locality):
        raise NotAllowed(_l("The locality is outside your scope."), field="locality")


def _check_dates(campaign: Campaign, start: date | None, end: date | None) -> None:
    if start is None:
        raise DomainError(_l("Give the first day of the class."), field="start_date")
    if end is None:
        raise DomainError(_l("Give the last day of the class."), field="end_date")
    if end < start:
        raise DomainError(_l("The last day cannot be before the first day."), field="end_date")
    outside = _l(
        "The class must take place within the campaign period (%(start)s – %(end)s).",
        start=campaign.start_date.strftime("%d/%m/%Y"),
        end=campaign.end_date.strftime("%d/%m/%Y"),
    )
    if start < campaign.start_date:
        raise DomainError(outside, field="start_date")
    if end > campaign.end_date:
        raise DomainError(outside, field="end_date")


def _clean(campaign: Campaign, fields: ClassFields, scope: Scope) -> ClassFields:
    """Check every rule; return the fields with text trimmed."""
    title = (fields.title or "").strip()
    if not title:
        raise DomainError(_l("Give the class a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(_l("The title is too long."), field="title")
    venue = (fields.venue or "").strip()
    if len(venue) > VENUE_MAX:
        raise DomainError(_l("The venue is too long."), field="venue")
    if fields.segment not in set(Segment):
        raise DomainError(_l("Choose a learner group from the list."), field="segment")
    if fields.capacity is None or not 0 <= fields.capacity <= MAX_CAPACITY:
        raise DomainError(
            _l("The capacity must be between 0 and %(n)s.", n=MAX_CAPACITY), field="capacity"
        )
    _check_place(campaign, fields.locality, scope)
    _check_dates(campaign, fields.start_date, fields.end_date)
    check_trainers(fields.trainers, fields.locality)
    trainers = list(dict.fromkeys(fields.trainers))  # drop repeats, keep order
    return ClassFields(
        title, fields.segment, fields.locality, fields.start_date, fields.end_date,
        venue, fields.capacity, trainers,
    )  # fmt: skip


def _with_actor(actor: User | None, trainers: Sequence[User]) -> list[User]:
    """A trainer who creates or edits a class stays one of its trainers."""
    trainers = list(trainers)
    if actor is not None and actor.role == Role.TRAINER and actor not in trainers:
        trainers.append(actor)
    return trainers


def _snapshot(cls: TrainingClass) -> dict:
    return {
        "title": cls.title,
        "segment": cls.segment,
        "locality_id": cls.locality_id,
        "start_date": cls.start_date,
        "end_date": cls.end_date,
        "venue": cls.venue,
        "capacity": cls.capacity,
        "trainers": sorted(t.id for t in cls.trainers),
    }


# ---------------------------------------------------------------- writes


def create_class(
    actor: User | None, campaign: Campaign, fields: ClassFields, *, scope: Scope
) -> TrainingClass:
    """Open a class of ``campaign``; ``actor`` None means the command line."""
    _check_actor(actor)
    if campaign.status == CampaignStatus.CLOSED:
        raise DomainError(_l("The campaign is closed; no class can be added."))
    fields = _clean(campaign, fields, scope)
    locks.refuse_if_registered_in_locked(campaign.id, None, (fields.locality, fields.start_date))
    cls = TrainingClass(
        campaign=campaign,
        locality=fields.locality,
        title=fields.title,
        segment=fields.segment,
        start_date=fields.start_date,
        end_date=fields.end_date,
        venue=fields.venue,
        capacity=fields.capacity,
        status=ClassStatus.PLANNED,
        access_code=generate_access_code(),
        trainers=_with_actor(actor, fields.trainers),
    )
    db.session.add(cls)
    db.session.flush()
    record(actor, "class.created", cls, **_snapshot(cls), access_code=cls.access_code)
    return cls


def update_class(
    actor: User | None, cls: TrainingClass, fields: ClassFields, *, scope: Scope
) -> TrainingClass:
    """Change what was typed in for a class (not its campaign, code or status)."""
    _check_may_manage(actor, cls, scope)
    fields = _clean(cls.campaign, fields, scope)
    locks.refuse_if_registered_in_locked(
        cls.campaign_id, (cls.locality, cls.start_date), (fields.locality, fields.start_date)
    )
    before = _snapshot(cls)
    cls.title = fields.title
    cls.segment = fields.segment
    cls.locality = fields.locality
    cls.locality_id = fields.locality.id
    cls.start_date = fields.start_date
    cls.end_date = fields.end_date
    cls.venue = fields.venue
    cls.capacity = fields.capacity
    cls.trainers = _with_actor(actor, fields.trainers)
    db.session.flush()
    record(actor, "class.updated", cls, before=before, after=_snapshot(cls))
    return cls


def next_statuses(cls: TrainingClass) -> tuple[str, ...]:
    return STATUS_TRANSITIONS.get(cls.status, ())


def set_status(
    actor: User | None, cls: TrainingClass, status: str, *, scope: Scope
) -> TrainingClass:
    """Move a class to ``status`` if the transition is allowed; the change is audited."""
    _check_may_manage(actor, cls, scope)
    if status not in set(ClassStatus):
        raise DomainError(_l("Unknown status."), field="status")
    if status not in next_statuses(cls):
        raise DomainError(_l("This status change is not allowed."), field="status")
    before = cls.status
    cls.status = status
    db.session.flush()
    record(actor, "class.status_changed", cls, before=before, after=status)
    return cls
