"""Everything the impact report of one campaign and one locality shows, in one object.

``build_report(campaign, head, options, today)`` reads the figures through the same
functions as the dashboard (``dashboard.data.build``: ``kpi_table``, ``segment_coverage``,
learning gains, the rule wording, the charts), so every number equals the dashboard's;
it adds competency results, the item analysis of the skill tests, the per-commune annex
(``annex.commune_annex``) and the wording of the header. It reads no request.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from surveyapp.approvals.services import ApprovalState, approval_state
from surveyapp.campaigns.models import Campaign
from surveyapp.classes.models import TrainingClass
from surveyapp.dashboard import data as dashboard_data
from surveyapp.dashboard import places
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.indicators.kpi_types import COLLECTED, CURRENT, KpiFilters
from surveyapp.instruments.models import Instrument, InstrumentKind, InstrumentVersion
from surveyapp.localities.models import Locality
from surveyapp.responses.models import ClassForm
from surveyapp.scoring import queries as scoring
from surveyapp.scoring.item_analysis import version_item_analysis

from . import wording
from .annex import Annex, commune_annex

TEXT_MAX = 120
PLACE_PREFIXES = ("Tỉnh ", "Thành phố ", "TP. ", "Province of ")


@dataclass(frozen=True)
class ReportOptions:
    """What the reader chose: the locality (None: the highest one they may see), the
    geography, the document number ("12/BC-SKHCN"; empty: blank number and the issuing
    body's initials) and the signer's name and title (optional)."""

    locality_id: int | None = None
    geography: str = COLLECTED
    number: str = ""
    signer: str = ""
    signer_title: str = ""


@dataclass
class ImpactReport:
    campaign: Campaign
    head: Locality
    options: ReportOptions
    board: dashboard_data.Dashboard
    today_units: bool  # counted at today's units (a 2024 campaign seen with geography current)
    superseded: bool  # the campaign was collected on a superseded scheme
    issued_on: date
    place: str
    number: str
    summary: list[str]
    competencies: list = field(default_factory=list)
    item_analyses: list = field(default_factory=list)
    annex: Annex | None = None
    recipients: list[str] = field(default_factory=list)
    approvals: ApprovalState | None = None  # approved periods of the head and its children

    @property
    def table(self):
        return self.board.table

    @property
    def stats(self):
        return self.board.table.head.follow_up

    @property
    def no_follow_up(self) -> int:
        """Learners without any counted follow-up (neither counted nor too early)."""
        return max(self.stats.learners - self.stats.respondents - self.stats.too_early, 0)


def _clean(value, label: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > TEXT_MAX or any(unicodedata.category(ch).startswith("C") for ch in text):
        raise DomainError(
            _("%(field)s is too long or holds characters that cannot be printed.", field=label)
        )
    return text


def parse_options(args) -> ReportOptions:
    """``ReportOptions`` from query arguments, or ``DomainError`` (HTTP 400)."""
    raw_id = (args.get("locality_id") or "").strip()
    if raw_id and (not raw_id.isdigit() or len(raw_id) > 12):
        raise DomainError(_("Choose a locality from the dashboard."), field="locality_id")
    geography = (args.get("geography") or COLLECTED).strip()
    if geography not in (COLLECTED, CURRENT):
        raise DomainError(_("Choose one of the listed values."), field="geography")
    return ReportOptions(
        locality_id=int(raw_id) if raw_id else None,
        geography=geography,
        number=_clean(args.get("number"), _("The document number")),
        signer=_clean(args.get("signer"), _("The signer's name")),
        signer_title=_clean(args.get("signer_title"), _("The signer's title")),
    )


def initials(body: str) -> str:
    """ "Sở Khoa học và Công nghệ" -> "SKHCN" (the abbreviation after "BC-")."""
    words = [w for w in re.split(r"[\s\-]+", body) if w and w.lower() not in ("và", "and", "of")]
    letters = "".join(w[0] for w in words if w[0].isalpha()).replace("đ", "Đ")
    folded = unicodedata.normalize("NFKD", letters.upper())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def document_number(campaign: Campaign, number: str) -> str:
    if number:
        return number
    body = campaign.issuing_body or campaign.parent_body
    suffix = initials(body) if body else ""
    return "\u2002\u2002\u2002\u2002/BC" + (f"-{suffix}" if suffix else "")


def place_name(head: Locality) -> str:
    """Today's province of ``head`` without "Tỉnh": the place of the date line."""
    province = db.session.get(Locality, int(head.path.strip("/").split("/")[0])) or head
    if province.scheme.superseded_on is not None:
        province = places.current_unit(province) or province
    name = province.name
    for prefix in PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def gains_head(campaign: Campaign, head: Locality, geography: str) -> Locality | None:
    """Where learning gains are read (as on the dashboard): the head in the campaign's own
    tree; today's root stands for the campaign's root; merged units below it have none."""
    if head.path.startswith(campaign.root_locality.path):
        return head
    root = places.view_root(campaign, geography)
    return campaign.root_locality if root is not None and head.id == root.id else None


def skill_test_versions(campaign: Campaign) -> list[InstrumentVersion]:
    """The skill-test versions the campaign's classes use, in instrument and number order."""
    used = (
        sa.select(ClassForm.version_id)
        .join(TrainingClass, TrainingClass.id == ClassForm.class_id)
        .where(TrainingClass.campaign_id == campaign.id)
    )
    return list(
        db.session.scalars(
            sa.select(InstrumentVersion)
            .join(Instrument, Instrument.id == InstrumentVersion.instrument_id)
            .where(Instrument.kind == InstrumentKind.SKILL_TEST, InstrumentVersion.id.in_(used))
            .order_by(Instrument.id, InstrumentVersion.number)
        )
    )


def build_report(
    campaign: Campaign,
    head: Locality,
    options: ReportOptions,
    today: date,
    *,
    item_analysis: bool = True,
) -> ImpactReport:
    """The report of ``campaign`` at ``head`` (already checked against the reader's scope).
    ``item_analysis=False`` leaves the appendix of item statistics out (the slowest part:
    the web page links to the item analysis pages instead)."""
    filters = KpiFilters(geography=options.geography)
    at = gains_head(campaign, head, options.geography)
    board = dashboard_data.build(campaign, head, filters, gains_head=at)
    superseded = places.is_superseded(campaign)
    report = ImpactReport(
        campaign=campaign,
        head=head,
        options=options,
        board=board,
        today_units=options.geography == CURRENT and superseded,
        superseded=superseded,
        issued_on=today,
        place=place_name(head),
        number=document_number(campaign, options.number),
        summary=[],
        competencies=scoring.competency_results(campaign, at) if at else [],
        item_analyses=[
            version_item_analysis(version, campaign=campaign, head=at)
            for version in (skill_test_versions(campaign) if at and item_analysis else [])
        ],
        annex=commune_annex(campaign, head, filters),
    )
    report.summary = wording.summary(report)
    report.recipients = wording.recipients(campaign)
    report.approvals = approval_state(campaign, head)
    return report
