"""The forms of a class: attaching instrument versions at a moment (before or after the
class, follow-up), opening and closing them, and the live counts a trainer watches.

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
from surveyapp.responses.models import ClassForm, Response, default_moment, moments_of
from surveyapp.responses.moments import MOMENT_ORDER
from surveyapp.security import Scope

FORM_MANAGERS = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER)

# Forms are listed as a class runs them: by moment (``MOMENT_ORDER``), then in this order
# within a moment: the survey first, then the skill test, before and after the class.
KIND_ORDER = (
    InstrumentKind.PRE_SURVEY,
    InstrumentKind.POST_SURVEY,
    InstrumentKind.SKILL_TEST,
    InstrumentKind.FOLLOW_UP,
)
CLASS_KINDS = KIND_ORDER
# Keys of the standard instruments shipped in ``surveyapp/instruments/defaults``.
DEFAULT_KEYS = ("pre-survey", "skill-test", "post-survey", "follow-up")

# A version offered at a moment (``Moment`` value) of a class.
Slot = tuple[InstrumentVersion, str]


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


def _moment_rank():
    return sa.case(
        {moment.value: rank for rank, moment in enumerate(MOMENT_ORDER)},
        value=ClassForm.moment,
        else_=len(MOMENT_ORDER),
    )


def _slot_order(slot: Slot) -> tuple[int, int]:
    version, moment = slot
    kinds = [k.value for k in KIND_ORDER]
    kind = version.instrument.kind
    return (
        MOMENT_ORDER.index(moment) if moment in MOMENT_ORDER else len(MOMENT_ORDER),
        kinds.index(kind) if kind in kinds else len(kinds),
    )


def forms_of(class_id: int) -> list[ClassForm]:
    """The class's forms in the order a class runs them: by moment, then by kind."""
    return list(
        db.session.scalars(
            sa.select(ClassForm)
            .join(InstrumentVersion, ClassForm.version_id == InstrumentVersion.id)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .where(ClassForm.class_id == class_id)
            .order_by(_moment_rank(), _kind_rank(), ClassForm.id)
            .options(
                sa.orm.contains_eager(ClassForm.version).contains_eager(
                    InstrumentVersion.instrument
                )
            )
        )
    )


def check_slot(version: InstrumentVersion, moment: str, present: list[Slot]) -> None:
    """Refuse a (version, moment) the class cannot take, given the slots it has.

    The kind must be a class kind and allow the moment; an instrument is used in one
    version only (its answers must be comparable within a class) and once per moment.
    """
    kind = version.instrument.kind
    if kind not in CLASS_KINDS:
        raise DomainError(_l("This instrument cannot be used in a class."), field="version")
    if moment not in moments_of(kind):
        raise DomainError(_l("This form cannot be given at this moment."), field="moment")
    for used, used_moment in present:
        if used.instrument_id != version.instrument_id:
            continue
        if used.id != version.id:
            raise DomainError(
                _l("The class already uses another version of this form."), field="version"
            )
        if used_moment == moment:
            raise DomainError(_l("The class already has this form at this moment."), field="moment")


def _free_moment(version: InstrumentVersion, present: list[Slot]) -> str:
    """The first moment of the version's kind the class does not use it at yet (else the
    usual one, which ``check_slot`` then refuses)."""
    taken = {m for v, m in present if v.instrument_id == version.instrument_id}
    kind = version.instrument.kind
    free = [m.value for m in moments_of(kind) if m.value not in taken]
    return free[0] if free else default_moment(kind).value


def attach(
    actor: User | None,
    cls: TrainingClass,
    versions: Iterable[InstrumentVersion],
    *,
    scope: Scope,
    moment: str | None = None,
) -> list[ClassForm]:
    """Make ``versions`` available in ``cls`` at ``moment`` (default: the first moment of
    each one's kind not used yet: a skill test goes before the class, then after it),
    closed until the trainer opens them. See ``attach_slots``."""
    present: list[Slot] = [(f.version, f.moment) for f in forms_of(cls.id)]
    slots = []
    for version in versions:
        slots.append((version, moment or _free_moment(version, present)))
        present.append(slots[-1])
    return attach_slots(actor, cls, slots, scope=scope)


def attach_slots(
    actor: User | None, cls: TrainingClass, slots: Iterable[Slot], *, scope: Scope
) -> list[ClassForm]:
    """Attach each ``(version, moment)``; all or nothing: one refused slot (``check_slot``)
    raises ``DomainError`` before anything is added."""
    check_may_manage(actor, cls, scope)
    present: list[Slot] = [(f.version, f.moment) for f in forms_of(cls.id)]
    wanted = list(slots)
    for version, moment in wanted:
        check_slot(version, moment, present)
        present.append((version, moment))
    added = [
        ClassForm(class_id=cls.id, version=version, moment=moment, is_open=False)
        for version, moment in wanted
    ]
    db.session.add_all(added)
    db.session.flush()
    for form in added:
        record(
            actor,
            "class_form.attached",
            cls,
            version_id=form.version_id,
            form_id=form.id,
            moment=form.moment,
        )
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
        moment=form.moment,
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


