"""Browsing the locality tree, searching it, and uploading a tree file (administrators)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.accounts.models import Role
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities import bp, services
from surveyapp.localities.csv_import import import_tree_file
from surveyapp.localities.forms import ImportForm, SearchForm
from surveyapp.localities.lookup import scheme_choices
from surveyapp.localities.models import Locality
from surveyapp.security import STAFF, get_in_scope_or_404, roles_required, scope_for


@bp.app_template_filter("locality_kind_label")
def locality_kind_label(kind: str):
    return services.kind_label(kind)


def _search_form(formdata=None) -> SearchForm:
    form = SearchForm(formdata=formdata)
    form.scheme.choices = [("", _l("All schemes")), *scheme_choices()]
    return form


@bp.route("/localities")
@roles_required(*STAFF)
def index():
    scope = scope_for()
    roots = services.roots_in_scope(scope)
    return render_template(
        "localities/index.html",
        schemes=services.schemes(),
        roots=roots,
        counts=services.counts_by_scheme(scope),
        form=_search_form(),
    )


@bp.route("/localities/search")
@roles_required(*STAFF)
def search():
    form = _search_form(request.args)
    if not form.validate():
        return render_template("localities/search.html", form=form, results=None), 400
    results = services.search(form.q.data, scope_for(), scheme_code=form.scheme.data or None)
    return render_template(
        "localities/search.html",
        form=form,
        results=results[: services.SEARCH_LIMIT],
        cut=len(results) > services.SEARCH_LIMIT,
    )


@bp.route("/localities/<int:locality_id>")
@roles_required(*STAFF)
def detail(locality_id: int):
    locality = get_in_scope_or_404(Locality, locality_id, locality_attr="id")
    scope = scope_for()
    per_page = services.CHILDREN_PER_PAGE
    total = services.count_children(locality)
    pages = max(1, -(-total // per_page))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    children = services.children_of(locality, limit=per_page, offset=(page - 1) * per_page)
    fed_by, became = services.crosswalk_of(locality)
    return render_template(
        "localities/detail.html",
        locality=locality,
        ancestors=services.ancestors_of(locality),
        children=children,
        counts=services.descendant_counts([c.id for c in children]),
        total=total,
        page=page,
        pages=pages,
        fed_by=fed_by,
        became=became,
        scope=scope,
    )


@bp.route("/localities/import", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def upload():
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload_file = form.file.data
        try:
            report = import_tree_file(upload_file.stream, upload_file.filename or "")
        except DomainError as error:
            form.file.errors.append(str(error.message))
        else:
            if report.ok:
                db.session.commit()
                flash(
                    _(
                        "Localities imported: %(created)s created, %(updated)s updated.",
                        created=report.created,
                        updated=report.updated,
                    ),
                    "success",
                )
                return redirect(url_for("localities.index"))
            db.session.rollback()
    status = 400 if form.is_submitted() else 200
    return render_template("localities/import.html", form=form, report=report), status
