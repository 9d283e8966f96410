"""The per-process item cache: copies of a version's items, read afresh after any edit."""

from __future__ import annotations

import pytest

from surveyapp.extensions import db
from surveyapp.instruments import services, snapshots

from .helpers import make_instrument


@pytest.fixture(autouse=True)
def _empty_cache():
    snapshots.clear()
    yield
    snapshots.clear()


def test_copies_hold_every_column_in_order_and_are_read_only(f):
    version = make_instrument()
    copies = snapshots.items_of(version)
    assert [c.key for c in copies] == ["ai_frequency", "hours", "story"]
    for copy, item in zip(copies, version.items, strict=True):
        assert (copy.id, copy.qtype, copy.page, copy.label, copy.choices, copy.relevant) == (
            item.id, item.qtype, item.page, item.label, item.choices, item.relevant,
        )  # fmt: skip
        assert copy.scored == item.scored
    with pytest.raises(AttributeError):
        copies[0].required = False


def test_the_same_revision_is_read_once(f, monkeypatch):
    version = make_instrument()
    first = snapshots.items_of(version)
    db.session.expire(version, ["items"])
    monkeypatch.setattr(type(version), "items", property(lambda _v: pytest.fail("read again")))
    assert snapshots.items_of(version) is first


def test_an_edit_gives_the_version_a_new_revision_and_fresh_copies(f):
    version = make_instrument()
    before = version.items_revision
    old = snapshots.items_of(version)
    services.update_item_texts(version, "ai_frequency", label={"vi": "Câu mới"})
    db.session.flush()
    assert version.items_revision != before
    db.session.expire(version)
    assert version.items_revision != before  # stored, not only in this session
    assert snapshots.items_of(version)[0].label["vi"] == "Câu mới"
    assert old[0].label["vi"] == "Bạn dùng AI bao lâu một lần?"


def test_a_changed_answer_key_on_a_frozen_version_is_seen(f):
    version = make_instrument()
    item = version.items[0]
    old = snapshots.items_of(version)
    services.freeze(version, version.created_at)
    item.answer_key = "daily"
    item.points = 1
    db.session.flush()
    assert snapshots.items_of(version) is not old
    assert snapshots.items_of(version)[0].scored and not old[0].scored


def test_an_untouched_version_keeps_its_revision(f):
    version = make_instrument()
    other = make_instrument()
    before = version.items_revision
    other.items[0].required = False
    db.session.flush()
    db.session.expire(version)
    assert version.items_revision == before
