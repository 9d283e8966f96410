"""Instrument pages: the list, a version with its items, a preview exactly as trainees see
it, import (upload), export (download), new versions and the texts of one item.

Staff see national instruments and those of their area (or above it); administrators and
coordinators change them (coordinators only their own area's, see ``services.may_manage``).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.instruments import bp, engine, imports, services
from surveyapp.instruments.forms import ImportForm, choice_fields, item_text_form, texts_of
from surveyapp.instruments.i18n import current_language
from surveyapp.instruments.models import Instrument, InstrumentVersion
from surveyapp.localities.models import Locality
from surveyapp.security import MANAGERS, STAFF, roles_required, scope_for

EXPORT_TYPES = {"yaml": "application/yaml", "json": "application/json"}


def _actor():
    return current_user._get_current_object()


def _instrument_or_404(instrument_id: int) -> Instrument:
    """The instrument if the current user may see it; 404 otherwise (ids are not revealed)."""
    instrument = db.session.scalar(
        sa.select(Instrument).where(
            Instrument.id == instrument_id, services.visible_condition(scope_for())
        )
    )
    if instrument is None:
        abort(404)
    return instrument


def _version_or_404(instrument_id: int, number: int) -> tuple[Instrument, InstrumentVersion]:
    instrument = _instrument_or_404(instrument_id)
    version = services.get_version(instrument, number)
    if version is None:
        abort(404)
    return instrument, version


def _version_url(version: InstrumentVersion) -> str:
    return url_for(
        "instruments.version", instrument_id=version.instrument_id, number=version.number
    )


@bp.route("/instruments")
@roles_required(*STAFF)
def index():
    latest = (
        sa.select(
            InstrumentVersion.instrument_id.label("instrument_id"),
            sa.func.max(InstrumentVersion.number).label("number"),
        )
        .group_by(InstrumentVersion.instrument_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Instrument, latest.c.number, Locality.name)
        .outerjoin(latest, latest.c.instrument_id == Instrument.id)
        .outerjoin(Locality, Locality.id == Instrument.locality_id)
        .where(services.visible_condition(scope_for()))
        .order_by(Instrument.kind, Instrument.key)
    ).all()
    return render_template(
        "instruments/index.html", rows=rows, can_import=current_user.role in MANAGERS
    )


@bp.route("/instruments/<int:instrument_id>")
@roles_required(*STAFF)
def detail(instrument_id: int):
    instrument = _instrument_or_404(instrument_id)
    if instrument.latest is None:
        abort(404)
    return _version_page(instrument, instrument.latest)


@bp.route("/instruments/<int:instrument_id>/versions/<int:number>")
@roles_required(*STAFF)
def version(instrument_id: int, number: int):
    return _version_page(*_version_or_404(instrument_id, number))


def _version_page(instrument: Instrument, version: InstrumentVersion):
    scope = scope_for()
    can_manage = services.may_manage(_actor(), instrument, scope)
    competencies = Counter(item.competency for item in version.items if item.competency)
    return render_template(
        "instruments/version.html",
        instrument=instrument,
        version=version,
        frozen=services.is_frozen(version),
        can_manage=can_manage,
        can_copy=not can_manage and current_user.role in MANAGERS,
        page_count=len(engine.pages(version.items)),
        competencies=sorted(competencies.items()),
        max_score=sum((item.points for item in version.items if item.scored), start=0),
        owner=db.session.get(Locality, instrument.locality_id) if instrument.locality_id else None,
    )


@bp.route("/instruments/<int:instrument_id>/versions/<int:number>/preview")
@roles_required(*STAFF)
def preview(instrument_id: int, number: int):
    instrument, version = _version_or_404(instrument_id, number)
    groups = engine.pages(version.items)
    page = request.args.get("page", 1, type=int)
    if not groups or not 1 <= page <= len(groups):
        abort(404)
    items = groups[page - 1]
    return render_template(
        "instruments/preview.html",
        instrument=instrument,
        version=version,
        items=items,
        page=page,
        page_count=len(groups),
        conditions=[item for item in items if item.relevant],
        locale=current_language(),
    )


@bp.route("/instruments/<int:instrument_id>/versions/<int:number>/export")
@roles_required(*STAFF)
def export(instrument_id: int, number: int):
    instrument, version = _version_or_404(instrument_id, number)
    file_format = request.args.get("format", "yaml")
    if file_format not in EXPORT_TYPES:
        abort(400)
    filename = f"{instrument.key}-v{version.number}.{file_format}"
    return Response(
        services.export_text(version, file_format),
        mimetype=EXPORT_TYPES[file_format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/instruments/<int:instrument_id>/versions/<int:number>/clone", methods=["POST"])
@roles_required(*MANAGERS)
def clone(instrument_id: int, number: int):
    instrument, version = _version_or_404(instrument_id, number)
    actor, scope, now = _actor(), scope_for(), datetime.now(UTC)
    try:
        if services.may_manage(actor, instrument, scope):
            new = services.clone_version(version, actor, scope=scope, now=now)
            message = _("Version %(n)s was made; you can now edit it.", n=new.number)
        else:
            new = services.clone_into_scope(version, actor, now=now)
            message = _("A copy for your area was made: %(key)s.", key=new.instrument.key)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(_version_url(version))
    db.session.commit()
    flash(message, "success")
    return redirect(_version_url(new))


@bp.route(
    "/instruments/<int:instrument_id>/versions/<int:number>/items/<item_key>",
    methods=["GET", "POST"],
)
@roles_required(*MANAGERS)
def edit_item(instrument_id: int, number: int, item_key: str):
    instrument, version = _version_or_404(instrument_id, number)
    item = next((i for i in version.items if i.key == item_key), None)
    if item is None:
        abort(404)
    if not services.may_manage(_actor(), instrument, scope_for()):
        abort(403)
    frozen = services.is_frozen(version)
    form = item_text_form(item)
    if form.validate_on_submit() and not frozen:
        try:
            services.update_item_texts(
                version, item.key, actor=_actor(), scope=scope_for(), **texts_of(form, item)
            )
        except DomainError as error:
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The texts of %(key)s were saved.", key=item.key), "success")
            return redirect(_version_url(version) + f"#item-{item.key}")
    status = 400 if form.is_submitted() else 200
    return render_template(
        "instruments/item_form.html",
        instrument=instrument,
        version=version,
        item=item,
        form=form,
        choices=choice_fields(form, item),
        frozen=frozen,
    ), status


@bp.route("/instruments/import", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_file():
    form = ImportForm()
    report, status = None, 200
    if form.validate_on_submit():
        upload = form.file.data
        report = imports.import_file(
            upload.read(),
            upload.filename or "",
            actor=_actor(),
            scope=scope_for(),
            key=form.key.data or None,
            kind=form.kind.data or None,
            now=datetime.now(UTC),
        )
        if report.ok:
            db.session.commit()
            instrument = services.find_instrument(report.key)
            return render_template(
                "instruments/imported.html", report=report, instrument=instrument
            )
        db.session.rollback()
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template("instruments/import.html", form=form, report=report), status
