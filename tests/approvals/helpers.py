"""Builders for the approval tests: submitted and approved figures of a locality."""

from __future__ import annotations

from datetime import UTC, date, datetime

from surveyapp.approvals import services
from surveyapp.security import compute_scope

NOW = datetime(2026, 7, 2, 9, 0, tzinfo=UTC)
H1 = (date(2026, 1, 1), date(2026, 6, 30))
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def submitted(w, period=H1, *, locality=None, by=None):
    """Figures of ``locality`` (Văn Yên district by default) submitted by its coordinator."""
    actor = by or w.coord_vy
    return services.submit_figures(
        w.campaign,
        locality or w.van_yen,
        *period,
        actor=actor,
        scope=compute_scope(actor),
        now=NOW,
        note="Số liệu huyện Văn Yên",
    )


def approved(w, period=H1, *, locality=None, by=None):
    """Figures submitted and approved by the province coordinator."""
    approval = submitted(w, period, locality=locality, by=by)
    services.approve(approval, actor=w.coord_p, scope=compute_scope(w.coord_p), now=NOW)
    return approval


def head_figures(snapshot: dict) -> dict:
    row = snapshot["rows"][0]
    return {metric: value["actual"] for metric, value in row["kpis"].items()}
