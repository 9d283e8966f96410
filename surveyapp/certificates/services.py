"""Issuing, finding and revoking certificates.

A completion certificate goes to a participant whose latest counted post-class skill test
in the class (not excluded, moment ``post``) reached the campaign rule's
``min_post_percent`` (``surveyapp.indicators.rules.current_rule``), compared with the
rule's tolerance. Issuing is idempotent: one completion certificate per person and class,
even when two requests race (the unique constraint decides, the loser reads the winner's).

Award certificates (contests) take the holder as a participant or a plain name, so the
contests issue can use them before its own models exist.

Functions take the actor explicitly, flush but never commit, and write audit entries.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from surveyapp.audit.services import record
from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import TrainingClass
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.indicators.rule import TOLERANCE
from surveyapp.indicators.rules import current_rule
from surveyapp.instruments.models import Instrument, InstrumentKind, InstrumentVersion
from surveyapp.models_base import utcnow
from surveyapp.participants.models import Enrolment, Participant
from surveyapp.responses.models import Moment, Response

from .models import Certificate, CertificateKind

# No 0/O, 1/I/L: a code copied from paper or read aloud must not be mistyped.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 31**10 ≈ 8·10^14 codes: guessing one is hopeless, with throttling
CODE_ATTEMPTS = 20
TEXT_MAX = 300
NAME_MAX = 200


# ---------------------------------------------------------------- codes


def _code_taken(code: str) -> bool:
    return db.session.scalar(sa.select(Certificate.id).where(Certificate.code == code)) is not None


def generate_code(taken: Callable[[str], bool] = _code_taken) -> str:
    """A fresh random code of ``CODE_LENGTH`` characters of the unambiguous alphabet."""
    for _attempt in range(CODE_ATTEMPTS):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not taken(code):
            return code
    raise DomainError(_("Could not find a free certificate code. Please try again."))


def normalise_code(code: str | None) -> str:
    """Upper case without spaces or dashes: ``" abcde-fghjk "`` -> ``"ABCDEFGHJK"``."""
    return "".join((code or "").split()).replace("-", "").upper()


def find_by_code(code: str | None) -> Certificate | None:
    """The certificate of ``code`` typed in any case, with spaces or dashes; else None."""
    code = normalise_code(code)
    if not code or len(code) > 16 or "\x00" in code:  # PostgreSQL cannot compare NUL
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == code))


# ---------------------------------------------------------------- eligibility


def _skill_versions() -> sa.Select:
    return (
        sa.select(InstrumentVersion.id)
        .join(Instrument, Instrument.id == InstrumentVersion.instrument_id)
        .where(Instrument.kind == InstrumentKind.SKILL_TEST.value)
    )


def _latest_post_tests(class_id: int) -> sa.Subquery:
    """Each person's latest counted post-class skill test in the class, with its percent."""
    r = Response
    rank = (
        sa.func.row_number()
        .over(partition_by=r.participant_id, order_by=(r.submitted_at.desc(), r.id.desc()))
        .label("rank")
    )
    percent = sa.case(
        (r.max_score > 0, sa.cast(r.score, sa.Float) * 100 / sa.cast(r.max_score, sa.Float))
    ).label("percent")
    ranked = (
        sa.select(r.participant_id, r.id.label("response_id"), percent, rank)
        .where(
            r.class_id == class_id,
            r.moment == Moment.POST.value,
            r.excluded.is_(False),
            r.participant_id.is_not(None),
            r.version_id.in_(_skill_versions()),
        )
        .subquery("ranked")
    )
    return (
        sa.select(ranked.c.participant_id, ranked.c.response_id, ranked.c.percent)
        .where(ranked.c.rank == 1)
        .subquery("latest_post")
    )


