"""Finding people within a scope, data-subject requests, working days, consent withdrawal."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.participants.models import Consent, Participant
from surveyapp.privacy import services
from surveyapp.privacy.models import DataRequest
from surveyapp.privacy.workdays import add_working_days, due_date, is_working_day
from surveyapp.security import compute_scope

from .conftest import PHONE, identify_learner, same_moment

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


def _audit(action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


# ---------------------------------------------------------------- working days


def test_two_working_days_skip_weekends_and_tet():
    assert add_working_days(date(2026, 11, 16), 2) == date(2026, 11, 18)  # Monday -> Wednesday
    # Vietnamese Culture Day, 24 November, is a day off from 2026.
    assert add_working_days(date(2026, 11, 23), 2) == date(2026, 11, 26)
    assert add_working_days(date(2026, 11, 27), 2) == date(2026, 12, 1)  # Friday -> Tuesday
    assert add_working_days(date(2026, 11, 28), 2) == date(2026, 12, 1)  # Saturday -> Tuesday
    # Tết 2026: 16 to 20 February are public holidays.
    assert not is_working_day(date(2026, 2, 17))
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    # National day 2 September 2026 (Wednesday) and the day before.
    assert add_working_days(date(2026, 8, 28), 2) == date(2026, 9, 4)


def test_due_date_counts_from_the_date_in_vietnam():
    # 18:00 UTC on Thursday is already Friday 01:00 in Hà Nội.
    assert due_date(datetime(2026, 11, 26, 18, 0, tzinfo=UTC)) == date(2026, 12, 1)
    assert due_date(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)) == date(2026, 11, 30)


# ---------------------------------------------------------------- finding people


def test_search_by_name_phone_and_code_within_scope(pw):
    everyone = compute_scope(pw.admin)
    assert services.search(everyone, "lò thị mai") == [pw.learner]
    assert services.search(everyone, "Thị Mai") == [pw.learner]
    assert services.search(everyone, "+84 912 345 678") == [pw.learner]
    assert services.search(everyone, pw.learner.public_id.lower()) == [pw.learner]
    assert services.search(everyone, "%") == []
    assert services.search(everyone, "   ") == []
    assert services.search(compute_scope(pw.coordinator_a), PHONE) == [pw.learner]
    assert services.search(compute_scope(pw.coordinator_p), "Mai") == [pw.learner]
    assert services.search(compute_scope(pw.coordinator_b), PHONE) == []
    assert services.search(compute_scope(pw.coordinator_b), "Mai") == []


def test_a_person_without_commune_is_in_the_scope_of_their_class(pw):
    person = identify_learner(pw.class_b, "Hoàng Văn Páo", phone=None, locality=None)
    person.locality_id = None
    db.session.flush()
    assert services.participant_or_404(person.id, compute_scope(pw.coordinator_b)) == person
    with pytest.raises(Exception) as raised:
        services.participant_or_404(person.id, compute_scope(pw.coordinator_a))
    assert getattr(raised.value, "code", None) == 404


# ---------------------------------------------------------------- requests


def test_record_request_is_due_in_two_working_days_and_audited(pw):
    received = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # Friday 9:00 in Vietnam
    request = services.record_request(
        pw.learner, "access", received_at=received, actor=pw.coordinator_a, now=NOW, note="Thư tay"
    )
    assert request.due_on == date(2026, 11, 25)  # Monday, then Tuesday 24 is a holiday
    assert request.is_open and not request.overdue(date(2026, 11, 25))
    assert request.overdue(date(2026, 11, 26))
    entry = _audit("data_request.received")[0]
    assert entry.detail["participant"] == pw.learner.public_id
    assert entry.locality_id == pw.a.id
    assert services.open_requests(compute_scope(pw.coordinator_a)) == [request]
    assert services.open_requests(compute_scope(pw.coordinator_b)) == []
    services.complete_request(pw.learner, request.id, actor=pw.admin, now=NOW)
    assert request.done_at == NOW and request.done_by_id == pw.admin.id
    assert services.open_requests(compute_scope(pw.admin)) == []
    with pytest.raises(DomainError):
        services.complete_request(pw.learner, request.id, actor=pw.admin, now=NOW)


@pytest.mark.parametrize(
    ("kind", "purpose", "received", "field"),
    [
        ("sell", "", NOW, "kind"),
        ("withdraw_consent", "", NOW, "purpose"),
        ("access", "", datetime(2027, 1, 1, tzinfo=UTC), "received_at"),
    ],
)
def test_bad_requests_are_refused(pw, kind, purpose, received, field):
    with pytest.raises(DomainError) as raised:
        services.record_request(
            pw.learner, kind, received_at=received, actor=pw.admin, now=NOW, purpose=purpose
        )
    assert raised.value.field == field
    assert db.session.scalar(sa.select(sa.func.count(DataRequest.id))) == 0


def test_completing_another_persons_request_is_404(pw):
    other = identify_learner(pw.class_a, "Giàng Thị Dua", phone=None)
    request = services.record_request(other, "access", received_at=NOW, actor=pw.admin, now=NOW)
    with pytest.raises(Exception) as raised:
        services.complete_request(pw.learner, request.id, actor=pw.admin, now=NOW)
    assert getattr(raised.value, "code", None) == 404


# ---------------------------------------------------------------- withdrawal


def test_withdrawing_follow_up_consent_deletes_the_phone(pw):
    request = services.record_request(
        pw.learner,
        "withdraw_consent",
        purpose="follow_up",
        received_at=NOW,
        actor=pw.coordinator_a,
        now=NOW,
    )
    assert services.active_purposes(pw.learner) == {"evaluation", "follow_up"}
    services.withdraw_consent(pw.learner, "follow_up", actor=pw.coordinator_a, now=NOW)
    assert pw.learner.phone is None
    assert pw.learner.identity_key == pw.learner.name_key
    assert services.active_purposes(pw.learner) == {"evaluation"}
    consent = db.session.scalar(
        sa.select(Consent).where(
            Consent.participant_id == pw.learner.id, Consent.purpose == "follow_up"
        )
    )
    assert same_moment(consent.withdrawn_at, NOW) and consent.granted
    assert request.done_at == NOW
    entry = _audit("consent.withdrawn")[0]
    assert entry.detail == {
        "participant": pw.learner.public_id,
        "purpose": "follow_up",
        "phone_cleared": True,
    }
    with pytest.raises(DomainError):
        services.withdraw_consent(pw.learner, "follow_up", actor=pw.coordinator_a, now=NOW)


@pytest.mark.parametrize("purpose", ["evaluation", "publication", "marketing"])
def test_withdrawals_that_are_refused(pw, purpose):
    with pytest.raises(DomainError) as raised:
        services.withdraw_consent(pw.learner, purpose, actor=pw.admin, now=NOW)
    assert str(raised.value.message)
    assert db.session.get(Participant, pw.learner.id).phone == PHONE
    assert not _audit("consent.withdrawn")
