"""Versions, freezing, clones, text edits, rights and the default instrument set."""

from collections import Counter
from datetime import UTC, datetime

import pytest

from surveyapp.errors import DomainError, NotAllowed
from surveyapp.instruments import documents, imports, services
from surveyapp.instruments.i18n import COMPETENCIES

from .helpers import check, definition_dict, make_instrument, respond

NOW = datetime(2026, 3, 15, 8, 0, tzinfo=UTC)


def test_a_version_with_a_response_is_frozen(f):
    version = make_instrument()
    assert not services.is_frozen(version)
    respond(version)
    assert services.is_frozen(version)


def test_freeze_stamps_once(f):
    version = make_instrument()
    services.freeze(version, NOW)
    services.freeze(version, datetime(2027, 1, 1, tzinfo=UTC))
    assert version.frozen_at == NOW and services.is_frozen(version)


def test_a_frozen_version_refuses_edits(f):
    version = make_instrument()
    respond(version)
    with pytest.raises(DomainError):
        services.update_item_texts(version, "ai_frequency", label={"vi": "Câu mới"})
    assert version.items[0].label["vi"] == "Bạn dùng AI bao lâu một lần?"


def test_clone_increments_the_number_and_keeps_keys(f):
    version = make_instrument()
    respond(version)
    new = services.clone_version(version, None, now=NOW)
    assert new.number == 2 and new.instrument_id == version.instrument_id
    assert [i.key for i in new.items] == [i.key for i in version.items]
    assert services.definition_of(new) == services.definition_of(version)
    assert not services.is_frozen(new)
    services.update_item_texts(new, "ai_frequency", label={"vi": "Câu mới", "en": "New"})
    assert new.items[0].label == {"vi": "Câu mới", "en": "New"}
    assert version.items[0].label["vi"] == "Bạn dùng AI bao lâu một lần?"
    assert version.instrument.latest.number == 2


def test_update_item_texts_changes_choice_labels_and_checks_them(f):
    version = make_instrument()
    services.update_item_texts(
        version,
        "ai_frequency",
        hint={"vi": "Chọn một", "en": ""},
        choice_labels={"daily": {"vi": "Mỗi ngày", "en": "Every day"}},
    )
    item = version.items[0]
    assert item.hint == {"vi": "Chọn một"}
    assert item.choices[1] == {"value": "daily", "label": {"vi": "Mỗi ngày", "en": "Every day"}}
    assert item.choices[0]["label"]["vi"] == "Chưa dùng"
    with pytest.raises(DomainError):
        services.update_item_texts(version, "ai_frequency", choice_labels={"weekly": {"vi": "x"}})
    with pytest.raises(DomainError):
        services.update_item_texts(version, "ai_frequency", label={"vi": " ", "en": ""})
    with pytest.raises(DomainError):
        services.update_item_texts(version, "nowhere", label={"vi": "x"})


def test_rights_national_scope_and_sibling(f):
    province, commune, sibling = f.tree()
    national = make_instrument()
    local = make_instrument(locality=commune)
    admin = f.user("admin")
    coordinator = f.user("coordinator", commune)
    other = f.user("coordinator", sibling)
    trainer = f.user("trainer", commune)
    assert services.may_manage(admin, national.instrument)
    assert not services.may_manage(coordinator, national.instrument)
    assert services.may_manage(coordinator, local.instrument)
    assert not services.may_manage(other, local.instrument)
    assert not services.may_manage(trainer, local.instrument)
    with pytest.raises(NotAllowed):
        services.clone_version(national, coordinator)
    with pytest.raises(NotAllowed):
        services.update_item_texts(local, "story", label={"vi": "x"}, actor=other)


def test_a_coordinator_copies_a_national_instrument_into_their_area(f):
    province, commune, _ = f.tree()
    national = make_instrument("skill-quiz")
    coordinator = f.user("coordinator", commune)
    copy = services.clone_into_scope(national, coordinator, now=NOW)
    assert copy.instrument.key == f"skill-quiz-{commune.code}"
    assert copy.instrument.locality_id == commune.id and copy.number == 1
    assert [i.key for i in copy.items] == [i.key for i in national.items]
    assert services.may_manage(coordinator, copy.instrument)
    again = services.clone_into_scope(national, coordinator, now=NOW)
    assert again.instrument.key == f"skill-quiz-{commune.code}-2"


def test_importing_an_existing_key_adds_a_version_unless_unchanged(f):
    data = documents.dump(check(definition_dict("lap-lai"))[0], "yaml").encode()
    first = imports.import_file(data, "lap-lai.yaml")
    assert first.ok and first.created_instrument and first.version_number == 1
    same = imports.import_file(data, "lap-lai.yaml")
    assert same.ok and same.unchanged and same.version_number == 1
    changed = data.replace("Kể một ví dụ".encode(), "Kể hai ví dụ".encode())
    respond(services.find_instrument("lap-lai").latest)
    second = imports.import_file(changed, "lap-lai.yaml")
    assert second.ok and second.version_number == 2 and not second.created_instrument
    versions = services.find_instrument("lap-lai").versions
    assert versions[0].items[2].label["vi"] == "Kể một ví dụ ở Mù Cang Chải"  # frozen one untouched
    assert versions[1].items[2].label["vi"] == "Kể hai ví dụ ở Mù Cang Chải"