def _passing(cls: TrainingClass, participant_id: int | None = None) -> sa.Select:
    """``(participant_id, response_id, percent)`` of the enrolled, not erased people who
    passed the post-class test of ``cls`` (only ``participant_id`` when given)."""
    latest = _latest_post_tests(cls.id)
    minimum = float(current_rule(cls.campaign_id).rule.min_post_percent)
    query = (
        sa.select(latest.c.participant_id, latest.c.response_id, latest.c.percent)
        .join(Participant, Participant.id == latest.c.participant_id)
        .join(
            Enrolment,
            sa.and_(Enrolment.participant_id == Participant.id, Enrolment.class_id == cls.id),
        )
        .where(Participant.erased_at.is_(None), latest.c.percent + TOLERANCE >= minimum)
    )
    if participant_id is not None:
        query = query.where(latest.c.participant_id == participant_id)
    return query


def post_test_result(participant: Participant, cls: TrainingClass) -> tuple[int, float] | None:
    """``(response_id, percent)`` when ``participant`` passed the post-class test of ``cls``."""
    row = db.session.execute(_passing(cls, participant.id)).first()
    return None if row is None else (row.response_id, float(row.percent))


def eligible_for_completion(participant: Participant | None, cls: TrainingClass) -> bool:
    """Whether ``participant`` passed the post-class test of ``cls`` (enrolled, not erased)."""
    return participant is not None and post_test_result(participant, cls) is not None


def eligible_without_certificate(cls: TrainingClass) -> list[int]:
    """Ids of the people of ``cls`` who passed and hold no completion certificate of it yet."""
    passing = _passing(cls).subquery("passing")
    held = sa.select(Certificate.participant_id).where(
        Certificate.class_id == cls.id,
        Certificate.kind == CertificateKind.COMPLETION.value,
        Certificate.participant_id.is_not(None),
    )
    return list(
        db.session.scalars(
            sa.select(passing.c.participant_id)
            .where(passing.c.participant_id.not_in(held))
            .order_by(passing.c.participant_id)
        )
    )


# ---------------------------------------------------------------- issuing


def completion_of(participant_id: int, class_id: int) -> Certificate | None:
    """The completion certificate of this person and class (revoked or not), if any."""
    return db.session.scalar(
        sa.select(Certificate).where(
            Certificate.participant_id == participant_id,
            Certificate.class_id == class_id,
            Certificate.kind == CertificateKind.COMPLETION.value,
        )
    )


def _add(certificate: Certificate) -> bool:
    """Insert ``certificate``; False when the unique constraint says it exists already."""
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        return False
    return True


def _issued(actor, certificate: Certificate, **detail) -> None:
    record(
        actor,
        "certificate.issued",
        certificate,
        locality_id=certificate.locality_id,
        code=certificate.code,
        kind=certificate.kind,
        campaign_id=certificate.campaign_id,
        class_id=certificate.class_id,
        participant_id=certificate.participant_id,
        **detail,
    )


def _new_completion(participant: Participant, cls: TrainingClass, actor, now) -> Certificate:
    result = post_test_result(participant, cls)
    if result is None:
        raise DomainError(_("The post-class test of this class has not been passed yet."))
    name = (participant.full_name or "").strip()
    if not name:
        raise DomainError(_("A certificate needs the learner's name."))
    response_id, percent = result
    rule = current_rule(cls.campaign_id).rule
    return Certificate(
        code=generate_code(),
        kind=CertificateKind.COMPLETION.value,
        participant_id=participant.id,
        holder_name=name[:NAME_MAX],
        campaign_id=cls.campaign_id,
        class_id=cls.id,
        locality_id=cls.locality_id,
        title=cls.title[:TEXT_MAX],
        detail={
            "percent": round(percent, 2),
            "response_id": response_id,
            "rule_version": rule.version,
            "min_post_percent": float(rule.min_post_percent),
        },
        issued_at=now or utcnow(),
        issued_by_id=getattr(actor, "id", None),
    )


