"""Export pages: the choice of what to export, and the downloads (CSV streamed, XLSX from a
temporary file). Access: administrators, coordinators and evaluators, within their scope."""

from __future__ import annotations

import tempfile

import sqlalchemy as sa
from flask import Response, abort, render_template, request, send_file, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from surveyapp.accounts.models import Role
from surveyapp.campaigns import queries as campaign_queries
from surveyapp.campaigns.view_helpers import campaign_or_404, locality_trail, show_error
from surveyapp.errors import DomainError
from surveyapp.exports import bp, people, queries, services
from surveyapp.exports.forms import ExportForm
from surveyapp.exports.writers import MIMETYPES, Table, content_disposition, table_csv, write_xlsx
from surveyapp.extensions import db
from surveyapp.instruments.i18n import tr
from surveyapp.localities.models import Locality
from surveyapp.security import READERS, roles_required, scope_for


def send_table(table: Table, fmt: str) -> Response:
    """A download of ``table``: CSV streamed as it is read, XLSX written to a temporary file."""
    if fmt == "csv":
        response = Response(stream_with_context(table_csv(table)), content_type=MIMETYPES["csv"])
        response.headers["X-Accel-Buffering"] = "no"
    else:
        # Not a ``with`` block: send_file closes the file once the response is sent.
        stream = tempfile.TemporaryFile()  # noqa: SIM115
        write_xlsx(table, stream)
        stream.seek(0)
        response = send_file(
            stream, mimetype=MIMETYPES["xlsx"], as_attachment=True, download_name=table.name
        )
    response.headers["Content-Disposition"] = content_disposition(table.name)
    response.headers["Cache-Control"] = "no-store"
    return response


def _requested_locality(campaign, scope) -> Locality:
    """``?locality=<id>`` (the user's head of the campaign by default): 400 when not a
    number, 404 when outside the campaign's tree or the user's scope."""
    raw = request.args.get("locality", "")
    if raw and not raw.isdigit():
        raise DomainError(_("The area must be chosen from the list."))
    locality = campaign_queries.drill_locality(campaign, scope, int(raw) if raw else None)
    if locality is None:
        abort(404)
    return locality


def version_label(version) -> str:
    title = tr(version.title) or tr(version.instrument.title)
    return f"{title} · v{version.number} ({version.instrument.key})"


def _form(campaign, base: Locality, scope, versions) -> ExportForm:
    form = ExportForm(formdata=request.args)
    children = db.session.scalars(
        sa.select(Locality)
        .where(Locality.parent_id == base.id, scope.condition(Locality.path))
        .order_by(Locality.name)
    ).all()
    form.locality.choices = [SelectChoice(base.id, base.label)] + [
        SelectChoice(child.id, "\u00a0\u00a0" + child.label) for child in children
    ]
    if "locality" not in request.args:
        form.locality.data = base.id
    form.version.choices = [SelectChoice("", _("All versions (long layout only)"))] + [
        SelectChoice(v.id, version_label(v)) for v in versions
    ]
    return form


def _page(campaign, head: Locality, scope, form, versions, status: int = 200):
    return render_template(
        "exports/index.html",
        campaign=campaign,
        head=head,
        trail=locality_trail(campaign, head, scope),
        form=form,
        versions=versions,
        is_admin=current_user.role == Role.ADMIN,
        people_available=people.available(),
        version_label=version_label,
    ), status


@bp.route("/campaigns/<int:campaign_id>/exports")
@roles_required(*READERS)
def index(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    scope = scope_for()
    head = _requested_locality(campaign, scope)
    versions = queries.campaign_versions(campaign)
    return _page(campaign, head, scope, _form(campaign, head, scope, versions), versions)


@bp.route("/campaigns/<int:campaign_id>/exports/responses")
@roles_required(*READERS)
def responses(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    scope = scope_for()
    head = _requested_locality(campaign, scope)
    versions = queries.campaign_versions(campaign)
    form = _form(campaign, head, scope, versions)
    if not form.validate():
        return _page(campaign, head, scope, form, versions, 400)
    try:
        spec = services.response_export(
            current_user._get_current_object(),
            campaign,
            head,
            shape=form.shape.data,
            fmt=form.format.data,
            version=next((v for v in versions if v.id == form.version.data), None),
            identities=form.identities.data,
        )
    except DomainError as error:
        db.session.rollback()
        if error.status_code != 400:
            raise
        show_error(form, error)
        return _page(campaign, head, scope, form, versions, 400)
    db.session.commit()
    return send_table(services.response_table(spec), spec.fmt)


@bp.route("/campaigns/<int:campaign_id>/exports/versions/<int:version_id>/codebook")
@roles_required(*READERS)
def codebook(campaign_id: int, version_id: int):
    campaign = campaign_or_404(campaign_id)
    version = queries.version_in_campaign(campaign, version_id)
    if version is None:
        abort(404)
    fmt = services.check_format(request.args.get("format", "csv"))
    return send_table(services.codebook_table(version, fmt), fmt)


def _people(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    head = _requested_locality(campaign, scope_for())
    fmt = services.check_format(request.args.get("format", "csv"))
    return send_table(people.people_table(campaign, head, fmt), fmt)


# The people export needs the indicators' per-person query; without it there is no route.
if people.available():
    bp.route("/campaigns/<int:campaign_id>/exports/people", endpoint="people")(
        roles_required(*READERS)(_people)
    )
