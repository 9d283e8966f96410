"""Fixtures of the localities tests: province 15 imported from the vietnam-provinces package."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.localities.models import Locality, LocalityScheme


def unit(scheme: str, code: str) -> Locality:
    """The locality (scheme, code); fails the test when it is missing."""
    return db.session.execute(
        sa.select(Locality)
        .join(LocalityScheme, Locality.scheme_id == LocalityScheme.id)
        .where(LocalityScheme.code == scheme, Locality.code == code)
    ).scalar_one()


@pytest.fixture
def province15(ctx):
    """Old Yên Bái (2024:15) and new Lào Cai (2025:15) with the crosswalk between them.

    Function-scoped because every test's transaction is rolled back; the import of one
    province is a handful of bulk statements (about 0.1 s).
    """
    from surveyapp.localities.vietnam_provinces import import_vietnam_provinces

    return import_vietnam_provinces(province_codes=("15",))
