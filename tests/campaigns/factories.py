"""Factories of campaign objects (targets, populations, core members, materials).

Like ``tests/factories.py`` they add and flush, never commit.
"""

from __future__ import annotations

import io
import itertools
from datetime import date
from decimal import Decimal

from openpyxl import Workbook

from surveyapp.campaigns.models import CoreMember, Material, Population, Target
from surveyapp.extensions import db

_seq = itertools.count(1)


def _add(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


class CampaignFactories:
    def target(self, campaign, locality, metric="classes", value=10):
        return _add(
            Target(campaign_id=campaign.id, locality_id=locality.id, metric=metric, value=value)
        )

    def population(self, campaign, locality, segment="official", population=500, rate="100"):
        return _add(
            Population(
                campaign_id=campaign.id,
                locality_id=locality.id,
                segment=segment,
                population=population,
                target_rate=Decimal(rate),
            )
        )

    def member(self, campaign, locality, **kwargs):
        n = next(_seq)
        values = dict(
            campaign_id=campaign.id,
            locality_id=locality.id,
            full_name=f"Nguyễn Văn Nòng Cốt {n}",
            organisation="UBND xã",
            segment="official",
            joined_on=date(2026, 2, 1),
        )
        values.update(kwargs)
        return _add(CoreMember(**values))

    def material(self, campaign, locality, **kwargs):
        n = next(_seq)
        values = dict(
            campaign_id=campaign.id,
            locality_id=locality.id,
            title=f"Video hướng dẫn dùng AI số {n}",
            kind="video",
            url=f"https://video.example.vn/{n}",
            published_on=date(2026, 2, 1),
        )
        values.update(kwargs)
        return _add(Material(**values))


def csv_bytes(rows: list[list]) -> bytes:
    """A UTF-8 CSV with BOM, as Excel writes it."""
    lines = [",".join(str(cell) for cell in row) for row in rows]
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