def default_versions() -> list[InstrumentVersion]:
    """Latest versions of the standard instruments (``DEFAULT_KEYS``), in class order."""
    return list(
        db.session.scalars(
            sa.select(InstrumentVersion)
            .join(Instrument, InstrumentVersion.instrument_id == Instrument.id)
            .where(Instrument.key.in_(DEFAULT_KEYS), _latest_condition())
            .order_by(_kind_rank(), Instrument.key)
            .options(sa.orm.contains_eager(InstrumentVersion.instrument))
        )
    )


def default_slots(class_id: int | None = None) -> list[Slot]:
    """The standard forms at each of their moments, in class order: pre-survey and skill
    test before the class, post-survey and skill test after it, then the follow-up.

    With ``class_id``, only the slots the class still lacks; an instrument the class
    already uses keeps the version in use, so its pre and post tests stay comparable.
    """
    forms = forms_of(class_id) if class_id is not None else []
    in_use = {f.version.instrument_id: f.version for f in forms}
    taken = {(f.version.instrument_id, f.moment) for f in forms}
    slots = []
    for latest in default_versions():
        version = in_use.get(latest.instrument_id, latest)
        for moment in moments_of(version.instrument.kind):
            if (version.instrument_id, moment.value) not in taken:
                slots.append((version, moment.value))
    return sorted(slots, key=_slot_order)


def missing_defaults(class_id: int) -> list[tuple[str, str]]:
    """``(kind, moment)`` of the standard forms the class does not have yet."""
    return [(version.instrument.kind, moment) for version, moment in default_slots(class_id)]


def attach_defaults(actor: User | None, cls: TrainingClass, *, scope: Scope) -> list[ClassForm]:
    """Attach the standard forms the class lacks: pre-survey (pre), skill test (pre),
    post-survey (post), skill test (post) and follow-up (follow_up)."""
    return attach_slots(actor, cls, default_slots(cls.id), scope=scope)


def _area_ids(cls: TrainingClass) -> list[int]:
    return [int(part) for part in cls.locality.path.strip("/").split("/") if part]


def candidate_versions(cls: TrainingClass, scope: Scope) -> list[InstrumentVersion]:
    """What may still be attached: the latest version of each class instrument usable in
    the class's area and visible to the actor that the class does not use yet, and the
    versions the class uses that still have a free moment (the skill test after class)."""
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
        .options(sa.orm.contains_eager(InstrumentVersion.instrument))
    )
    forms = forms_of(cls.id)
    taken = {(f.version_id, f.moment) for f in forms}
    reusable = {
        f.version_id: f.version
        for f in forms
        if any((f.version_id, m.value) not in taken for m in moments_of(f.version.instrument.kind))
    }
    found = list(db.session.scalars(query)) + list(reusable.values())
    usual = [(v, default_moment(v.instrument.kind).value) for v in found]
    return [v for v, _m in sorted(usual, key=lambda s: (_slot_order(s), s[0].instrument.key))]


# ---------------------------------------------------------------- what the trainer watches


def response_counts(class_id: int) -> dict[int, int]:
    """``{class_form_id: number of responses}`` of a class, in one GROUP BY query; the two
    sittings of the skill test (before and after the class) are counted apart."""
    rows = db.session.execute(
        sa.select(ClassForm.id, sa.func.count(Response.id))
        .select_from(ClassForm)
        .outerjoin(
            Response,
            sa.and_(Response.class_form_id == ClassForm.id, Response.excluded.is_(False)),
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
    done_form_ids: set[int] = field(default_factory=set)


def learners(class_id: int) -> list[Learner]:
    """Participants enrolled in the class with the class forms each has sent."""
    people = db.session.execute(
        sa.select(Participant.id, Participant.full_name, Participant.segment)
        .join(Enrolment, Enrolment.participant_id == Participant.id)
        .where(Enrolment.class_id == class_id, Participant.erased_at.is_(None))
        .order_by(Participant.full_name, Participant.id)
    ).all()
    result = {row.id: Learner(row.id, row.full_name, row.segment) for row in people}
    done = db.session.execute(
        sa.select(Response.participant_id, Response.class_form_id)
        .join(ClassForm, Response.class_form_id == ClassForm.id)
        .where(ClassForm.class_id == class_id, Response.participant_id.is_not(None))
        .distinct()
    ).all()
    for participant_id, form_id in done:
        if participant_id in result:
            result[participant_id].done_form_ids.add(form_id)
    return list(result.values())


def done_form_ids(participant_id: int, class_id: int) -> set[int]:
    """Class forms (ids) of ``class_id`` this participant has already sent."""
    return set(
        db.session.scalars(
            sa.select(Response.class_form_id)
            .join(ClassForm, Response.class_form_id == ClassForm.id)
            .where(Response.participant_id == participant_id, ClassForm.class_id == class_id)
        )
    )
