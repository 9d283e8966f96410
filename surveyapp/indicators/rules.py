"""Which rule a campaign uses (its latest stored version, or the default rule), saving a
new version and reading the history.

``save_rule`` is the one way a rule changes: it validates the submitted fields with
``Rule.from_dict`` (the version is always the next one), refuses a rule identical to the
current one, stores a new ``IndicatorRule`` row (old rows are never updated) and writes
an audit entry with the old and the new definition. It flushes but never commits.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from surveyapp.accounts.models import Role
from surveyapp.audit.services import record
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.security import compute_scope

from .models import IndicatorRule
from .rule import DEFAULT_RULE, Rule

NOTE_MAX = 500


@dataclass(frozen=True)
class StoredRule:
    rule: Rule
    record: IndicatorRule | None  # None: the campaign uses the default rule

    @property
    def version(self) -> int:
        return self.rule.version


def current_rule(campaign_id: int) -> StoredRule:
    record = db.session.scalar(
        sa.select(IndicatorRule)
        .where(IndicatorRule.campaign_id == campaign_id)
        .order_by(IndicatorRule.version.desc())
        .limit(1)
    )
    if record is None:
        return StoredRule(DEFAULT_RULE, None)
    return StoredRule(Rule.from_dict(record.definition), record)


def rule_history(campaign_id: int) -> list[IndicatorRule]:
    """The stored versions of the campaign's rule, newest first (the default v1 is not stored)."""
    return list(
        db.session.scalars(
            sa.select(IndicatorRule)
            .where(IndicatorRule.campaign_id == campaign_id)
            .order_by(IndicatorRule.version.desc())
        )
    )


def may_edit_rule(actor, campaign) -> bool:
    """Admins, and coordinators whose scope holds the campaign's whole area."""
    if actor is None:
        return True
    if actor.role == Role.ADMIN:
        return True
    if actor.role != Role.COORDINATOR:
        return False
    return compute_scope(actor).contains(campaign.root_locality)


def _without_version(definition: dict) -> dict:
    return {key: value for key, value in definition.items() if key != "version"}


def save_rule(
    campaign, data: dict, actor, note: str = "", *, expected_version: int | None = None
) -> IndicatorRule:
    """Store ``data`` (the fields of ``Rule.to_dict()``; any ``version`` is ignored) as the
    campaign's next rule version. ``expected_version``, when given, is the version the
    editor started from: a rule saved by someone else meanwhile is not overwritten."""
    if not may_edit_rule(actor, campaign):
        raise NotAllowed(
            _("Only an administrator or a coordinator of the campaign's area may change its rule.")
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(
            _("The note may have at most %(max)s characters.", max=NOTE_MAX), field="note"
        )
    current = current_rule(campaign.id)
    if expected_version is not None and expected_version != current.version:
        raise DomainError(
            _(
                "Someone saved version %(version)s of the rule while you were editing. "
                "Check it and save again.",
                version=current.version,
            )
        )
    if not isinstance(data, dict):
        data = {}
    rule = Rule.from_dict({**data, "version": current.version + 1})
    old = current.rule.to_dict()
    new = rule.to_dict()
    if _without_version(new) == _without_version(old):
        raise DomainError(_("This is the rule in use already; nothing was saved."))
    stored = IndicatorRule(
        campaign_id=campaign.id,
        version=rule.version,
        definition=new,
        note=note,
        created_by_id=getattr(actor, "id", None),
    )
    try:
        with db.session.begin_nested():
            db.session.add(stored)
    except IntegrityError:
        raise DomainError(
            _("Someone saved the rule at the same moment. Check it and save again.")
        ) from None
    record(
        actor,
        "indicator_rule.saved",
        stored,
        locality_id=campaign.root_locality_id,
        campaign_id=campaign.id,
        version=rule.version,
        old=old,
        new=new,
        note=note,
    )
    return stored
