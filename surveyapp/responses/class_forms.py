"""The forms of a class: attaching instrument versions, opening and closing them, and the
live counts a trainer watches.

Writes take the acting user and their scope, flush but never commit, and are audited.
Counts are single GROUP BY queries, never loops over responses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import Role, User
from surveyapp.audit.services import record
from surveyapp.classes.models import TrainingClass
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentKind, InstrumentVersion
from surveyapp.instruments.services import visible_condition
from surveyapp.participants.models import Enrolment, Participant
from surveyapp.responses.models import ClassForm, Response
from surveyapp.security import Scope

FORM_MANAGERS = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER)

# The order forms are listed in: as a class runs them.
KIND_ORDER = (
    InstrumentKind.PRE_SURVEY,
    InstrumentKind.SKILL_TEST,
    InstrumentKind.POST_SURVEY,
    InstrumentKind.FOLLOW_UP,
)
CLASS_KINDS = KIND_ORDER
# Keys of the standard instruments shipped in ``surveyapp/instruments/defaults``.
DEFAULT_KEYS = ("pre-survey", "skill-test", "post-survey", "follow-up")


def check_may_manage(actor: User | None, cls: TrainingClass, scope: Scope) -> None:
    """Trainers of the class, coordinators whose scope holds it, and admins; None = CLI."""
    if actor is None:
        return
    if actor.role not in FORM_MANAGERS:
        raise NotAllowed(_l("You may not manage the forms of classes."))
    if not scope.contains(cls.locality):
        raise NotAllowed(_l("The class is outside your scope."))
    if actor.role == Role.TRAINER and actor not in cls.trainers:
        raise NotAllowed(_l("You may only manage the classes you teach."))


def _kind_rank():
    return sa.case(
        {kind.value: rank for rank, kind in enumerate(KIND_ORDER)},
        value=Instrument.kind,
        else_=len(KIND_ORDER),
    )


def forms_of(class_id: int) -> list[ClassForm]:
    """The class's forms in the order a class runs them."""
    return list(
        db.session.scalars(
            sa.select(ClassForm)
            .join(InstrumentVersion, ClassForm.version_id == InstrumentVersion.id)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .where(ClassForm.class_id == class_id)
            .order_by(_kind_rank(), ClassForm.id)
            .options(
                sa.orm.contains_eager(ClassForm.version).contains_eager(
                    InstrumentVersion.instrument
                )
            )
        )
    )


def attach(
    actor: User | None, cls: TrainingClass, versions: Iterable[InstrumentVersion], *, scope: Scope
) -> list[ClassForm]:
    """Make ``versions`` available in ``cls`` (closed until the trainer opens them).

    A version already attached is skipped; so is a second version of an instrument the
    class already has, since answers of one instrument must be comparable within a class.
    """
    check_may_manage(actor, cls, scope)
    present = db.session.execute(
        sa.select(InstrumentVersion.id, InstrumentVersion.instrument_id)
        .join(ClassForm, ClassForm.version_id == InstrumentVersion.id)
        .where(ClassForm.class_id == cls.id)
    ).all()
    have_versions = {row.id for row in present}
    have_instruments = {row.instrument_id for row in present}
    added = []
    for version in versions:
        if version.id in have_versions or version.instrument_id in have_instruments:
            continue
        if version.instrument.kind not in CLASS_KINDS:
            raise DomainError(_l("This instrument cannot be used in a class."), field="version")
        form = ClassForm(class_id=cls.id, version=version, is_open=False)
        db.session.add(form)
        have_versions.add(version.id)
        have_instruments.add(version.instrument_id)
        added.append(form)
    db.session.flush()
    for form in added:
        record(actor, "class_form.attached", cls, version_id=form.version_id, form_id=form.id)
    return added


def set_open(
    actor: User | None,
    cls: TrainingClass,
    form: ClassForm,
    is_open: bool,
    *,
    scope: Scope,
    now: datetime,
) -> ClassForm:
    """Open or close one form of the class; the change is audited."""
    check_may_manage(actor, cls, scope)
    if form.class_id != cls.id:
        raise DomainError(_l("This form does not belong to the class."))
    if form.is_open == is_open:
        return form
    form.is_open = is_open
    if is_open:
        form.opened_at = now
    else:
        form.closed_at = now
    db.session.flush()
    record(
        actor,
        "class_form.opened" if is_open else "class_form.closed",
        cls,
        form_id=form.id,
        version_id=form.version_id,
    )
    return form


