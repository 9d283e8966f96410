"""The public verification page, the trainee's claim from the receipt, and the trainer's
certificate list of a class (scope, audit, CSRF)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.certificates import services
from surveyapp.certificates.models import Certificate
from surveyapp.extensions import db
from surveyapp.participants.models import AccessAttempt
from tests.scoring.helpers import person, scored

from .conftest import HOLDER, identified


@pytest.fixture
def strict(app):
    app.config.update(JOURNEY_FREE_ATTEMPTS=2, JOURNEY_ATTEMPT_WINDOW_MINUTES=15)
    yield
    app.config.pop("JOURNEY_FREE_ATTEMPTS")
    app.config.pop("JOURNEY_ATTEMPT_WINDOW_MINUTES")


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def issued(cw):
    return services.issue_completion(cw.passed, cw.class_a, cw.trainer_a)


# ---------------------------------------------------------------- verification page


def test_verify_shows_who_what_when_and_nothing_more(cw, issued, as_user):
    page = as_user(None).get(f"/verify/{issued.code}")
    assert page.status_code == 200
    text = page.text
    assert HOLDER in text and cw.class_a.title in text and cw.campaign.name in text
    assert issued.issued_at.strftime("%d/%m/%Y") in text
    assert "Certificate of completion" in text and "genuine" in text
    assert "0912345678" not in text  # no phone
    scoreless = text.replace(issued.code, "").replace(issued.display_code, "")
    assert "85" not in scoreless and "8.5" not in scoreless and "8,5" not in scoreless
    assert cw.a.name not in text and cw.province.name not in text  # no locality
    assert cw.trainer_a.name not in text


def test_verify_accepts_any_spelling_of_the_code(cw, issued, as_user):
    client = as_user(None)
    response = client.get(f"/verify/{issued.code.lower()}")
    assert response.status_code == 302 and response.location.endswith(f"/verify/{issued.code}")
    response = client.get("/verify", query_string={"code": f" {issued.display_code.lower()} "})
    assert response.status_code == 302 and response.location.endswith(f"/verify/{issued.code}")


def test_verify_form_page(as_user):
    client = as_user(None)
    assert "Check a certificate" in client.get("/verify").text
    for typed in ("", " - "):
        response = client.get("/verify", query_string={"code": typed})
        assert response.status_code == 400 and "Enter the code." in response.text


def test_a_revoked_certificate_says_so(cw, issued, as_user):
    services.revoke(issued, cw.admin)
    client = as_user(None)
    page = client.get(f"/verify/{issued.code}")
    assert page.status_code == 200 and "This certificate was revoked" in page.text
    assert "genuine" not in page.text
    assert client.get(f"/certificates/{issued.code}.pdf").status_code == 410


def test_an_unknown_code_gets_a_translated_404(cw, as_user):
    response = as_user(None).get("/verify/ABCDEFGHJK")
    assert response.status_code == 404
    assert "We could not find this certificate" in response.text
    vi = as_user(None, lang="vi").get("/verify/ABCDEFGHJK")
    # the page goes through the catalogue (its own sentences are translated in a later pass)
    assert vi.status_code == 404 and '<html lang="vi">' in vi.text and "Nhập lại mã" in vi.text


def test_guessing_codes_is_slowed_down(cw, issued, as_user, strict):
    client = as_user(None)
    statuses = [client.get(f"/verify/WRONGCODE{n}").status_code for n in range(3)]
    assert statuses == [404, 404, 429]
    assert client.get(f"/verify/{issued.code}").status_code == 429
    assert client.get("/certificates/ZZZZZZZZZZ.pdf").status_code == 429
    assert db.session.scalar(sa.select(AccessAttempt.count)) == 2


# ---------------------------------------------------------------- trainee claim


def test_the_receipt_offers_the_certificate_after_a_pass(cw, as_user):
    client = as_user(None)
    identified(client, cw.class_a, cw.passed)
    page = client.get(f"/c/{cw.class_a.access_code}/receipt/{cw.post.receipt_code}")
    assert page.status_code == 200 and "Get your certificate" in page.text
    pre = scored(cw.class_a, cw.version, cw.passed, "pre", "10", minutes=-5)
    page = client.get(f"/c/{cw.class_a.access_code}/receipt/{pre.receipt_code}")
    assert page.status_code == 200 and "Get your certificate" not in page.text


def test_no_offer_below_the_threshold(cw, as_user):
    learner = person(cw.class_a)
    response = scored(cw.class_a, cw.version, learner, "post", "6")
    client = as_user(None)
    identified(client, cw.class_a, learner)
    page = client.get(f"/c/{cw.class_a.access_code}/receipt/{response.receipt_code}")
    assert page.status_code == 200 and "Get your certificate" not in page.text


def test_the_trainee_claims_once(cw, as_user):
    client = as_user(None)
    identified(client, cw.class_a, cw.passed)
    url = f"/c/{cw.class_a.access_code}/certificate"
    first = client.post(url)
    certificate = db.session.scalar(sa.select(Certificate))
    assert first.status_code == 303 and first.location.endswith(
        f"/certificates/{certificate.code}.pdf"
    )
    assert client.post(url).location == first.location
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1
    assert certificate.issued_by_id is None


def test_a_claim_needs_the_identified_person_who_passed(cw, as_user):
    url = f"/c/{cw.class_a.access_code}/certificate"
    stranger = as_user(None)
    response = stranger.post(url)
    assert response.status_code == 303 and response.location.endswith(
        f"/c/{cw.class_a.access_code}"
    )
    failed = person(cw.class_a)
    scored(cw.class_a, cw.version, failed, "post", "1")
    client = as_user(None)
    identified(client, cw.class_a, failed)
    response = client.post(url, follow_redirects=True)
    assert "has not been passed yet" in response.text
    assert as_user(None).post("/c/NOSUCH/certificate").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


def test_claim_requires_csrf(cw, as_user, csrf_on):
    client = as_user(None)
    identified(client, cw.class_a, cw.passed)
    assert client.post(f"/c/{cw.class_a.access_code}/certificate").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


# ---------------------------------------------------------------- staff list


def test_trainer_lists_and_issues_for_everyone_eligible(cw, as_user):
    second = person(cw.class_a, name="Giàng A Páo")
    scored(cw.class_a, cw.version, second, "post", "9")
    client = as_user(cw.trainer_a)
    url = f"/classes/{cw.class_a.id}/certificates"
    page = client.get(url)
    assert page.status_code == 200 and "2 learners passed" in page.text
    response = client.post(f"{url}/issue")
    assert response.status_code == 303
    page = client.get(url)
    assert HOLDER in page.text and "Giàng A Páo" in page.text
    assert "Nobody is waiting" in page.text
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "certificate.issued_for_class")
    )
    assert entry.actor_id == cw.trainer_a.id and entry.detail["count"] == 2


def test_trainer_revokes_a_certificate_of_their_class(cw, issued, as_user):
    client = as_user(cw.trainer_a)
    response = client.post(f"/classes/{cw.class_a.id}/certificates/{issued.code}/revoke")
    db.session.refresh(issued)
    assert response.status_code == 303 and issued.revoked
    assert (
        db.session.scalar(
            sa.select(AuditEntry.actor_id).where(AuditEntry.action == "certificate.revoked")
        )
        == cw.trainer_a.id
    )
    # a certificate of another class cannot be revoked through this class
    other = person(cw.class_b)
    scored(cw.class_b, cw.version, other, "post", "10")
    foreign = services.issue_completion(other, cw.class_b)
    response = client.post(f"/classes/{cw.class_a.id}/certificates/{foreign.code}/revoke")
    db.session.refresh(foreign)
    assert response.status_code == 404 and not foreign.revoked


@pytest.mark.parametrize("who", ["trainer_a", "coordinator_p", "admin"])
def test_staff_in_scope_reach_the_list(cw, as_user, who):
    assert (
        as_user(getattr(cw, who)).get(f"/classes/{cw.class_a.id}/certificates").status_code == 200
    )


@pytest.mark.parametrize("who", ["trainer_b", "coordinator_b"])
def test_sibling_commune_staff_get_404(cw, issued, as_user, who):
    client = as_user(getattr(cw, who))
    base = f"/classes/{cw.class_a.id}/certificates"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}/issue").status_code == 404
    assert client.post(f"{base}/{issued.code}/revoke").status_code == 404
    db.session.refresh(issued)
    assert not issued.revoked


def test_a_trainer_of_another_class_in_the_commune_gets_404(cw, f, as_user):
    from tests.journey.helpers import make_class, make_user

    colleague = make_user("trainer", cw.a)
    make_class(f, cw.campaign, cw.a, trainers=[colleague])
    assert as_user(colleague).get(f"/classes/{cw.class_a.id}/certificates").status_code == 404


def test_evaluators_and_anonymous_users_are_kept_out(cw, as_user):
    url = f"/classes/{cw.class_a.id}/certificates"
    assert as_user(cw.evaluator_a).get(url).status_code == 403
    response = as_user(None).get(url)
    assert response.status_code == 302 and "/login" in response.location


def test_staff_posts_require_csrf(cw, issued, as_user, csrf_on):
    client = as_user(cw.admin)
    base = f"/classes/{cw.class_a.id}/certificates"
    assert client.post(f"{base}/issue").status_code == 400
    assert client.post(f"{base}/{issued.code}/revoke").status_code == 400
    db.session.refresh(issued)
    assert not issued.revoked
