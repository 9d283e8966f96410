"""The people export: one row per learner of a campaign under a locality, with the evidence
and the outcome of the indicator rule, so every published figure can be recomputed.

The rows come from ``surveyapp.indicators.people.person_outcomes`` (the same SELECT the
indicators count), streamed like the response exports; the first column holds the version
of the rule that decided the outcomes. Learners appear by public id only.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from surveyapp.campaigns.models import Campaign
from surveyapp.exports.services import YIELD_PER, check_format, iso_utc, number
from surveyapp.exports.writers import Table, safe_text
from surveyapp.extensions import db
from surveyapp.localities.models import Locality

MODULE = "surveyapp.indicators.people"


def available() -> bool:
    """Whether the indicators package provides ``person_outcomes``."""
    try:
        return importlib.util.find_spec(MODULE) is not None
    except ImportError:
        return False


def cell(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_text(value)
    return value


def people_table(campaign: Campaign, head: Locality, fmt: str = "csv") -> Table:
    check_format(fmt)
    from surveyapp.indicators.people import person_outcomes
    from surveyapp.indicators.rules import current_rule

    query = person_outcomes(campaign, head)
    version = current_rule(campaign.id).version

    def rows() -> Iterator[list]:
        connection = db.session.connection()
        with connection.execute(query.execution_options(yield_per=YIELD_PER)) as result:
            for row in result:
                yield [version, *(cell(value) for value in row)]

    header = ["rule_version", *query.selected_columns.keys()]
    name = f"people-{campaign.id}-{head.name}.{fmt}"
    return Table(header, rows(), name, sheet="people")
