"""``flask privacy purge|export|erase``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.extensions import db
from surveyapp.participants.models import Consent, Enrolment, Participant
from surveyapp.responses.models import Response

from .conftest import NAME, identify_learner


def _age(person, days):
    then = datetime.now(UTC) - timedelta(days=days)
    person.created_at = then
    for model, column in (
        (Consent, Consent.at),
        (Enrolment, Enrolment.enrolled_at),
        (Response, Response.submitted_at),
    ):
        db.session.execute(
            sa.update(model).where(model.participant_id == person.id).values({column.key: then})
        )
    db.session.flush()


def test_purge_dry_run_lists_and_changes_nothing(pw, runner):
    old = identify_learner(pw.class_b, "Sùng A Tủa", phone=None)
    _age(old, 800)
    result = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 participants inactive since" in result.output and "would be erased" in result.output
    assert old.public_id in result.output
    assert db.session.get(Participant, old.id).erased_at is None


def test_purge_uses_the_configured_period(pw, runner, app, monkeypatch):
    old = identify_learner(pw.class_b, "Sùng A Tủa", phone=None)
    _age(old, 100)
    _age(pw.learner, 20)
    monkeypatch.setitem(app.config, "PERSONAL_DATA_RETENTION_DAYS", 90)
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 participants" in result.output and "(90 days) erased" in result.output
    assert db.session.get(Participant, old.id).full_name == ""
    assert db.session.get(Participant, pw.learner.id).full_name == NAME
    result = runner.invoke(args=["privacy", "purge", "--older-than", "10"])
    assert "1 participants" in result.output
    assert db.session.get(Participant, pw.learner.id).full_name == ""
    assert runner.invoke(args=["privacy", "purge", "--older-than", "0"]).exit_code != 0


def test_export_and_erase_by_code(pw, runner):
    result = runner.invoke(args=["privacy", "export", pw.learner.public_id.lower()])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["profile"]["full_name"] == NAME
    csv_out = runner.invoke(args=["privacy", "export", pw.learner.public_id, "--format", "csv"])
    assert "full_name" in csv_out.output
    assert runner.invoke(args=["privacy", "export", "NOSUCH"]).exit_code != 0
    refused = runner.invoke(args=["privacy", "erase", pw.learner.public_id], input="n\n")
    assert refused.exit_code != 0
    assert db.session.get(Participant, pw.learner.id).full_name == NAME
    done = runner.invoke(args=["privacy", "erase", pw.learner.public_id, "--yes"])
    assert done.exit_code == 0, done.output
    assert db.session.get(Participant, pw.learner.id).full_name == ""
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions.count("participant.exported") == 2 and "participant.erased" in actions
    assert runner.invoke(args=["privacy", "erase", pw.learner.public_id, "--yes"]).exit_code != 0