def issue_completion(
    participant: Participant,
    cls: TrainingClass,
    actor=None,
    *,
    now: datetime | None = None,
    audited: bool = True,
) -> Certificate:
    """The completion certificate of ``participant`` for ``cls``: the existing one (revoked
    or not), else a new one when they passed the post-class test (else ``DomainError``).
    ``actor`` is None when the trainee asks for it themselves."""
    existing = completion_of(participant.id, cls.id)
    if existing is not None:
        return existing
    certificate = _new_completion(participant, cls, actor, now)
    if not _add(certificate):  # issued by a concurrent request meanwhile
        existing = completion_of(participant.id, cls.id)
        if existing is None:
            raise DomainError(_("The certificate could not be issued. Please try again."))
        return existing
    if audited:
        _issued(actor, certificate)
    return certificate


def issue_for_class(cls: TrainingClass, actor, *, now: datetime | None = None) -> list[Certificate]:
    """Issue a completion certificate to everyone of ``cls`` who passed and has none yet;
    one audit entry lists the codes. Returns the new certificates."""
    issued = []
    for participant_id in eligible_without_certificate(cls):
        participant = db.session.get(Participant, participant_id)
        issued.append(issue_completion(participant, cls, actor, now=now, audited=False))
    if issued:
        record(
            actor,
            "certificate.issued_for_class",
            cls,
            locality_id=cls.locality_id,
            class_id=cls.id,
            count=len(issued),
            codes=[certificate.code for certificate in issued],
        )
    return issued


def _holder(holder: Participant | str) -> tuple[Participant | None, str]:
    if isinstance(holder, Participant):
        return holder, (holder.full_name or "").strip()
    return None, " ".join(str(holder or "").split())


def _text(value: str, label: str, limit: int) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise DomainError(_("%(field)s is required.", field=label))
    if len(text) > limit:
        raise DomainError(
            _("%(field)s may have at most %(max)s characters.", field=label, max=limit)
        )
    return text


def issue_award(
    holder: Participant | str,
    contest_title: str,
    prize: str,
    actor,
    *,
    campaign: Campaign,
    rank: int | None = None,
    now: datetime | None = None,
) -> Certificate:
    """An award certificate of a contest of ``campaign`` for a participant or a plain name
    (a team, a person not registered as a participant). Every call issues a new one."""
    participant, name = _holder(holder)
    name = _text(name, _("The holder's name"), NAME_MAX)
    contest = _text(contest_title, _("The contest"), TEXT_MAX)
    prize = _text(prize, _("The prize"), TEXT_MAX)
    title = f"{prize} – {contest}"
    if len(title) > TEXT_MAX:
        raise DomainError(
            _("The prize and contest may have at most %(max)s characters.", max=TEXT_MAX)
        )
    certificate = Certificate(
        code=generate_code(),
        kind=CertificateKind.AWARD.value,
        participant_id=participant.id if participant else None,
        holder_name=name,
        campaign_id=campaign.id,
        locality_id=campaign.root_locality_id,
        title=title,
        detail={"contest": contest, "prize": prize, "rank": rank},
        issued_at=now or utcnow(),
        issued_by_id=getattr(actor, "id", None),
    )
    if not _add(certificate):
        raise DomainError(_("The certificate could not be issued. Please try again."))
    _issued(actor, certificate)
    return certificate


# ---------------------------------------------------------------- revoking and listing


def revoke(certificate: Certificate, actor, *, reason: str = "", now=None) -> Certificate:
    """Mark ``certificate`` revoked (the verification page then says so); audited."""
    if certificate.revoked_at is not None:
        raise DomainError(_("This certificate was revoked already."))
    certificate.revoked_at = now or utcnow()
    record(
        actor,
        "certificate.revoked",
        certificate,
        locality_id=certificate.locality_id,
        code=certificate.code,
        holder_name=certificate.holder_name,
        reason=(reason or "").strip()[:500],
    )
    db.session.flush()
    return certificate


def class_certificates(cls: TrainingClass) -> list[Certificate]:
    """The certificates of a class, by holder name."""
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .where(Certificate.class_id == cls.id)
            .order_by(Certificate.holder_name, Certificate.id)
        )
    )
