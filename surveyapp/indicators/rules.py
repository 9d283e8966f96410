"""Which rule a campaign uses: its latest stored version, or the default rule."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from surveyapp.extensions import db

from .models import IndicatorRule
from .rule import DEFAULT_RULE, Rule


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