def test_import_refusals(f):
    province, commune, sibling = f.tree()
    make_instrument("cua-xa-khac", locality=sibling)
    make_instrument("toan-quoc")
    coordinator = f.user("coordinator", commune)
    data = documents.dump(check(definition_dict("x"))[0], "json").encode()
    for key in ("cua-xa-khac", "toan-quoc"):
        report = imports.import_file(data, "x.json", actor=coordinator, key=key)
        assert "not_allowed" in report.codes()
    report = imports.import_file(data, "x.json", key="toan-quoc", kind="skill_test")
    assert "kind" in {p.code for p in report.errors}
    assert "extension" in imports.import_file(data, "x.pdf").codes()
    assert "too_large" in imports.import_file(b"x" * (3 * 1024 * 1024), "x.yaml").codes()


def test_a_coordinators_import_belongs_to_their_area(f):
    province, commune, _ = f.tree()
    coordinator = f.user("coordinator", commune)
    data = documents.dump(check(definition_dict("cua-toi"))[0], "yaml").encode()
    report = imports.import_file(data, "cua-toi.yaml", actor=coordinator, locality_id=None)
    assert report.ok
    assert services.find_instrument("cua-toi").locality_id == commune.id


def test_export_then_import_gives_the_same_items(f):
    version = make_instrument("vong-tron")
    for file_format in ("yaml", "json"):
        text = services.export_text(version, file_format)
        report = imports.import_file(
            text.encode(), f"copy.{file_format}", key=f"vong-{file_format}"
        )
        assert report.ok, report.errors
        copy = services.find_instrument(f"vong-{file_format}").latest
        original, again = services.definition_of(version), services.definition_of(copy)
        assert again["items"] == original["items"]
        assert again["title"] == original["title"]


# ---------------------------------------------------------------- the default set


@pytest.fixture
def defaults(f):
    reports = imports.load_defaults(now=NOW)
    assert all(r.ok for r in reports), [r.errors for r in reports]
    return {r.key: services.find_instrument(r.key).latest for r in reports}


def test_default_set_loads_idempotently(defaults):
    assert set(defaults) == {"pre-survey", "post-survey", "follow-up", "skill-test"}
    again = imports.load_defaults(now=NOW)
    assert all(r.unchanged for r in again)
    assert all(v.instrument.locality_id is None and v.number == 1 for v in defaults.values())


def test_default_skill_test(defaults):
    test = defaults["skill-test"]
    scored = [i for i in test.items if i.scored]
    assert len(scored) >= 25 and test.instrument.kind == "skill_test"
    assert {i.competency for i in scored} == set(COMPETENCIES)
    assert all(i.explanation.get("vi") and i.explanation.get("en") for i in scored)
    partial = [i for i in scored if i.qtype == "multiple_choice"]
    assert len(partial) >= 3 and all(i.partial_credit for i in partial)
    single = [i for i in scored if i.qtype == "single_choice"]
    keys = Counter(i.answer_key for i in single)
    assert set(keys) == {"a", "b", "c", "d"}
    assert max(keys.values()) <= len(single) * 0.3  # spread, not clustered on one letter
    longest = 0
    for item in single:
        lengths = {c["value"]: len(c["label"]["vi"]) for c in item.choices}
        top = max(lengths.values())
        longest += lengths[item.answer_key] == top and list(lengths.values()).count(top) == 1
    assert longest <= len(single) / 3  # the key is not given away by being the longest


def test_default_surveys_share_keys_for_gains_and_the_indicator(defaults):
    pre, post, follow = defaults["pre-survey"], defaults["post-survey"], defaults["follow-up"]
    efficacy = {i.key for i in pre.items if i.qtype == "likert"}
    assert efficacy <= {i.key for i in post.items}
    assert any(i.reverse for i in pre.items if i.key in efficacy)
    items = {i.key: i for i in follow.items}
    assert [c["value"] for c in items["ai_frequency"].choices] == [
        "never",
        "monthly_1_3",
        "weekly_1_2",
        "weekly_3_6",
        "daily",
    ]
    assert [c["value"] for c in items["time_saved"].choices] == [
        "none",
        "lt30",
        "m30_60",
        "h1_3",
        "gt3",
    ]
    assert "other" in [c["value"] for c in items["ai_purposes"].choices]
    assert items["ai_purposes"].qtype == "multiple_choice" and items["example"].qtype == "long_text"
    assert items["verifies_outputs"].qtype == "likert" and not items["verifies_outputs"].reverse
    assert items["enters_personal_data"].qtype == "likert" and items["enters_personal_data"].reverse
    assert items["satisfaction"].qtype == "likert"
    for version in defaults.values():
        for item in version.items:
            assert item.label.get("vi") and item.label.get("en"), item.key
