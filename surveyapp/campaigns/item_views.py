"""Core members and materials of a campaign: scoped list with a locality filter, create,
edit, delete. Both kinds share one set of helpers, described by an ``ItemKind``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from surveyapp.campaigns import bp, items, queries, services
from surveyapp.campaigns.forms import LocalityFilterForm, MaterialForm, MemberForm
from surveyapp.campaigns.models import CoreMember, Material
from surveyapp.campaigns.view_helpers import PER_PAGE, campaign_or_404, handle, may_manage_here
from surveyapp.extensions import db
from surveyapp.security import MANAGERS, STAFF, roles_required, scope_for


def _member_fields(form: MemberForm, campaign) -> items.MemberFields:
    return items.MemberFields(
        locality=services.find_campaign_locality(campaign, form.locality_code.data),
        full_name=form.full_name.data,
        organisation=form.organisation.data or "",
        position=form.position.data or "",
        segment=form.segment.data,
        joined_on=form.joined_on.data,
    )


def _material_fields(form: MaterialForm, campaign) -> items.MaterialFields:
    return items.MaterialFields(
        locality=services.find_campaign_locality(campaign, form.locality_code.data),
        title=form.title.data,
        kind=form.kind.data,
        url=form.url.data or "",
        description=form.description.data or "",
        published_on=form.published_on.data,
    )


@dataclass(frozen=True)
class ItemKind:
    name: str  # "members" or "materials": endpoint and template names
    model: type
    form: type
    fields: Callable
    save: Callable
    delete: Callable
    saved: object
    deleted: object


MEMBERS = ItemKind(
    "members",
    CoreMember,
    MemberForm,
    _member_fields,
    items.save_member,
    items.delete_member,
    _l("The core member was saved."),
    _l("The core member was deleted."),
)
MATERIALS = ItemKind(
    "materials",
    Material,
    MaterialForm,
    _material_fields,
    items.save_material,
    items.delete_material,
    _l("The material was saved."),
    _l("The material was deleted."),
)


def _list(kind: ItemKind, campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    scope = scope_for()
    head = queries.head_locality(campaign, scope)
    filter_form = LocalityFilterForm(formdata=request.args)
    under, page, status = None, None, 200
    code = (filter_form.locality.data or "").strip()
    if code:
        under = services.find_campaign_locality(campaign, code)
        if under is None or not services.in_campaign(campaign, under) or not scope.contains(under):
            filter_form.locality.errors = [
                _("No locality with this code in your part of the campaign.")
            ]
            status, under = 400, None
    if status == 200:
        page = db.paginate(
            queries.items_in_scope(kind.model, campaign, scope, under),
            page=request.args.get("page", 1, type=int),
            per_page=PER_PAGE,
            error_out=False,
        )
    return render_template(
        f"campaigns/{kind.name}.html",
        campaign=campaign,
        page=page,
        filter_form=filter_form,
        under=under,
        may_add=may_manage_here(current_user, scope, head),
    ), status


def _form(kind: ItemKind, campaign_id: int, item_id: int | None = None):
    campaign = campaign_or_404(campaign_id)
    scope = scope_for()
    item = None
    if item_id is not None:
        item = queries.find_item(kind.model, campaign, item_id, scope)
        if item is None:
            abort(404)
        services.check_may_manage(current_user, scope, item.locality)
    form = kind.form(obj=item)
    if not form.is_submitted():
        locality = item.locality if item else queries.head_locality(campaign, scope)
        form.locality_code.data = locality.code if locality else ""
    ok, _saved, status = handle(
        form,
        lambda: kind.save(current_user, scope, campaign, kind.fields(form, campaign), item),
    )
    if ok:
        flash(str(kind.saved), "success")
        return redirect(url_for(f"campaigns.{kind.name}", campaign_id=campaign.id))
    template = f"campaigns/{kind.name[:-1]}_form.html"
    return render_template(template, form=form, campaign=campaign, item=item), status


def _delete(kind: ItemKind, campaign_id: int, item_id: int):
    campaign = campaign_or_404(campaign_id)
    scope = scope_for()
    item = queries.find_item(kind.model, campaign, item_id, scope)
    if item is None:
        abort(404)
    kind.delete(current_user, scope, item)
    db.session.commit()
    flash(str(kind.deleted), "success")
    return redirect(url_for(f"campaigns.{kind.name}", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/members")
@roles_required(*STAFF)
def members(campaign_id: int):
    return _list(MEMBERS, campaign_id)


@bp.route("/campaigns/<int:campaign_id>/members/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new_member(campaign_id: int):
    return _form(MEMBERS, campaign_id)


@bp.route("/campaigns/<int:campaign_id>/members/<int:item_id>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_member(campaign_id: int, item_id: int):
    return _form(MEMBERS, campaign_id, item_id)


@bp.route("/campaigns/<int:campaign_id>/members/<int:item_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def delete_member(campaign_id: int, item_id: int):
    return _delete(MEMBERS, campaign_id, item_id)


@bp.route("/campaigns/<int:campaign_id>/materials")
@roles_required(*STAFF)
def materials(campaign_id: int):
    return _list(MATERIALS, campaign_id)


@bp.route("/campaigns/<int:campaign_id>/materials/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new_material(campaign_id: int):
    return _form(MATERIALS, campaign_id)


@bp.route("/campaigns/<int:campaign_id>/materials/<int:item_id>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_material(campaign_id: int, item_id: int):
    return _form(MATERIALS, campaign_id, item_id)


@bp.route("/campaigns/<int:campaign_id>/materials/<int:item_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def delete_material(campaign_id: int, item_id: int):
    return _delete(MATERIALS, campaign_id, item_id)