def _latest_condition():
    newer = sa.orm.aliased(InstrumentVersion)
    return ~sa.exists().where(
        newer.instrument_id == InstrumentVersion.instrument_id,
        newer.number > InstrumentVersion.number,
    )


def _used_instruments(class_id: int) -> sa.Select:
    return (
        sa.select(InstrumentVersion.instrument_id)
        .join(ClassForm, ClassForm.version_id == InstrumentVersion.id)
        .where(ClassForm.class_id == class_id)
    )


def default_versions(class_id: int | None = None) -> list[InstrumentVersion]:
    """Latest versions of the standard instruments (``DEFAULT_KEYS``), in class order;
    with ``class_id``, only those whose instrument the class does not use yet."""
    query = (
        sa.select(InstrumentVersion)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(Instrument.key.in_(DEFAULT_KEYS), _latest_condition())
        .order_by(_kind_rank(), Instrument.key)
        .options(sa.orm.contains_eager(InstrumentVersion.instrument))
    )
    if class_id is not None:
        query = query.where(Instrument.id.not_in(_used_instruments(class_id)))
    return list(db.session.scalars(query))


def missing_default_kinds(class_id: int) -> list[str]:
    """Kinds of the loaded standard instruments that the class does not use yet."""
    return [v.instrument.kind for v in default_versions(class_id)]


def attach_defaults(actor: User | None, cls: TrainingClass, *, scope: Scope) -> list[ClassForm]:
    """Attach the latest standard pre-survey, skill test, post-survey and follow-up."""
    return attach(actor, cls, default_versions(cls.id), scope=scope)


def _area_ids(cls: TrainingClass) -> list[int]:
    return [int(part) for part in cls.locality.path.strip("/").split("/") if part]


def candidate_versions(cls: TrainingClass, scope: Scope) -> list[InstrumentVersion]:
    """Latest version of each class instrument usable in the class's area, visible to the
    actor, that the class does not use yet: what may still be attached."""
    query = (
        sa.select(InstrumentVersion)
        .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
        .where(
            _latest_condition(),
            Instrument.kind.in_([k.value for k in CLASS_KINDS]),
            Instrument.id.not_in(_used_instruments(cls.id)),
            # National instruments, and those of the class's unit or of a unit above it.
            sa.or_(Instrument.locality_id.is_(None), Instrument.locality_id.in_(_area_ids(cls))),
            visible_condition(scope),
        )
        .order_by(_kind_rank(), Instrument.key)
        .options(sa.orm.contains_eager(InstrumentVersion.instrument))
    )
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- what the trainer watches


def response_counts(class_id: int) -> dict[int, int]:
    """``{class_form_id: number of responses}`` of a class, in one GROUP BY query."""
    rows = db.session.execute(
        sa.select(ClassForm.id, sa.func.count(Response.id))
        .select_from(ClassForm)
        .outerjoin(
            Response,
            sa.and_(
                Response.class_id == ClassForm.class_id,
                Response.version_id == ClassForm.version_id,
                Response.excluded.is_(False),
            ),
        )
        .where(ClassForm.class_id == class_id)
        .group_by(ClassForm.id)
    ).all()
    return {form_id: count for form_id, count in rows}


@dataclass
class Learner:
    """One line of the participant list (no phone, ever)."""

    id: int
    full_name: str
    segment: str
    done_version_ids: set[int] = field(default_factory=set)


def learners(class_id: int) -> list[Learner]:
    """Participants enrolled in the class with the forms each has sent."""
    people = db.session.execute(
        sa.select(Participant.id, Participant.full_name, Participant.segment)
        .join(Enrolment, Enrolment.participant_id == Participant.id)
        .where(Enrolment.class_id == class_id, Participant.erased_at.is_(None))
        .order_by(Participant.full_name, Participant.id)
    ).all()
    result = {row.id: Learner(row.id, row.full_name, row.segment) for row in people}
    done = db.session.execute(
        sa.select(Response.participant_id, Response.version_id)
        .where(Response.class_id == class_id, Response.participant_id.is_not(None))
        .distinct()
    ).all()
    for participant_id, version_id in done:
        if participant_id in result:
            result[participant_id].done_version_ids.add(version_id)
    return list(result.values())


def done_version_ids(participant_id: int, class_id: int) -> set[int]:
    """Versions of the class's forms this participant has already sent."""
    return set(
        db.session.scalars(
            sa.select(Response.version_id).where(
                Response.participant_id == participant_id, Response.class_id == class_id
            )
        )
    )
