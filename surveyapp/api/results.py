"""/api/v1 results: item analysis of an instrument version and answers in long form."""

from __future__ import annotations

from datetime import UTC

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import Role
from surveyapp.classes.models import TrainingClass
from surveyapp.classes.services import visible_classes
from surveyapp.exports.queries import response_answers
from surveyapp.extensions import db
from surveyapp.instruments import services as instrument_services
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.localities.models import Locality
from surveyapp.responses.models import Answer, Response
from surveyapp.scoring.item_analysis import version_item_analysis
from surveyapp.security import READERS, STAFF, scope_for

from .auth import api_roles
from .blueprint import blp, caller, documented_errors
from .campaigns import campaign_locality_or_404, campaign_or_404
from .errors import api_abort
from .localities import locality_in_scope_or_404
from .pagination import cursor_part
from .schemas_results import AnswerPage, ItemAnalysisArgs, ItemAnalysisSchema, ResponsePageArgs

NO_VERSION = _l("No such instrument version in your scope.")


def _version_or_404(instrument_id: int, number: int) -> InstrumentVersion:
    instrument = db.session.scalar(
        sa.select(Instrument).where(
            Instrument.id == instrument_id, instrument_services.visible_condition(scope_for())
        )
    )
    version = instrument_services.get_version(instrument, number) if instrument else None
    if version is None:
        api_abort(404, NO_VERSION)
    return version


def _item_body(row) -> dict:
    item, stats, options = row.item, row.stats, row.options
    listed = []
    if options is not None:
        listed = [
            {"value": str(value), "count": count, "share": options.share(value)}
            | {"is_key": str(value) in row.key_values}
            for value, count in options.counts.items()
        ]
    return {
        "key": item.key,
        "position": item.position,
        "qtype": item.qtype,
        "label": {str(k): str(v) for k, v in (item.label or {}).items()},
        "competency": item.competency,
        "points": item.points,
        "facility": stats.facility,
        "facility_flag": stats.facility_flag,
        "discrimination": stats.discrimination,
        "item_rest": stats.item_rest,
        "item_rest_band": stats.item_rest_band,
        "alpha_if_deleted": stats.alpha_if_deleted,
        "flags": list(row.flags),
        "n_answered": options.n_answered if options else None,
        "n_missing": options.n_missing if options else None,
        "options": listed,
    }


@blp.route(
    "/api/v1/instruments/<int(max=2147483647):instrument_id>/versions/<int(max=2147483647):number>/item-analysis"
)
@api_roles(*STAFF)
@blp.arguments(ItemAnalysisArgs, location="query", as_kwargs=True)
@blp.response(200, ItemAnalysisSchema)
@documented_errors(404)
def item_analysis(instrument_id: int, number: int, **args):
    """Difficulty, discrimination, reliability and option counts of one instrument version,
    over the not excluded responses the caller may see (a trainer: their classes)."""
    version = _version_or_404(instrument_id, number)
    scope = scope_for()
    campaign = campaign_or_404(args["campaign_id"]) if "campaign_id" in args else None
    head = None
    if "locality" in args:
        head = locality_in_scope_or_404(args.get("scheme"), args["locality"])
    class_ids = None
    if caller().role == Role.TRAINER:
        class_ids = visible_classes(caller(), scope).with_only_columns(TrainingClass.id)
    report = version_item_analysis(
        version,
        campaign=campaign,
        head=head,
        scope=None if scope.unrestricted else scope,
        class_ids=class_ids,
        moment=args.get("moment"),
    )
    return {
        "instrument_id": version.instrument_id,
        "instrument_key": version.instrument.key,
        "version_number": version.number,
        "n": report.n,
        "n_excluded": report.n_excluded,
        "hand_marked": report.hand_marked,
        "overall": report.overall,
        "competencies": report.competencies,
        "items": [_item_body(row) for row in report.items],
    }


def _labels(rows) -> tuple[dict, dict, dict]:
    """Locality code per class, (instrument key, number) per version, key per item: only
    for the ids on this page (three small queries)."""
    classes = dict(
        db.session.execute(
            sa.select(TrainingClass.id, Locality.code)
            .join(Locality, Locality.id == TrainingClass.locality_id)
            .where(TrainingClass.id.in_({r.class_id for r in rows if r.class_id is not None}))
        )
        .tuples()
        .all()
    )
    versions = {
        vid: (key, number)
        for vid, key, number in db.session.execute(
            sa.select(InstrumentVersion.id, Instrument.key, InstrumentVersion.number)
            .join(Instrument)
            .where(InstrumentVersion.id.in_({r.version_id for r in rows}))
        )
        .tuples()
        .all()
    }
    items = dict(
        db.session.execute(
            sa.select(Item.id, Item.key).where(Item.id.in_({r.item_id for r in rows}))
        )
        .tuples()
        .all()
    )
    return classes, versions, items


def _answer_body(row, classes, versions, items) -> dict:
    submitted = row.submitted_at
    if submitted is not None and submitted.tzinfo is None:
        submitted = submitted.replace(tzinfo=UTC)  # SQLite keeps no offset; stored in UTC
    key, number = versions[row.version_id]
    return {
        "response_id": row.id,
        "receipt_code": row.receipt_code,
        "participant": row.public_id,
        "segment": row.segment,
        "class_id": row.class_id,
        "locality_code": classes.get(row.class_id),
        "instrument_key": key,
        "version_number": number,
        "moment": row.moment,
        "submitted_at": submitted,
        "score": row.score,
        "max_score": row.max_score,
        "excluded": bool(row.excluded),
        "flags": [str(flag) for flag in row.flags or []],
        "item_key": items[row.item_id],
        "value": row.value,
        "number": row.number,
        "points": row.points,
    }


@blp.route("/api/v1/campaigns/<int(max=2147483647):campaign_id>/responses")
@api_roles(*READERS)
@blp.arguments(ResponsePageArgs, location="query", as_kwargs=True)
@blp.response(200, AnswerPage)
@documented_errors(404)
def responses(campaign_id: int, limit: int, include_excluded: bool, **args):
    """Answers in long form (one row per answer), by response then item, a page at a time;
    participants are pseudonymous (their public id)."""
    campaign = campaign_or_404(campaign_id)
    head = campaign_locality_or_404(campaign, args.get("locality"))
    query = response_answers(campaign, head, version_id=args.get("version_id"))
    if not include_excluded:
        query = query.where(Response.excluded.is_(False))
    if "cursor" in args:
        response_id, item_id = (cursor_part(part) for part in args["cursor"].split("-"))
        query = query.where(sa.tuple_(Response.id, Answer.item_id) > (response_id, item_id))
    rows = db.session.execute(query.limit(limit + 1)).all()
    more, rows = len(rows) > limit, rows[:limit]
    labels = _labels(rows) if rows else ({}, {}, {})
    return {
        "items": [_answer_body(row, *labels) for row in rows],
        "limit": limit,
        "next_cursor": f"{rows[-1].id}-{rows[-1].item_id}" if more else None,
    }
