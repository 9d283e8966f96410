"""Seeding from the vietnam-provinces package: the real numbers of old Yên Bái and new Lào Cai."""

from __future__ import annotations

import time
from datetime import date

import pytest
import sqlalchemy as sa

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.models import Locality, LocalityCrosswalk, LocalityScheme, subtree_filter
from surveyapp.localities.vietnam_provinces import import_vietnam_provinces
from surveyapp.security import scope_for

from .conftest import unit


def count_below(root: Locality, **where) -> int:
    query = sa.select(sa.func.count()).where(
        subtree_filter(Locality.path, root.path), Locality.id != root.id
    )
    for column, value in where.items():
        query = query.where(getattr(Locality, column) == value)
    return db.session.scalar(query)


def new_units_fed_by(old_ids) -> set[str]:
    return set(
        db.session.scalars(
            sa.select(Locality.code)
            .join(LocalityCrosswalk, LocalityCrosswalk.new_id == Locality.id)
            .where(LocalityCrosswalk.old_id.in_(old_ids))
        )
    )


def test_old_yen_bai_has_9_districts_and_168_communes(province15):
    yen_bai = unit("2024", "15")
    assert yen_bai.name == "Tỉnh Yên Bái"
    assert (yen_bai.kind, yen_bai.depth, yen_bai.parent_id) == ("province", 0, None)
    assert count_below(yen_bai, kind="district", depth=1) == 9
    assert count_below(yen_bai, kind="commune", depth=2) == 168
    assert province15.schemes["2024"].created == 1 + 9 + 168


def test_new_lao_cai_has_99_communes_and_wards(province15):
    lao_cai = unit("2025", "15")
    assert lao_cai.name == "Tỉnh Lào Cai"
    assert count_below(lao_cai) == 99
    assert count_below(lao_cai, kind="commune", depth=1) == 99


def test_van_yen_25_old_communes_map_to_9_new_ones(province15):
    van_yen = unit("2024", "136")
    assert van_yen.name == "Huyện Văn Yên"
    old_ids = db.session.scalars(sa.select(Locality.id).where(Locality.parent_id == van_yen.id))
    old_ids = list(old_ids)
    assert len(old_ids) == 25
    assert new_units_fed_by(old_ids) == {
        "04375",
        "04381",
        "04387",
        "04399",
        "04402",
        "04423",
        "04429",
        "04441",
        "04450",
    }


def test_codes_are_zero_padded_text_and_schemes_named(province15):
    commune = unit("2024", "04375")
    assert commune.name == "Thị trấn Mậu A"
    assert unit("2025", "04375").name == "Xã Mậu A"
    assert unit("2024", "137").name == "Huyện Mù Căng Chải"
    assert unit("2024", "04375").search_name == "thi tran mau a"
    schemes = {s.code: s for s in db.session.scalars(sa.select(LocalityScheme))}
    assert schemes["2024"].name == "Địa giới 3 cấp (trước 01/07/2025)"
    assert schemes["2024"].superseded_on == date(2025, 7, 1)
    assert schemes["2025"].name == "Địa giới 2 cấp (từ 01/07/2025)"
    assert (schemes["2025"].effective_from, schemes["2025"].superseded_on) == (
        date(2025, 7, 1),
        None,
    )


def test_paths_follow_the_tree(province15):
    commune = unit("2024", "04375")
    district = unit("2024", "136")
    province = unit("2024", "15")
    assert commune.path == f"/{province.id}/{district.id}/{commune.id}/"
    assert commune.parent_id == district.id and commune.depth == 2


def test_crosswalk_flags_partial_merges_and_links_provinces(province15):
    partial = db.session.scalar(
        sa.select(LocalityCrosswalk.partial).where(
            LocalityCrosswalk.old_id == unit("2024", "04423").id,
            LocalityCrosswalk.new_id == unit("2025", "04423").id,
        )
    )
    assert partial is True
    link = db.session.execute(
        sa.select(LocalityCrosswalk).where(LocalityCrosswalk.old_id == unit("2024", "15").id)
    ).scalar_one()
    assert (link.new_id, link.partial, link.effective_on) == (
        unit("2025", "15").id,
        False,
        date(2025, 7, 1),
    )
    # 168 old communes plus the province link, all with both ends imported.
    assert province15.crosswalk_total == province15.crosswalk_created == 169


