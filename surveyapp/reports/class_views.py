"""Routes of the class report: the print-friendly page and its one-page PDF.

Whoever may open the class (its trainers, coordinators and evaluators whose scope holds
it, admins) may read its report; anyone else gets 404, so class ids are not revealed.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import to_user_timezone
from flask_login import current_user

from surveyapp.classes import services
from surveyapp.classes.models import TrainingClass
from surveyapp.extensions import db
from surveyapp.models_base import utcnow
from surveyapp.reports import bp, class_report, pdf
from surveyapp.responses.moments import moment_label
from surveyapp.security import STAFF, roles_required, scope_for


def _class_or_404(class_id: int) -> TrainingClass:
    user = current_user._get_current_object()
    query = services.visible_classes(user, scope_for()).where(TrainingClass.id == class_id)
    cls = db.session.scalar(query)
    if cls is None:
        abort(404)
    return cls


def _report(class_id: int) -> class_report.ClassReport:
    cls = _class_or_404(class_id)
    return class_report.build(cls, today=to_user_timezone(utcnow()).date())


def pdf_filename(cls: TrainingClass) -> str:
    return f"bao-cao-lop-{cls.access_code}.pdf"


def render_class_pdf(report: class_report.ClassReport) -> bytes:
    """The class report as PDF bytes (through the reports' shared WeasyPrint renderer)."""
    html = render_template(
        "reports/class_report_pdf.html", report=report, moment_label=moment_label
    )
    return pdf.render_pdf(html)


@bp.route("/classes/<int:class_id>/report")
@roles_required(*STAFF)
def class_report_page(class_id: int):
    report = _report(class_id)
    return render_template("reports/class_report.html", report=report, moment_label=moment_label)


@bp.route("/classes/<int:class_id>/report.pdf")
@roles_required(*STAFF)
def class_report_pdf(class_id: int):
    report = _report(class_id)
    return pdf.pdf_response(render_class_pdf(report), pdf_filename(report.cls))
