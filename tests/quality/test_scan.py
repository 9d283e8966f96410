"""Likert blocks, flag merging, duplicate people and ``flask quality scan``."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.quality import checks, duplicates, review
from surveyapp.responses.models import Response
from tests.journey.helpers import attach, make_class
from tests.quality.helpers import likert_block_form, person, response, submit

PRE = {"se_confident": 3, "ai_frequency": "weekly", "hours": 2}


def item(key, qtype="likert", page=1, section=None):
    return SimpleNamespace(key=key, qtype=qtype, page=page, section=section or {})


def test_likert_blocks_group_by_page_and_section():
    a = {"vi": "Thái độ"}
    items = [
        item("l1", section=a),
        item("n", qtype="note", section=a),
        item("l2", section=a),
        item("l3", section={"vi": "Thói quen"}),
        item("l4", page=2, section=a),
        item("c", qtype="single_choice"),
    ]
    blocks = checks.likert_blocks(items)
    assert [[i.key for i in block] for block in blocks] == [["l1", "l2"], ["l3"], ["l4"]]


def test_straight_lined_needs_a_whole_block_of_five_answered():
    block = [item(f"s{i}") for i in range(6)]
    assert checks.straight_lined(block, {f"s{i}": 2 for i in range(6)})
    assert checks.straight_lined(block, {f"s{i}": 2 for i in range(5)})  # one skipped
    assert not checks.straight_lined(block, {f"s{i}": 2 for i in range(4)})
    assert not checks.straight_lined(block, {f"s{i}": i % 2 + 1 for i in range(6)})
    assert not checks.straight_lined(block, {})


def test_merge_flags_keeps_a_fixed_order_without_repeats():
    assert checks.merge_flags(["probable_duplicate"], ["too_fast", "probable_duplicate"]) == [
        "too_fast",
        "probable_duplicate",
    ]
    assert checks.merge_flags(None, []) == []


def test_a_new_flag_sends_a_kept_response_back_to_the_queue(world):
    form = world.forms["pre"]
    kept = response(form, flags=["too_fast"])
    kept.reviewed_at = datetime(2026, 3, 2, tzinfo=UTC)
    kept.reviewed_by_id = world.trainer.id
    assert not checks.add_flags(kept, ["too_fast"])  # nothing new: stays reviewed
    assert kept.reviewed_at is not None
    assert checks.add_flags(kept, ["probable_duplicate"])
    assert kept.reviewed_at is None and kept.reviewed_by_id is None
    gone = response(form, flags=["too_fast"], excluded=True, note="Trùng")
    gone.reviewed_at = datetime(2026, 3, 2, tzinfo=UTC)
    assert checks.add_flags(gone, ["straight_lining"])
    assert gone.excluded and gone.reviewed_at is not None


def test_pace_is_judged_again_once_the_class_has_answered(world):
    form = world.forms["pre"]
    early = submit(form, person(world, "Lò Văn Páo"), PRE, seconds=60)
    assert early.flags == []  # alone in the form: only the 2 s per answer floor applied
    for n, seconds in enumerate((300, 320, 340, 360)):
        submit(form, person(world, f"Hoàng Thị Mai {n}"), PRE, seconds=seconds)
    result = review.scan_campaign(world.campaign)
    # median of 60, 300, 320, 340, 360 = 320 -> under 96 s is too fast
    assert early.flags == ["too_fast"]
    assert result.paced_or_straight == 1 and result.classes == 2
    assert review.scan_campaign(world.campaign).paced_or_straight == 0  # idempotent


def test_scan_finds_straight_lining_in_stored_answers(world):
    form = likert_block_form(world)
    same = submit(form, person(world, "Lò Văn Páo"), {f"s{i}": 5 for i in range(1, 7)})
    same.flags = []  # as if stored before the checks existed
    db.session.flush()
    review.scan_campaign(world.campaign)
    assert same.flags == ["straight_lining"]


def test_excluded_responses_do_not_set_the_pace(world):
    form = world.forms["pre"]
    for _n in range(4):
        response(form, seconds=10, excluded=True)
    submit(form, person(world, "Lò Văn Páo"), PRE, seconds=30)
    fine = db.session.scalar(sa.select(Response).where(Response.excluded.is_(False)))
    assert fine.flags == []


def twins(world, other_class):
    """The same person identified twice (two phones), in two classes of the campaign."""
    a = person(world, phone="0912345678")
    b = person(world, name="NGUYEN THI LAN", cls=other_class, phone="0987654321")
    assert a.id != b.id
    return a, b


def test_duplicates_across_classes_are_found_by_the_campaign_scan(world, f):
    other = make_class(f, world.campaign, world.dong_cuong, title="Lớp Đông Cuông")
    other_pre = attach(other, world.v.pre)[0]
    a, b = twins(world, other)
    first = submit(world.forms["pre"], a, PRE)
    second = submit(other_pre, b, PRE)
    assert first.flags == [] and second.flags == []  # one per class: no twin in the class
    assert duplicates.duplicate_groups(campaign_id=world.campaign.id) == [{a.id, b.id}]
    assert duplicates.duplicate_groups(class_id=world.cls.id) == []
    result = review.scan_campaign(world.campaign)
    assert (result.duplicate_groups, result.duplicate_responses) == (1, 2)
    assert first.flags == second.flags == ["probable_duplicate"]


def test_erased_people_and_other_campaigns_are_not_compared(world, f):
    a = person(world, phone="0912345678")
    elsewhere = f.campaign(world.province, name="Chiến dịch khác")
    cls = make_class(f, elsewhere, world.mau_a)
    b = person(world, cls=cls, phone="0987654321")
    assert duplicates.duplicate_groups(campaign_id=world.campaign.id) == []
    c = person(world, phone="0977000111")
    assert duplicates.duplicate_groups(campaign_id=world.campaign.id) == [{a.id, c.id}]
    c.erased_at = datetime(2026, 3, 5, tzinfo=UTC)
    db.session.flush()
    assert duplicates.duplicate_groups(campaign_id=world.campaign.id) == []
    assert b.id not in {p.person_id for p in duplicates.people_keys(campaign_id=world.campaign.id)}


def test_people_keys_need_exactly_one_place():
    with pytest.raises(ValueError):
        duplicates.people_keys()
    with pytest.raises(ValueError):
        duplicates.people_keys(campaign_id=1, class_id=1)


def test_cli_scan(world, runner):
    form = world.forms["pre"]
    early = submit(form, person(world, "Lò Văn Páo"), PRE, seconds=60)
    for n, seconds in enumerate((300, 320, 340, 360)):
        submit(form, person(world, f"Hoàng Thị Mai {n}"), PRE, seconds=seconds)
    result = runner.invoke(args=["quality", "scan", "--campaign", str(world.campaign.id)])
    assert result.exit_code == 0, result.output
    assert "2 classes scanned, 1 responses newly flagged" in result.output
    db.session.refresh(early)
    assert early.flags == ["too_fast"]


def test_cli_scan_of_an_unknown_campaign(runner, ctx):
    result = runner.invoke(args=["quality", "scan", "--campaign", "999999"])
    assert result.exit_code != 0 and "No campaign with id 999999" in result.output
