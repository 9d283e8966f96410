"""Erasure on request and by retention: personal fields go, anonymous answers and every
indicator count stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.certificates.services import revoke
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.indicators.kpis import kpi_table
from surveyapp.participants.models import Consent, Enrolment, Participant
from surveyapp.participants.services import by_follow_up_token
from surveyapp.privacy import erasure, services
from surveyapp.responses.models import Answer, Response
from tests.indicators.test_kpis import Scenario

from .conftest import NAME, identify_learner, same_moment

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


def _count(model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_erasure_blanks_personal_fields_and_keeps_anonymous_answers(pw):
    person = pw.learner
    old = (person.identity_key, person.name_key, person.follow_up_token)
    answers = _count(Answer, Answer.response_id == pw.pre.id)
    request = services.record_request(person, "erasure", received_at=NOW, actor=pw.admin, now=NOW)
    erasure.erase(person, actor=pw.admin, now=NOW)
    person = db.session.get(Participant, person.id)
    assert (person.full_name, person.birth_year, person.organisation, person.phone) == (
        "", None, "", None,
    )  # fmt: skip
    assert same_moment(person.erased_at, NOW)
    assert person.segment == "resident" and person.locality_id == pw.a.id
    new = (person.identity_key, person.name_key, person.follow_up_token)
    assert all(a != b for a, b in zip(old, new, strict=True))
    assert person.identity_key != person.name_key
    assert by_follow_up_token(old[2]) is None and by_follow_up_token(new[2]) is None
    assert _count(Response, Response.participant_id == person.id) == 2
    assert _count(Answer, Answer.response_id == pw.pre.id) == answers
    assert not services.active_purposes(person)
    assert _count(Consent, Consent.participant_id == person.id, Consent.withdrawn_at == NOW) == 2
    assert pw.certificate.holder_name == ""
    assert request.done_at == NOW
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "participant.erased")
    )
    assert entry.actor_id == pw.admin.id and entry.detail["participant"] == person.public_id
    with pytest.raises(DomainError):
        erasure.erase(person, actor=pw.admin, now=NOW)


def test_an_erased_person_is_never_recognised_again(pw):
    erasure.erase(pw.learner, actor=pw.admin, now=NOW)
    again = identify_learner(pw.class_a)
    assert again.id != pw.learner.id and again.full_name == NAME


def test_erasure_scrubs_the_holder_name_from_revocation_entries(pw):
    revoke(pw.certificate, pw.trainer_a, reason="Nhầm lớp", now=NOW)
    erasure.erase(pw.learner, actor=pw.admin, now=NOW)
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "certificate.revoked")
    )
    assert entry.detail["holder_name"] == "" and entry.detail["reason"] == "Nhầm lớp"
    assert NAME not in str(db.session.scalars(sa.select(AuditEntry.detail)).all())


def test_indicator_counts_are_the_same_after_erasure(f):
    s = Scenario(f)
    before = (kpi_table(s.campaign, s.province), kpi_table(s.campaign, s.d1))
    for person in (s.a1, s.a3, s.a6, s.a8, s.a9):
        erasure.erase(person, actor=None, now=NOW)
    after = (kpi_table(s.campaign, s.province), kpi_table(s.campaign, s.d1))
    assert after == before
    assert before[0].head.kpi("effective_appliers").actual == 4


# ---------------------------------------------------------------- retention


def _age(person: Participant, days: int) -> None:
    """Move everything the person did ``days`` days back."""
    then = NOW - timedelta(days=days)
    person.created_at = then
    db.session.execute(
        sa.update(Consent).where(Consent.participant_id == person.id).values(at=then)
    )
    db.session.execute(
        sa.update(Enrolment).where(Enrolment.participant_id == person.id).values(enrolled_at=then)
    )
    db.session.execute(
        sa.update(Response).where(Response.participant_id == person.id).values(submitted_at=then)
    )
    db.session.flush()


def test_purge_erases_only_people_inactive_for_longer_than_the_period(pw):
    old = identify_learner(pw.class_a, "Vàng A Sử", phone=None, birth_year=1970)
    _age(old, 800)
    _age(pw.learner, 700)
    dry = erasure.purge(NOW, 730, dry_run=True)
    assert dry.public_ids == [old.public_id] and dry.dry_run
    assert db.session.get(Participant, old.id).erased_at is None
    result = erasure.purge(NOW, 730)
    assert result.count == 1 and result.cutoff == NOW - timedelta(days=730)
    assert db.session.get(Participant, old.id).full_name == ""
    assert db.session.get(Participant, pw.learner.id).full_name == NAME
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "privacy.purged"))
    assert entry.detail["count"] == 1 and entry.detail["participants"] == [old.public_id]
    assert erasure.purge(NOW, 730).count == 0  # already erased people are left alone
    assert erasure.purge(NOW, 600).public_ids == [pw.learner.public_id]


def test_a_late_response_keeps_a_person(pw):
    _age(pw.learner, 900)
    pw.post.submitted_at = NOW - timedelta(days=10)
    db.session.flush()
    assert erasure.purge(NOW, 730, dry_run=True).count == 0


def test_purge_refuses_a_period_under_a_day(pw):
    with pytest.raises(DomainError):
        erasure.purge(NOW, 0)


def test_purge_of_many_people_uses_batches(pw, monkeypatch):
    monkeypatch.setattr(erasure, "BATCH", 2)
    people = [identify_learner(pw.class_b, f"Người Văn Yên {i}", phone=None) for i in range(5)]
    for person in people:
        _age(person, 1000)
    assert erasure.purge(NOW, 730).count == 5
    assert all(same_moment(db.session.get(Participant, p.id).erased_at, NOW) for p in people)
    assert len({db.session.get(Participant, p.id).identity_key for p in people}) == 5
