"""Eligibility, issuing (idempotent), awards, revoking and finding certificates by code."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.certificates import services
from surveyapp.certificates.models import Certificate
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.models_base import utcnow
from tests.scoring.helpers import person, scored

from .conftest import HOLDER, set_min_post_percent


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Certificate))


@pytest.mark.parametrize(
    ("score", "expected"), [("7", True), ("6.99", False), ("10", True), ("0", False)]
)
def test_the_default_threshold_is_inclusive(cw, score, expected):
    learner = person(cw.class_a)
    scored(cw.class_a, cw.version, learner, "post", score)
    assert services.eligible_for_completion(learner, cw.class_a) is expected


def test_the_campaign_rule_sets_the_threshold(cw):
    learner = person(cw.class_a)
    scored(cw.class_a, cw.version, learner, "post", "8")
    set_min_post_percent(cw.campaign, 80, version=2)
    assert services.eligible_for_completion(learner, cw.class_a)
    set_min_post_percent(cw.campaign, 81, version=3)
    assert not services.eligible_for_completion(learner, cw.class_a)


def test_no_post_test_or_only_a_pre_test_is_not_eligible(cw):
    nothing = person(cw.class_a)
    pre_only = person(cw.class_a)
    scored(cw.class_a, cw.version, pre_only, "pre", "10")
    assert not services.eligible_for_completion(nothing, cw.class_a)
    assert not services.eligible_for_completion(pre_only, cw.class_a)
    assert not services.eligible_for_completion(None, cw.class_a)


def test_excluded_responses_do_not_count(cw):
    learner = person(cw.class_a)
    scored(cw.class_a, cw.version, learner, "post", "10", excluded=True)
    assert not services.eligible_for_completion(learner, cw.class_a)
    # a later excluded retake does not hide an earlier counted pass
    scored(cw.class_a, cw.version, learner, "post", "9", minutes=-10)
    assert services.eligible_for_completion(learner, cw.class_a)


def test_the_latest_post_test_decides(cw):
    learner = person(cw.class_a)
    scored(cw.class_a, cw.version, learner, "post", "9", minutes=1)
    scored(cw.class_a, cw.version, learner, "post", "5", minutes=2)
    assert not services.eligible_for_completion(learner, cw.class_a)


def test_a_pass_in_another_class_or_without_enrolment_does_not_count(cw):
    assert not services.eligible_for_completion(cw.passed, cw.class_b)
    stranger = person(cw.class_b)
    scored(cw.class_a, cw.version, stranger, "post", "10")
    assert not services.eligible_for_completion(stranger, cw.class_a)


def test_an_erased_person_is_not_eligible(cw):
    cw.passed.erased_at = utcnow()
    assert not services.eligible_for_completion(cw.passed, cw.class_a)


def test_issuing_is_idempotent_and_snapshots_the_facts(cw):
    first = services.issue_completion(cw.passed, cw.class_a, cw.trainer_a)
    again = services.issue_completion(cw.passed, cw.class_a, cw.trainer_a)
    assert again.id == first.id and _count() == 1
    assert first.holder_name == HOLDER and first.title == cw.class_a.title
    assert first.kind == "completion" and first.campaign_id == cw.campaign.id
    assert first.detail["percent"] == 85.0 and first.detail["min_post_percent"] == 70.0
    assert first.locality_id == cw.a.id and first.issued_by_id == cw.trainer_a.id
    assert len(first.code) == 10 and set(first.code) <= set(services.CODE_ALPHABET)
    assert not set(first.code) & set("01OIL")
    cw.passed.full_name = "Tên khác"
    assert services.issue_completion(cw.passed, cw.class_a).holder_name == HOLDER
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions.count("certificate.issued") == 1


def test_issuing_refuses_someone_who_did_not_pass(cw):
    learner = person(cw.class_a)
    scored(cw.class_a, cw.version, learner, "post", "3")
    with pytest.raises(DomainError):
        services.issue_completion(learner, cw.class_a)
    assert _count() == 0


def test_issue_for_class_issues_only_the_missing_ones(cw):
    second = person(cw.class_a, name="Giàng A Páo")
    scored(cw.class_a, cw.version, second, "post", "9")
    failed = person(cw.class_a, name="Hoàng Thị Lan")
    scored(cw.class_a, cw.version, failed, "post", "2")
    services.issue_completion(cw.passed, cw.class_a)
    assert services.eligible_without_certificate(cw.class_a) == [second.id]
    issued = services.issue_for_class(cw.class_a, cw.trainer_a)
    assert [c.holder_name for c in issued] == ["Giàng A Páo"]
    assert services.issue_for_class(cw.class_a, cw.trainer_a) == []
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "certificate.issued_for_class")
    )
    assert entry.detail["count"] == 1 and entry.actor_id == cw.trainer_a.id
    assert [c.holder_name for c in services.class_certificates(cw.class_a)] == [
        "Giàng A Páo",
        HOLDER,
    ]


def test_revoke_is_audited_and_final(cw):
    certificate = services.issue_completion(cw.passed, cw.class_a)
    services.revoke(certificate, cw.coordinator_p, reason="Nhầm người")
    assert certificate.revoked
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "certificate.revoked")
    )
    assert entry.actor_id == cw.coordinator_p.id and entry.detail["code"] == certificate.code
    with pytest.raises(DomainError):
        services.revoke(certificate, cw.coordinator_p)
    # asking again returns the revoked one rather than a fresh certificate
    assert services.issue_completion(cw.passed, cw.class_a).id == certificate.id


def test_find_by_code_ignores_case_spaces_and_dashes(cw):
    certificate = services.issue_completion(cw.passed, cw.class_a)
    code = certificate.code
    typed = f" {code[:5].lower()} - {code[5:]} "
    assert services.find_by_code(typed).id == certificate.id
    assert services.find_by_code(certificate.display_code).id == certificate.id
    assert services.find_by_code("") is None and services.find_by_code("ZZZZZZZZZZ") is None
    assert services.find_by_code("A" * 500) is None


def test_generate_code_retries_taken_codes_and_gives_up():
    seen = []
    code = services.generate_code(lambda c: seen.append(c) or len(seen) < 3)
    assert len(seen) == 3 and code == seen[-1]
    with pytest.raises(DomainError):
        services.generate_code(lambda c: True)


def test_awards_for_a_participant_or_a_plain_name(cw):
    named = services.issue_award(
        "Đội Mù Cang Chải",
        "Cuộc thi Ý tưởng AI",
        "Giải Nhất",
        cw.admin,
        campaign=cw.campaign,
        rank=1,
    )
    assert named.kind == "award" and named.participant_id is None
    assert named.title == "Giải Nhất – Cuộc thi Ý tưởng AI"
    assert named.detail == {"contest": "Cuộc thi Ý tưởng AI", "prize": "Giải Nhất", "rank": 1}
    again = services.issue_award(cw.passed, "Cuộc thi", "Giải Ba", cw.admin, campaign=cw.campaign)
    other = services.issue_award(cw.passed, "Cuộc thi 2", "Giải Ba", cw.admin, campaign=cw.campaign)
    assert again.holder_name == HOLDER and again.participant_id == cw.passed.id
    assert other.id != again.id and _count() == 3
    with pytest.raises(DomainError):
        services.issue_award("  ", "Cuộc thi", "Giải Ba", cw.admin, campaign=cw.campaign)
    with pytest.raises(DomainError):
        services.issue_award("Tên", "x" * 301, "Giải", cw.admin, campaign=cw.campaign)
