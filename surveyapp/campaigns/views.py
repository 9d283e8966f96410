"""Campaign pages: list, create/edit, detail with the plan, targets, populations, imports.

The member and material pages live in ``item_views``; shared helpers in ``view_helpers``.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.campaigns import bp, importers, item_views, queries, services  # noqa: F401
from surveyapp.campaigns.forms import CampaignForm, ImportForm, PopulationsForm, TargetsForm
from surveyapp.campaigns.models import Metric, Segment
from surveyapp.campaigns.view_helpers import (
    PER_PAGE,
    campaign_or_404,
    chosen_locality,
    handle,
    locality_trail,
)
from surveyapp.extensions import db
from surveyapp.localities.lookup import find_locality, scheme_choices
from surveyapp.security import MANAGERS, STAFF, roles_required, scope_for


@bp.route("/campaigns")
@roles_required(*STAFF)
def index():
    scope = scope_for()
    page = db.paginate(
        queries.visible_campaigns(scope),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    may_create = current_user.role in MANAGERS
    return render_template("campaigns/index.html", page=page, may_create=may_create)


def _campaign_form(campaign) -> CampaignForm:
    form = CampaignForm(obj=campaign)
    form.scheme.choices = scheme_choices()
    if not form.is_submitted() and campaign is not None:
        form.scheme.data = campaign.root_locality.scheme.code
        form.root_code.data = campaign.root_locality.code
    return form


def _campaign_fields(form: CampaignForm) -> services.CampaignFields:
    return services.CampaignFields(
        name=form.name.data,
        root_locality=find_locality(form.scheme.data, form.root_code.data),
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        status=form.status.data,
        description=form.description.data or "",
        parent_body=form.parent_body.data or "",
        issuing_body=form.issuing_body.data or "",
    )


@bp.route("/campaigns/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new():
    form = _campaign_form(None)
    ok, campaign, status = handle(
        form, lambda: services.create_campaign(current_user, scope_for(), _campaign_fields(form))
    )
    if ok:
        flash(_("The campaign was created."), "success")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return render_template("campaigns/form.html", form=form, campaign=None), status


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    scope = scope_for()
    services.check_may_manage(current_user, scope, campaign.root_locality)
    form = _campaign_form(campaign)
    ok, _result, status = handle(
        form,
        lambda: services.update_campaign(current_user, scope, campaign, _campaign_fields(form)),
    )
    if ok:
        flash(_("The campaign was saved."), "success")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return render_template("campaigns/form.html", form=form, campaign=campaign), status


@bp.route("/campaigns/<int:campaign_id>")
@roles_required(*STAFF)
def detail(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    scope = scope_for()
    head = chosen_locality(campaign, scope)
    top, children = queries.plan_table(campaign, head)
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        head=head,
        trail=locality_trail(campaign, head, scope),
        top=top,
        children=children,
        children_sum=queries.children_plan_sum(children),
        populations=queries.population_table(campaign, head),
        metrics=list(Metric),
        may_edit_campaign=services.may_manage(current_user, scope, campaign.root_locality),
        may_edit_plan=services.may_manage(current_user, scope, head),
    )


def _back_to_plan(campaign, locality):
    """The detail page showing ``locality`` as a row: its parent's page when allowed."""
    scope = scope_for()
    parent = locality.parent
    shown = parent if parent is not None and services.in_campaign(campaign, parent) else locality
    if not scope.contains(shown):
        shown = locality
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id, locality=shown.id))


@bp.route("/campaigns/<int:campaign_id>/targets", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def targets(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    scope = scope_for()
    locality = chosen_locality(campaign, scope)
    form = TargetsForm()
    if not form.is_submitted():
        for metric, value in queries.current_targets(campaign, locality).items():
            form[f"target_{metric}"].data = value
    values = {m: form[f"target_{m}"].data for m in Metric}
    ok, changed, status = handle(
        form, lambda: services.set_targets(current_user, scope, campaign, locality, values)
    )
    if ok:
        flash(_("The plan was saved (%(n)s changes).", n=changed), "success")
        return _back_to_plan(campaign, locality)
    return render_template(
        "campaigns/targets.html", form=form, campaign=campaign, locality=locality, metrics=Metric
    ), status


@bp.route("/campaigns/<int:campaign_id>/populations", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def populations(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    scope = scope_for()
    locality = chosen_locality(campaign, scope)
    form = PopulationsForm()
    if not form.is_submitted():
        for segment, row in queries.current_populations(campaign, locality).items():
            form[f"population_{segment}"].data = row.population
            form[f"rate_{segment}"].data = row.target_rate
    values = {s: (form[f"population_{s}"].data, form[f"rate_{s}"].data) for s in Segment}
    ok, changed, status = handle(
        form, lambda: services.set_populations(current_user, scope, campaign, locality, values)
    )
    if ok:
        flash(_("The population figures were saved (%(n)s changes).", n=changed), "success")
        return _back_to_plan(campaign, locality)
    return render_template(
        "campaigns/populations.html",
        form=form,
        campaign=campaign,
        locality=locality,
        segments=Segment,
    ), status


def _import_page(campaign_id: int, kind: str, run, columns, title: str):
    campaign = campaign_or_404(campaign_id)
    form = ImportForm()
    report, status = None, 200
    if form.validate_on_submit():
        upload = form.file.data
        report = run(current_user, scope_for(), campaign, upload.stream, upload.filename)
        if report.ok:
            db.session.commit()
            flash(
                _(
                    "Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.",
                    created=report.created,
                    updated=report.updated,
                    unchanged=report.unchanged,
                ),
                "success",
            )
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
        db.session.rollback()
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "campaigns/import.html",
        form=form,
        campaign=campaign,
        kind=kind,
        title=title,
        columns=columns,
        report=report,
    ), status


@bp.route("/campaigns/<int:campaign_id>/targets/import", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_targets(campaign_id: int):
    return _import_page(
        campaign_id,
        "targets",
        importers.import_targets,
        importers.TARGET_COLUMNS,
        _("Import targets"),
    )


@bp.route("/campaigns/<int:campaign_id>/populations/import", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_populations(campaign_id: int):
    return _import_page(
        campaign_id,
        "populations",
        importers.import_populations,
        importers.POPULATION_COLUMNS,
        _("Import populations"),
    )
