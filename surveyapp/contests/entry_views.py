"""Routes of product-round entries: the pupil's own team entry (no login, guarded by
``students.current_member``), the staff list and detail, and file downloads.

Rubric and judging routes are in ``judge_views.py``, results and prizes in
``results_views.py`` (imported at the end of this module).
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.accounts.models import Role
from surveyapp.contests import bp, entries, uploads
from surveyapp.contests import entry_access as access
from surveyapp.contests.clock import now
from surveyapp.contests.entry_forms import ActionForm, EntryForm, FileForm
from surveyapp.contests.entry_models import Entry, JudgeAssignment
from surveyapp.contests.models import Club
from surveyapp.errors import DomainError
from surveyapp.extensions import csrf, db
from surveyapp.localities.models import Locality
from surveyapp.security import public, roles_required, scope_for


def show_error(form, error: DomainError) -> None:
    """Put a service's message next to its field, or on top of the form."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def me():
    return current_user._get_current_object()


# ---------------------------------------------------------------- pupils (no login)


def _pupil_page(round_, team, entry, form, file_form, status=200):
    return (
        render_template(
            "contests/entry_pupil.html",
            round=round_,
            team=team,
            entry=entry,
            form=form,
            file_form=file_form,
            action_form=ActionForm(),
            is_open=entries.is_open(round_, now()),
            max_mb=uploads.file_limit_bytes(round_.max_file_mb) // (1024 * 1024),
        ),
        status,
    )


@bp.route("/contests/rounds/<int:round_id>/my-entry", methods=["GET", "POST"])
@public
def pupil_entry(round_id):
    round_ = access.product_round_or_404(round_id)
    _member, team = access.pupil_team_or_404(round_)
    entry = entries.entry_of(round_, team)
    form = EntryForm(obj=entry)
    form.set_categories(round_.categories or [])
    if form.validate_on_submit():
        try:
            entries.save_entry(
                round_,
                team,
                title=form.title.data,
                description=form.description.data,
                category=form.category.data,
                ai_usage=form.ai_usage.data,
                link=form.link.data,
                now=now(),
            )
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Your team's entry was saved."), "success")
            return redirect(url_for("contests.pupil_entry", round_id=round_.id))
    status = 400 if form.is_submitted() else 200
    return _pupil_page(round_, team, entry, form, FileForm(formdata=None), status)


@bp.route("/contests/rounds/<int:round_id>/my-entry/files", methods=["POST"])
@public
@csrf.exempt  # checked below, after raising the request size limit for this upload
def pupil_upload(round_id):
    cap_mb = int(current_app.config.get("CONTEST_MAX_FILE_MB", 50))
    request.max_content_length = (cap_mb + 1) * 1024 * 1024
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    round_ = access.product_round_or_404(round_id)
    _member, team = access.pupil_team_or_404(round_)
    entry = entries.entry_of(round_, team)
    if entry is None:
        abort(404)
    file_form = FileForm()
    if file_form.validate_on_submit():
        upload = file_form.file.data
        try:
            entries.add_file(
                entry,
                upload.stream,
                upload.filename,
                directory=uploads.upload_dir(),
                limit_bytes=uploads.file_limit_bytes(round_.max_file_mb),
                max_files=int(current_app.config.get("CONTEST_MAX_FILES_PER_ENTRY", 5)),
                now=now(),
            )
        except DomainError as error:
            db.session.rollback()
            show_error(file_form, error)
        else:
            db.session.commit()
            flash(_("The file was added to your entry."), "success")
            return redirect(url_for("contests.pupil_entry", round_id=round_.id))
    form = EntryForm(obj=entry, formdata=None)
    form.set_categories(round_.categories or [])
    return _pupil_page(round_, team, entry, form, file_form, 400)


@bp.route("/contests/my-entries/<int:entry_id>/files/<int:file_id>/delete", methods=["POST"])
@public
def pupil_delete_file(entry_id, file_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    entry = access.pupil_entry_or_404(entry_id)
    file = access.file_of_or_404(entry, file_id)
    try:
        entries.remove_file(entry, file, directory=uploads.upload_dir(), now=now())
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The file was removed."), "success")
    return redirect(url_for("contests.pupil_entry", round_id=entry.round_id))


@bp.route("/contests/my-entries/<int:entry_id>/files/<int:file_id>")
@public
def pupil_file(entry_id, file_id):
    entry = access.pupil_entry_or_404(entry_id)
    return _send(access.file_of_or_404(entry, file_id))


def _send(file):
    """The file as an attachment, never rendered inline. The body is read lazily, so the
    file is only opened while the response is actually sent."""
    path = uploads.path_of(uploads.upload_dir(), file.stored_name)
    if path is None or not os.path.isfile(path):
        abort(404)
    response = Response(
        uploads.read_chunks(path), mimetype=file.content_type, direct_passthrough=True
    )
    response.content_length = os.path.getsize(path)
    response.headers["Content-Disposition"] = uploads.attachment_header(
        uploads.download_name(file.original_name, file.content_type)
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- staff


def _visible_club_ids(user):
    """Clubs whose entries a non-organiser may list: the trainer's own clubs, or the
    clubs inside a coordinator's scope."""
    if user.role == Role.TRAINER:
        return list(db.session.scalars(sa.select(Club.id).where(Club.leader_id == user.id)))
    query = sa.select(Club.id).join(Locality, Club.locality_id == Locality.id)
    return list(db.session.scalars(query.where(scope_for().condition(Locality.path))))


@bp.route("/contests/product-rounds/<int:product_round_id>/entries")
@roles_required(Role.ADMIN, Role.COORDINATOR, Role.TRAINER)
def round_entries(product_round_id):
    user = me()
    round_ = access.product_round_or_404(product_round_id)
    organiser = access.is_organiser(user, round_.contest)
    club_ids = None if organiser else _visible_club_ids(user)
    found = entries.round_entries(round_, club_ids=club_ids)
    if not organiser and not found:
        abort(404)
    return render_template(
        "contests/entry_list.html", round=round_, entries=found, organiser=organiser
    )


@bp.route("/contests/entries/<int:entry_id>")
@roles_required(Role.ADMIN, Role.COORDINATOR, Role.TRAINER, Role.JUDGE)
def entry_detail(entry_id):
    user = me()
    entry = access.entry_for_staff_or_404(user, entry_id)
    organiser = access.is_organiser(user, entry.round.contest)
    return render_template(
        "contests/entry_detail.html",
        entry=entry,
        organiser=organiser,
        assignments=entry_assignments(entry) if organiser else [],
    )


def entry_assignments(entry: Entry) -> list[JudgeAssignment]:
    return list(
        db.session.scalars(
            sa.select(JudgeAssignment)
            .where(JudgeAssignment.entry_id == entry.id)
            .order_by(JudgeAssignment.id)
        )
    )


@bp.route("/contests/entries/<int:entry_id>/files/<int:file_id>")
@roles_required(Role.ADMIN, Role.COORDINATOR, Role.TRAINER, Role.JUDGE)
def entry_file(entry_id, file_id):
    entry = access.entry_for_staff_or_404(me(), entry_id)
    return _send(access.file_of_or_404(entry, file_id))


from surveyapp.contests import judge_views, results_views  # noqa: E402,F401
