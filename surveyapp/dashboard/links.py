"""Links from the dashboard to pages of other parts (exports, the rule, item analysis).

Those pages are found in the app's URL map when the page is drawn, by their path rather
than by an endpoint name, so a page that does not exist (yet) is simply not linked and the
dashboard never fails on a missing endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import current_app, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.instruments.i18n import tr
from surveyapp.instruments.models import Instrument, InstrumentKind, InstrumentVersion
from surveyapp.responses.models import ClassForm

ANALYSIS_ARGS = ({"version_id"}, {"instrument_id", "number"})


@dataclass(frozen=True)
class VersionLink:
    title: str
    number: int
    url: str


def existing_path(path: str) -> str | None:
    """``path`` when a GET route of the app answers it and the current user's role may
    open it (``security.roles_required``), else None: no link leads to a 403."""
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _arguments = adapter.match(path, method="GET")
    except RequestRedirect as redirect:
        return redirect.new_url.split("localhost", 1)[-1]
    except HTTPException:
        return None
    rule = getattr(current_app.view_functions.get(endpoint), "access_rule", None)
    role = getattr(current_user, "role", None)  # None: nobody logged in
    if rule is not None and rule[0] == "roles" and role not in rule[1]:
        return None
    return request.script_root + path


def campaign_links(campaign_id: int) -> dict[str, str | None]:
    return {
        "exports": existing_path(f"/campaigns/{campaign_id}/exports"),
        "rule": existing_path(f"/campaigns/{campaign_id}/indicator-rule"),
    }


def _analysis_rules():
    """GET routes of the scoring part that show an item analysis of one version."""
    for rule in current_app.url_map.iter_rules():
        if not rule.endpoint.startswith("scoring.") or "GET" not in (rule.methods or ()):
            continue
        if "analysis" not in rule.rule and "analysis" not in rule.endpoint:
            continue
        if set(rule.arguments) in ANALYSIS_ARGS:
            yield rule


def item_analysis_links(campaign_id: int, locality_id: int | None = None) -> list[VersionLink]:
    """Item analysis pages of the skill tests the campaign's classes use, narrowed to the
    campaign (and the locality shown) through the page's query arguments."""
    rules = list(_analysis_rules())
    if not rules:
        return []
    versions = db.session.execute(
        sa.select(
            InstrumentVersion.id,
            InstrumentVersion.instrument_id,
            InstrumentVersion.number,
            Instrument.title,
        )
        .join(Instrument, Instrument.id == InstrumentVersion.instrument_id)
        .where(
            Instrument.kind == InstrumentKind.SKILL_TEST,
            InstrumentVersion.id.in_(
                sa.select(ClassForm.version_id)
                .join(TrainingClass, TrainingClass.id == ClassForm.class_id)
                .where(TrainingClass.campaign_id == campaign_id)
            ),
        )
        .order_by(Instrument.id, InstrumentVersion.number)
    ).all()
    rule = rules[0]
    query = {"campaign_id": campaign_id}
    if locality_id is not None:
        query["locality_id"] = locality_id
    links = []
    for version_id, instrument_id, number, title in versions:
        values = {"version_id": version_id, "instrument_id": instrument_id, "number": number}
        url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)
        if url is not None:
            path = request.script_root + url[1] + "?" + urlencode(query)
            links.append(VersionLink(title=tr(title), number=number, url=path))
    return links
