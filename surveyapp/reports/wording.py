"""The words of the impact report: the national motto, the place and date line, the
generated summary paragraph and the list of recipients.

The national motto block ("Quốc hiệu và Tiêu ngữ") is the fixed heading Decree 30/2020
prescribes for every Vietnamese administrative document, so it is printed in Vietnamese
whatever the reader's language, like the date line of a Vietnamese-language report.
Everything else goes through Flask-Babel (English msgids).
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from surveyapp.campaigns.models import Metric
from surveyapp.labels import METRIC_LABELS, SEGMENT_LABELS
from surveyapp.templating import number

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "vi"


def date_line(place: str, day: date) -> str:
    """ "Lào Cai, ngày 05 tháng 01 năm 2026" (Decree 30: days below 10 and months 1 and 2
    take a leading zero); in other languages the place and the long date."""
    if _language() == "vi":
        month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
        return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {format_date(day, 'long')}"


def pct(value: float | None) -> str:
    return "–" if value is None else number(value) + "%"


def _lower_first(label) -> str:
    text = str(label)
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _metric_part(kpi) -> str:
    label = _lower_first(METRIC_LABELS[kpi.metric])
    if kpi.plan:
        return _(
            "%(count)s %(what)s (%(percent)s of plan)",
            count=number(kpi.actual),
            what=label,
            percent=pct(kpi.percent_of_plan),
        )
    return _("%(count)s %(what)s", count=number(kpi.actual), what=label)


def _follow_up_sentence(stats) -> str:
    if not stats.learners:
        return _("No learner has been enrolled yet.")
    return _(
        "Of %(learners)s learners, %(respondents)s answered the follow-up in time "
        "(%(rate)s) and %(achieved)s of them apply AI effectively (%(achieved_rate)s).",
        learners=number(stats.learners),
        respondents=number(stats.respondents),
        rate=pct(stats.response_rate),
        achieved=number(stats.achieved),
        achieved_rate=pct(stats.achieved_rate),
    )


def _gain_sentence(gain) -> str | None:
    if gain is None or not gain.n_matched:
        return None
    return _(
        "%(n)s learners took both tests: their mean score rose from %(pre)s to %(post)s "
        "(normalised gain %(g)s) and %(improved)s of them improved.",
        n=number(gain.n_matched),
        pre=pct(gain.mean_pre),
        post=pct(gain.mean_post),
        g=number(gain.hake_g, 2),
        improved=pct(None if gain.share_improved is None else gain.share_improved * 100),
    )


def _below_target_sentence(coverage) -> str | None:
    below = [
        _(
            "%(group)s %(rate)s (target %(target)s)",
            group=SEGMENT_LABELS.get(row.segment, row.segment),
            rate=pct(row.coverage_rate),
            target=pct(float(row.target_rate)),
        )
        for row in coverage
        if row.below_target
    ]
    if not below:
        return None
    return _("Groups below their coverage target: %(groups)s.", groups="; ".join(below))


def summary(report) -> list[str]:
    """The opening paragraph: results against plan as the movement reports them ("151 core
    members (302% of plan), ..."), then follow-up, learning gains and coverage."""
    head = report.table.head
    parts = [_metric_part(head.kpi(metric)) for metric in Metric]
    sentences = [
        _(
            "In %(place)s the campaign counts %(results)s.",
            place=report.head.name,
            results="; ".join(parts),
        ),
        _follow_up_sentence(report.stats),
        _gain_sentence(report.board.overall_gain),
        _below_target_sentence(report.board.coverage),
    ]
    return [" ".join(s for s in sentences if s)]


def recipients(campaign) -> list[str]:
    """ "Nơi nhận:" lines: the parent body (for its information), then the archive."""
    lines = []
    if campaign.parent_body:
        lines.append(_("%(body)s (to report);", body=campaign.parent_body))
    lines.append(_("Filed: archives."))
    return lines


def geography_note(report) -> str:
    if report.today_units:
        return _(
            "Figures are counted at today's units: data collected in units that were "
            "merged in 2025 count at the unit that replaced them."
        )
    if report.superseded:
        return _(
            "Figures are counted at the units as they were when the data were collected "
            "(before the 2025 reorganisation), with district subtotals."
        )
    return _("Figures are counted at the units as they were when the data were collected.")
