"""Routes of the scoring blueprint: the marking queue of a class, marking one answer,
correcting an answer key (with rescoring) and the item analysis of a version.

Marking: trainers of the class, coordinators whose scope holds it, admins. Answer keys:
whoever may edit the instrument (``instruments.services.may_manage``). Item analysis: all
staff, over the responses they may see (scope; a trainer's own classes).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from surveyapp.accounts.models import Role
from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import TrainingClass
from surveyapp.classes.services import visible_classes
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.instruments import services as instrument_services
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.instruments.qtypes import get_type
from surveyapp.localities.models import Locality
from surveyapp.participants.models import Participant
from surveyapp.responses.access import FORM_MANAGERS, managed_class_or_404
from surveyapp.responses.models import Moment, Response
from surveyapp.responses.moments import moment_label
from surveyapp.scoring import bp, marking, rescoring
from surveyapp.scoring.forms import MarkForm, answer_key_form
from surveyapp.scoring.item_analysis import version_item_analysis
from surveyapp.security import MANAGERS, STAFF, roles_required, scope_for

FLAG_LABELS = {
    "too_easy": _l("too easy"),
    "too_hard": _l("too hard"),
    "negative_discrimination": _l("negative discrimination: check the key"),
    "low_discrimination": _l("low discrimination"),
}


def _actor():
    return current_user._get_current_object()


@bp.app_template_global("answer_key_form")
def _answer_key_form_global(item):
    """The key form of ``item`` showing its current key (for the version page)."""
    key = item.answer_key
    data = key if isinstance(key, list) else (None if key is None else str(key))
    return answer_key_form(item, prefix=f"key-{item.key}", formdata=None, data={"answer_key": data})


@bp.app_template_global("key_editable")
def _key_editable(item) -> bool:
    return get_type(item.qtype).scorable


@bp.context_processor
def _helpers():
    return {"moment_label": moment_label}


# ---------------------------------------------------------------- marking


def _queue_page(cls: TrainingClass, typed: dict | None = None, status: int = 200):
    pending, marked = marking.marking_queue(cls.id)
    people = {a.response.participant_id for a in pending + marked}
    public_ids = dict(
        db.session.execute(
            sa.select(Participant.id, Participant.public_id).where(Participant.id.in_(people))
        ).all()
    )
    return render_template(
        "scoring/marking.html",
        cls=cls,
        pending=pending,
        marked=marked,
        public_ids=public_ids,
        typed=typed or {},
    ), status


@bp.route("/classes/<int:class_id>/marking")
@roles_required(*FORM_MANAGERS)
def marking_queue(class_id: int):
    return _queue_page(managed_class_or_404(class_id))


@bp.route("/responses/<int:response_id>/items/<item_key>/mark", methods=["POST"])
@roles_required(*FORM_MANAGERS)
def mark(response_id: int, item_key: str):
    response = db.session.get(Response, response_id)
    if response is None or response.class_id is None:
        abort(404)
    cls = managed_class_or_404(response.class_id)
    answer = marking.find_answer(response_id, item_key)
    if answer is None:
        abort(404)
    form = MarkForm()
    form.validate_on_submit()
    try:
        marking.mark_answer(answer, form.points.data, _actor(), note=form.note.data or "")
    except DomainError as error:
        db.session.rollback()
        typed = {"points": form.points.data, "note": form.note.data, "error": str(error.message)}
        return _queue_page(cls, {answer.id: typed}, 400)
    db.session.commit()
    flash(_("The answer was marked."), "success")
    return redirect(url_for("scoring.marking_queue", class_id=cls.id))


# ---------------------------------------------------------------- answer keys


def _version_or_404(instrument_id: int, number: int) -> tuple[Instrument, InstrumentVersion]:
    instrument = db.session.scalar(
        sa.select(Instrument).where(
            Instrument.id == instrument_id,
            instrument_services.visible_condition(scope_for()),
        )
    )
    version = instrument_services.get_version(instrument, number) if instrument else None
    if version is None:
        abort(404)
    return instrument, version


@bp.route(
    "/instruments/<int:instrument_id>/versions/<int:number>/items/<item_key>/answer-key",
    methods=["POST"],
)
@roles_required(*MANAGERS)
def answer_key(instrument_id: int, number: int, item_key: str):
    instrument, version = _version_or_404(instrument_id, number)
    item = next((i for i in version.items if i.key == item_key), None)
    if item is None:
        abort(404)
    scope = scope_for()
    if not rescoring.may_change_key(_actor(), item, scope):
        abort(403)
    form = answer_key_form(item, prefix=f"key-{item.key}")
    form.validate_on_submit()
    try:
        done = rescoring.change_answer_key(item, form.answer_key.data, _actor(), scope=scope)
    except DomainError as error:
        db.session.rollback()
        form.answer_key.errors = [str(error.message)]
        return render_template(
            "scoring/answer_key.html", instrument=instrument, version=version, item=item, form=form
        ), 400
    db.session.commit()
    flash(
        _(
            "The answer key of %(key)s was changed: %(changed)s of %(total)s responses"
            " got a new score.",
            key=item.key,
            changed=done.changed,
            total=done.responses,
        ),
        "success",
    )
    url = url_for("instruments.version", instrument_id=instrument.id, number=version.number)
    return redirect(f"{url}#item-{item.key}")


# ---------------------------------------------------------------- item analysis


def _filters(version: InstrumentVersion, scope):
    """Campaigns and localities holding visible responses of ``version`` (filter choices)."""
    classes = visible_classes(_actor(), scope).where(
        TrainingClass.id.in_(sa.select(Response.class_id).where(Response.version_id == version.id))
    )
    visible = classes.subquery()
    campaigns = db.session.scalars(
        sa.select(Campaign)
        .where(Campaign.id.in_(sa.select(visible.c.campaign_id)))
        .order_by(Campaign.name)
    ).all()
    paths = db.session.scalars(
        classes.with_only_columns(Locality.path).distinct().order_by(None)
    ).all()
    ids = {int(part) for path in paths for part in path.strip("/").split("/")}
    localities = db.session.scalars(
        sa.select(Locality)
        .where(Locality.id.in_(ids or {-1}), scope.condition(Locality.path))
        .order_by(Locality.path)
    ).all()
    return campaigns, localities


def _campaign_arg(scope) -> Campaign | None:
    """The ``?campaign_id=`` campaign; 404 when it is not visible to the user."""
    value = request.args.get("campaign_id", type=int)
    if value is None:
        return None
    campaign = db.session.scalar(
        sa.select(Campaign).where(
            Campaign.id == value, scope.campaign_condition(Campaign.root_locality_id)
        )
    )
    if campaign is None:
        abort(404)
    return campaign


def _locality_arg(scope) -> Locality | None:
    """The ``?locality_id=`` locality; 404 when it lies outside the user's scope."""
    value = request.args.get("locality_id", type=int)
    if value is None:
        return None
    locality = db.session.get(Locality, value)
    if locality is None or not scope.contains(locality):
        abort(404)
    return locality


@bp.route("/instruments/<int:instrument_id>/versions/<int:number>/analysis")
@roles_required(*STAFF)
def analysis(instrument_id: int, number: int):
    instrument, version = _version_or_404(instrument_id, number)
    scope = scope_for()
    campaigns, localities = _filters(version, scope)
    campaign = _campaign_arg(scope)
    locality = _locality_arg(scope)
    moment = request.args.get("moment") or None
    if moment not in (None, *(m.value for m in Moment)):
        abort(400)
    class_ids = None
    if current_user.role == Role.TRAINER:
        class_ids = visible_classes(_actor(), scope).with_only_columns(TrainingClass.id)
    report = version_item_analysis(
        version,
        campaign=campaign,
        head=locality,
        scope=None if scope.unrestricted else scope,
        class_ids=class_ids,
        moment=moment,
    )
    return render_template(
        "scoring/analysis.html",
        instrument=instrument,
        version=version,
        report=report,
        campaigns=campaigns,
        localities=localities,
        chosen={"campaign": campaign, "locality": locality, "moment": moment},
        moments=list(Moment),
        flag_labels=FLAG_LABELS,
    )
