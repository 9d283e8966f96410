"""Class pages: list, create, detail, edit, status change, printable sheet and QR code."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from surveyapp.accounts.models import Role, User
from surveyapp.campaigns.models import Campaign, CampaignStatus
from surveyapp.classes import bp, qr, services
from surveyapp.classes.forms import ClassForm, FilterForm, StatusForm
from surveyapp.classes.models import TrainingClass
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.labels import CLASS_STATUS_LABELS
from surveyapp.localities.lookup import subtree_choices
from surveyapp.localities.models import Locality, subtree_filter
from surveyapp.security import STAFF, Scope, roles_required, scope_for

MANAGE = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER)
PER_PAGE = 20


# ---------------------------------------------------------------- lookups


def _class_or_404(class_id: int) -> TrainingClass:
    """The class if the current user may see it; 404 otherwise (ids are not revealed)."""
    query = services.visible_classes(current_user, scope_for()).where(TrainingClass.id == class_id)
    cls = db.session.scalar(query)
    if cls is None:
        abort(404)
    return cls


def _campaign_or_404(campaign_id: int, scope: Scope) -> Campaign:
    campaign = db.session.scalar(
        sa.select(Campaign).where(
            Campaign.id == campaign_id, scope.campaign_condition(Campaign.root_locality_id)
        )
    )
    if campaign is None:
        abort(404)
    return campaign


def _link(cls: TrainingClass) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return services.public_link(base, cls.access_code)


def _qr_title(cls: TrainingClass) -> str:
    return _("QR code of class %(code)s", code=cls.access_code)


# ---------------------------------------------------------------- list


def _filter_form(scope: Scope) -> FilterForm:
    form = FilterForm(formdata=request.args)
    campaigns = db.session.scalars(
        sa.select(Campaign)
        .where(scope.campaign_condition(Campaign.root_locality_id))
        .order_by(Campaign.start_date.desc(), Campaign.id.desc())
    ).all()
    form.campaign.choices = [SelectChoice("", _("All campaigns"))] + [
        SelectChoice(c.id, c.name) for c in campaigns
    ]
    chosen = next((c for c in campaigns if c.id == form.campaign.data), None)
    if chosen is not None:
        places = subtree_choices(chosen.root_locality, scope)
    else:
        found = services.localities_with_classes(current_user, scope)
        top = min((place.depth for place in found), default=0)
        places = [
            SelectChoice(place.id, "\u00a0\u00a0" * (place.depth - top) + place.label)
            for place in found
        ]
    form.locality.choices = [SelectChoice("", _("All localities"))] + places
    form.validate()
    return form


def _filtered(query: sa.Select, form: FilterForm) -> sa.Select:
    if form.campaign.data and not form.campaign.errors:
        query = query.where(TrainingClass.campaign_id == form.campaign.data)
    if form.status.data and not form.status.errors:
        query = query.where(TrainingClass.status == form.status.data)
    if form.locality.data and not form.locality.errors:
        place = db.session.get(Locality, form.locality.data)
        query = query.where(subtree_filter(Locality.path, place.path))
    return query


@bp.route("/classes")
@roles_required(*STAFF)
def index():
    scope = scope_for()
    form = _filter_form(scope)
    query = (
        _filtered(services.visible_classes(current_user, scope), form)
        .options(
            contains_eager(TrainingClass.locality),
            joinedload(TrainingClass.campaign),
            selectinload(TrainingClass.trainers),
        )
        .order_by(TrainingClass.start_date.desc(), TrainingClass.id.desc())
    )
    page = db.paginate(
        query, page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False
    )
    kept = {k: request.args[k] for k in ("campaign", "status", "locality") if request.args.get(k)}
    campaigns = db.session.scalars(services.campaigns_open_to(scope)).all()
    status = 400 if form.errors else 200
    return render_template(
        "classes/index.html",
        form=form,
        page=page,
        kept=kept,
        campaigns=campaigns,
        can_manage=current_user.role in MANAGE,
    ), status


# ---------------------------------------------------------------- create and edit


def _class_form(campaign: Campaign, scope: Scope, cls: TrainingClass | None) -> ClassForm:
    form = ClassForm(data=_initial(cls) if cls is not None else None)
    form.locality.choices = subtree_choices(campaign.root_locality, scope)
    candidates = services.trainer_candidates(campaign, scope)
    for trainer in cls.trainers if cls is not None else ():
        if trainer not in candidates:
            candidates.append(trainer)
    form.trainers.choices = [SelectChoice(u.id, _trainer_label(u)) for u in candidates]
    return form


def _initial(cls: TrainingClass) -> dict:
    """Form values of an existing class (ids for the selects, not objects)."""
    names = ("title", "segment", "start_date", "end_date", "venue", "capacity")
    data = {name: getattr(cls, name) for name in names}
    data.update(locality=cls.locality_id, trainers=[t.id for t in cls.trainers])
    return data


def _trainer_label(user: User) -> str:
    place = user.locality.name if user.locality else _("Whole country")
    return f"{user.name or user.email} ({place})"


def _fields(form: ClassForm) -> services.ClassFields:
    ids = form.trainers.data or []
    trainers = db.session.scalars(sa.select(User).where(User.id.in_(ids))).all() if ids else []
    return services.ClassFields(
        title=form.title.data,
        segment=form.segment.data,
        locality=db.session.get(Locality, form.locality.data),
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        venue=form.venue.data or "",
        capacity=form.capacity.data,
        trainers=trainers,
    )


def _show_error(form, error: DomainError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    (target.errors if target is not None else form.form_errors).append(str(error.message))


@bp.route("/campaigns/<int:campaign_id>/classes/new", methods=["GET", "POST"])
@roles_required(*MANAGE)
def new(campaign_id: int):
    scope = scope_for()
    campaign = _campaign_or_404(campaign_id, scope)
    if campaign.status == CampaignStatus.CLOSED:
        raise DomainError(_("The campaign is closed; no class can be added."))
    form = _class_form(campaign, scope, None)
    if form.validate_on_submit():
        try:
            cls = services.create_class(current_user, campaign, _fields(form), scope=scope)
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("The class was created. Its access code is %(code)s.", code=cls.access_code),
                  "success")  # fmt: skip
            return redirect(url_for("classes.detail", class_id=cls.id))
    status = 400 if form.is_submitted() else 200
    return render_template("classes/form.html", form=form, campaign=campaign, cls=None), status


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGE)
def edit(class_id: int):
    cls = _class_or_404(class_id)
    scope = scope_for()
    form = _class_form(cls.campaign, scope, cls)
    if form.validate_on_submit():
        try:
            services.update_class(current_user, cls, _fields(form), scope=scope)
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("The class was saved."), "success")
            return redirect(url_for("classes.detail", class_id=cls.id))
    status = 400 if form.is_submitted() else 200
    return render_template("classes/form.html", form=form, campaign=cls.campaign, cls=cls), status


# ---------------------------------------------------------------- detail and status


def _status_form(cls: TrainingClass) -> StatusForm:
    form = StatusForm()
    form.status.choices = [
        SelectChoice(s, CLASS_STATUS_LABELS[s]) for s in services.next_statuses(cls)
    ]
    return form


def _render_detail(cls: TrainingClass, status_form: StatusForm, code: int = 200):
    return render_template(
        "classes/detail.html",
        cls=cls,
        link=_link(cls),
        status_form=status_form,
        can_manage=current_user.role in MANAGE,
    ), code


@bp.route("/classes/<int:class_id>")
@roles_required(*STAFF)
def detail(class_id: int):
    cls = _class_or_404(class_id)
    return _render_detail(cls, _status_form(cls))


@bp.route("/classes/<int:class_id>/status", methods=["POST"])
@roles_required(*MANAGE)
def change_status(class_id: int):
    cls = _class_or_404(class_id)
    form = _status_form(cls)
    if form.validate_on_submit():
        try:
            services.set_status(current_user, cls, form.status.data, scope=scope_for())
        except DomainError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            label = CLASS_STATUS_LABELS[cls.status]
            flash(_("The class is now: %(status)s.", status=label), "success")
            return redirect(url_for("classes.detail", class_id=cls.id))
    return _render_detail(cls, form, 400)


# ---------------------------------------------------------------- printable sheet and QR


@bp.route("/classes/<int:class_id>/sheet")
@roles_required(*STAFF)
def sheet(class_id: int):
    cls = _class_or_404(class_id)
    link = _link(cls)
    svg = Markup(qr.svg_inline(link, _qr_title(cls)))  # noqa: S704 (segno escapes the title)
    return render_template("classes/sheet.html", cls=cls, link=link, qr_svg=svg)


@bp.route("/classes/<int:class_id>/qr.svg")
@roles_required(*STAFF)
def qr_svg(class_id: int):
    cls = _class_or_404(class_id)
    response = Response(qr.svg_document(_link(cls), _qr_title(cls)), mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = f'inline; filename="class-{cls.access_code}.svg"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