def test_new_lao_cai_coordinator_sees_old_yen_bai(province15, f):
    coordinator = f.user(role="coordinator", locality=unit("2025", "15"))
    scope = scope_for(coordinator)
    assert scope.contains(unit("2024", "04375"))
    assert scope.contains(unit("2024", "136"))
    commune_coordinator = f.user(role="coordinator", locality=unit("2025", "04375"))
    scope = scope_for(commune_coordinator)
    assert scope.contains(unit("2024", "04408"))  # Ngòi A merged into Mậu A
    assert not scope.contains(unit("2024", "04381"))


def test_rerun_is_idempotent_and_updates_names(province15):
    counts = db.session.execute(
        sa.select(sa.func.count(Locality.id), sa.func.count(sa.distinct(LocalityCrosswalk.id)))
        .select_from(Locality)
        .outerjoin(LocalityCrosswalk, LocalityCrosswalk.old_id == Locality.id)
    ).one()
    unit("2024", "04375").name = "Renamed by hand"
    db.session.flush()
    again = import_vietnam_provinces(province_codes=("15",))
    assert again.schemes["2024"].created == 0 and again.schemes["2024"].updated == 1
    assert again.schemes["2025"].created == again.schemes["2025"].updated == 0
    assert again.crosswalk_created == 0
    assert unit("2024", "04375").name == "Thị trấn Mậu A"
    assert unit("2024", "04375").search_name == "thi tran mau a"
    assert (
        db.session.execute(
            sa.select(sa.func.count(Locality.id), sa.func.count(sa.distinct(LocalityCrosswalk.id)))
            .select_from(Locality)
            .outerjoin(LocalityCrosswalk, LocalityCrosswalk.old_id == Locality.id)
        ).one()
        == counts
    )


def test_one_scheme_alone_then_the_other_adds_the_crosswalk(ctx):
    first = import_vietnam_provinces(schemes=("2025",), province_codes=("15",))
    assert set(first.schemes) == {"2025"} and first.crosswalk_total == 0
    assert db.session.scalar(sa.select(LocalityScheme).where(LocalityScheme.code == "2024")) is None
    second = import_vietnam_provinces(schemes=("2024",), province_codes=("15",))
    assert second.crosswalk_created == 169


def test_crosswalk_only_where_both_ends_exist(ctx):
    # Old Lào Cai (10) went into new Lào Cai (15), which is not imported here.
    summary = import_vietnam_provinces(province_codes=("10",))
    assert summary.schemes["2025"].total == 0
    assert summary.crosswalk_total == 0


@pytest.mark.parametrize("codes", [("99",), ("abc",), ("",)])
def test_unknown_province_code_is_refused(ctx, codes):
    with pytest.raises(DomainError):
        import_vietnam_provinces(province_codes=codes)


def test_unknown_scheme_is_refused(ctx):
    with pytest.raises(DomainError):
        import_vietnam_provinces(schemes=("1999",))


def test_cli_imports_province_and_prints_counts(runner):
    started = time.perf_counter()
    result = runner.invoke(
        args=[
            "localities",
            "import",
            "vietnam-provinces",
            "--province",
            "15",
            "--scheme",
            "current",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "scheme 2025: 100 localities (100 created" in result.output
    assert time.perf_counter() - started < 5
    assert db.session.scalar(sa.select(sa.func.count(Locality.id))) == 100


def test_cli_refuses_unknown_province(runner):
    result = runner.invoke(args=["localities", "import", "vietnam-provinces", "--province", "99"])
    assert result.exit_code != 0
    assert "99" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Locality.id))) == 0
