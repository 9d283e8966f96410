"""excluded_count and flagged_pending_count: the figures reports and badges show."""

from datetime import UTC, date, datetime

import pytest

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.models import LocalityCrosswalk
from surveyapp.quality import review
from surveyapp.security import Scope, compute_scope
from tests.journey.helpers import attach, make_class
from tests.quality.helpers import response

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def counted(world, f):
    w = world
    mcc_pre = attach(w.cls_mcc, w.v.pre)[0]
    response(w.forms["pre"], excluded=True, note="Trùng")
    response(w.forms["post"], excluded=True, note="Quá nhanh")
    response(w.forms["skill"], flags=["too_fast"])  # pending
    response(w.forms["follow"])  # clean
    response(mcc_pre, excluded=True, note="Trùng")
    response(mcc_pre, flags=["straight_lining"])  # pending
    other = f.campaign(w.province, name="Chiến dịch khác")
    other_pre = attach(make_class(f, other, w.mau_a), w.v.pre)[0]
    response(other_pre, excluded=True, note="Trùng")
    w.other = other
    return w


def test_excluded_count_per_subtree_and_campaign(counted):
    w = counted
    assert review.excluded_count(w.campaign, w.province) == 3
    assert review.excluded_count(w.campaign, w.van_yen) == 2
    assert review.excluded_count(w.campaign, w.mau_a) == 2
    assert review.excluded_count(w.campaign, w.dong_cuong) == 0
    assert review.excluded_count(w.campaign, w.mcc) == 1
    assert review.excluded_count(w.other, w.province) == 1


def test_excluded_count_follows_the_crosswalk(counted, f):
    """A 2024 commune taken over whole by a 2025 commune is counted under the new tree."""
    w = counted
    lao_cai = f.locality("Tỉnh Lào Cai", kind="province", scheme="2025", code="15")
    xa_mau_a = f.locality("Xã Mậu A", parent=lao_cai, code="04300")
    xa_khao_mang = f.locality("Xã Khao Mang", parent=lao_cai, code="04243")
    db.session.add_all(
        [
            LocalityCrosswalk(old_id=w.mau_a.id, new_id=xa_mau_a.id, effective_on=date(2025, 7, 1)),
            LocalityCrosswalk(
                old_id=w.khao_mang.id,
                new_id=xa_khao_mang.id,
                partial=True,
                effective_on=date(2025, 7, 1),
            ),
        ]
    )
    db.session.flush()
    assert review.excluded_count(w.campaign, lao_cai) == 2  # the partial link does not count
    assert review.excluded_count(w.campaign, xa_mau_a) == 2
    assert review.excluded_count(w.campaign, xa_khao_mang) == 0


def test_a_restored_response_is_no_longer_counted(counted):
    w = counted
    row = response(w.forms["pre"], excluded=True, note="Nhầm")
    assert review.excluded_count(w.campaign, w.province) == 4
    review.restore(row, w.coord_p, now=NOW)
    assert review.excluded_count(w.campaign, w.province) == 3


def test_flagged_pending_count(counted):
    w = counted
    assert review.flagged_pending_count(Scope(unrestricted=True)) == 2
    assert review.flagged_pending_count(compute_scope(w.coord_vy)) == 1
    assert review.flagged_pending_count(compute_scope(w.coord_mcc)) == 1
    assert review.flagged_pending_count(compute_scope(w.trainer), w.trainer) == 1
    assert review.flagged_pending_count(compute_scope(w.other_trainer), w.other_trainer) == 0
    assert review.flagged_pending_count(compute_scope(w.evaluator), w.evaluator) == 0
    assert review.flagged_pending_count(Scope()) == 0


def test_confirming_empties_the_badge(counted):
    w = counted
    (row,) = db.session.scalars(review.review_queue(w.trainer, compute_scope(w.trainer))).all()
    review.confirm(row, w.trainer, now=NOW)
    assert review.flagged_pending_count(compute_scope(w.trainer), w.trainer) == 0
    assert row.reviewed_by_id == w.trainer.id


def test_service_rejects_unknown_actions_and_empty_reasons(counted):
    w = counted
    row = response(w.forms["pre"], flags=["too_fast"])
    with pytest.raises(DomainError) as error:
        review.apply_action(row, w.trainer, "purge", now=NOW)
    assert error.value.field == "action"
    with pytest.raises(DomainError) as error:
        review.exclude(row, w.trainer, reason="\n ", now=NOW)
    assert error.value.field == "reason"
    assert review.clean_reason("  Trùng   người \n khai ") == "Trùng người khai"
