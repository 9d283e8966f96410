"""Rendering the impact report: its template context, the PDF, the cached PDF, the file name.

``impact_pdf(campaign, head, options, language=..., today=...)`` is what the route and
``flask report pdf`` call: it returns the PDF of the current data snapshot from the
database cache (``cache``), rendering it only when the data changed since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template

from surveyapp.campaigns.models import Campaign, Metric
from surveyapp.localities.models import Locality
from surveyapp.scoring.views import FLAG_LABELS

from . import cache, pdf, wording
from .data import ImpactReport, ReportOptions, build_report


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int
    cached: bool  # served from the cache (nothing was rendered)
    filename: str


def context(report: ImpactReport) -> dict:
    return dict(
        r=report,
        metrics=list(Metric),
        national_name=wording.NATIONAL_NAME,
        national_motto=wording.NATIONAL_MOTTO,
        date_line=wording.date_line(report.place, report.issued_on),
        geography_note=wording.geography_note(report),
        flag_labels=FLAG_LABELS,
    )


def report_html(report: ImpactReport) -> str:
    """The HTML WeasyPrint lays out."""
    return render_template("reports/impact_pdf.html", **context(report))


def render_report(report: ImpactReport) -> tuple[bytes, int]:
    document = pdf.render_document(report_html(report))
    return document.write_pdf(), len(document.pages)


def filename(campaign: Campaign, head: Locality, today: date) -> str:
    return f"bao-cao-{campaign.id}-{head.name}-{today.isoformat()}.pdf"


def impact_pdf(
    campaign: Campaign, head: Locality, options: ReportOptions, *, language: str, today: date
) -> RenderedReport:
    """The report's PDF for the data as they are now (cached per snapshot). Flushes; the
    caller commits so the cached copy is kept."""
    key = cache.snapshot_key(campaign, head, options, language=language, today=today)
    entry, hit = cache.get_or_render(
        key, campaign.id, lambda: render_report(build_report(campaign, head, options, today))
    )
    return RenderedReport(entry.pdf, entry.pages, hit, filename(campaign, head, today))
