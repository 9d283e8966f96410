"""Bulk writing of trees, the read helpers and the accent-folding used by search."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.localities import services
from surveyapp.localities.models import Locality
from surveyapp.localities.text import fold
from surveyapp.localities.tree import Node, move_subtree, upsert_tree

from .conftest import unit


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Mù Cang Chải", "mu cang chai"),
        ("Huyện Mù Căng Chải", "huyen mu cang chai"),
        ("ĐỒNG Đăng", "dong dang"),
        ("  Văn   Yên ", "van yen"),
        ("Thị trấn Mậu A", "thi tran mau a"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_model_keeps_search_name_in_step(f):
    loc = f.locality("Xã Mù Cang Chải")
    assert loc.search_name == "xa mu cang chai"
    loc.name = "Xã Đông Cuông"
    assert loc.search_name == "xa dong cuong"


def nodes_of_small_tree():
    return [
        Node("02", "Xã Nà Hẩu", "commune", "D1"),  # child before its parent
        Node("D1", "Huyện Văn Yên", "district", "P"),
        Node("P", "Tỉnh Yên Bái", "province", None),
        Node("03", "Xã Mỏ Vàng", "commune", "D1"),
    ]


def test_upsert_creates_paths_and_depths_whatever_the_order(f):
    scheme = f.scheme("2024")
    result = upsert_tree(scheme.id, nodes_of_small_tree())
    assert (result.created, result.updated, result.total) == (4, 0, 4)
    province, district, commune = unit("2024", "P"), unit("2024", "D1"), unit("2024", "02")
    assert province.path == f"/{province.id}/" and province.depth == 0
    assert district.path == f"/{province.id}/{district.id}/" and district.parent_id == province.id
    assert commune.path == f"{district.path}{commune.id}/" and commune.depth == 2
    assert commune.search_name == "xa na hau"


def test_upsert_renames_and_moves_subtrees(f):
    scheme = f.scheme("2024")
    upsert_tree(scheme.id, nodes_of_small_tree())
    result = upsert_tree(
        scheme.id,
        [
            Node("Q", "Tỉnh Lào Cai", "province", None),
            Node("D1", "Huyện Văn Yên", "district", "Q"),  # moves with its communes
            Node("03", "Xã Mỏ Vàng mới", "commune", "D1"),
        ],
    )
    assert (result.created, result.updated, result.moved) == (1, 2, 1)
    new_root, district = unit("2024", "Q"), unit("2024", "D1")
    commune = unit("2024", "02")
    assert district.path == f"/{new_root.id}/{district.id}/"
    assert commune.path == f"{district.path}{commune.id}/" and commune.depth == 2
    assert unit("2024", "03").name == "Xã Mỏ Vàng mới"
    assert unit("2024", "P").path == f"/{unit('2024', 'P').id}/"


def test_move_to_root_and_refuse_own_subtree(f):
    province, a, _b = f.tree()
    child = f.locality("Thôn Một", parent=a, kind="village")
    with pytest.raises(ValueError):
        move_subtree(province.id, child.id)
    move_subtree(a.id, None)
    db.session.expire_all()
    assert (a.path, a.depth, a.parent_id) == (f"/{a.id}/", 0, None)
    assert (child.path, child.depth) == (f"/{a.id}/{child.id}/", 1)


def test_upsert_refuses_unknown_parent(f):
    scheme = f.scheme("2024")
    with pytest.raises(ValueError):
        upsert_tree(scheme.id, [Node("X", "Xã X", "commune", "nowhere")])


def test_children_ancestors_and_descendant_counts(f):
    province, a, b = f.tree()
    village = f.locality("Thôn Mù Cang Chải", parent=a, kind="village")
    assert services.children_of(province) == sorted([a, b], key=lambda loc: loc.code)
    assert services.ancestors_of(village) == [province, a]
    assert services.ancestors_of(province) == []
    assert services.descendant_counts([province.id, a.id, b.id]) == {
        province.id: 3,
        a.id: 1,
        b.id: 0,
    }
    assert services.count_children(province) == 2


def test_descendant_counts_is_one_query(f):
    province, a, b = f.tree()
    statements = []
    engine = db.session.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        services.descendant_counts([province.id, a.id, b.id])
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    assert len([s for s in statements if "SAVEPOINT" not in s]) == 1


def test_search_ignores_accents_and_case_within_scope(f):
    province, a, _b = f.tree()
    other = f.locality("Tỉnh Khác")
    far = f.locality("Xã Mù Cang Chải", parent=other)
    coordinator = f.user(locality=province)
    from surveyapp.security import scope_for

    found = services.search("mu CANG chai", scope_for(coordinator))
    assert [loc for loc, _parent in found] == [a]
    assert found[0][1] == "Tỉnh Thử"
    everyone = services.search("Mù Căng", scope_for(f.user(role="admin")))
    assert {loc.id for loc, _ in everyone} == {a.id, far.id}
    assert services.search(a.code, scope_for(coordinator))[0][0] == a
    assert services.search("100%_", scope_for(coordinator)) == []
    assert db.session.get(Locality, far.id) is not None


def test_rerun_restores_a_blank_search_name(f):
    scheme = f.scheme("2024")
    upsert_tree(scheme.id, nodes_of_small_tree())
    db.session.execute(sa.update(Locality).values(search_name=""))
    result = upsert_tree(scheme.id, nodes_of_small_tree())
    assert result.updated == 4
    assert unit("2024", "D1").search_name == "huyen van yen"
