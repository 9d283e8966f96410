"""Saving a campaign's indicator rule (``rules.save_rule``) and its page
``/campaigns/<id>/indicator-rule``: wording, history, validation, roles and scope."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from surveyapp.audit.models import AuditEntry
from surveyapp.errors import DomainError, NotAllowed
from surveyapp.extensions import db
from surveyapp.indicators.models import IndicatorRule
from surveyapp.indicators.rule import DEFAULT_RULE, Rule, RuleError
from surveyapp.indicators.rules import current_rule, rule_history, save_rule


def _data(**changes) -> dict:
    data = DEFAULT_RULE.to_dict()
    data.pop("version")
    data.update(changes)
    return data


@pytest.fixture
def place(f):
    province, a, b = f.tree()
    campaign = f.campaign(province, name="Bình dân học AI tỉnh Thử")
    return province, a, b, campaign


# ---------------------------------------------------------------- save_rule


def test_save_rule_adds_the_next_version_with_an_audit_entry(f, place):
    province, _a, _b, campaign = place
    admin = f.user(role="admin")
    first = save_rule(campaign, _data(min_post_percent=75), admin, note="Nâng ngưỡng")
    assert (first.version, first.note, first.created_by_id) == (2, "Nâng ngưỡng", admin.id)
    assert current_rule(campaign.id).rule.min_post_percent == 75
    second = save_rule(campaign, _data(min_post_percent=80, version=99), admin)
    assert second.version == 3 and second.definition["version"] == 3
    assert [r.version for r in rule_history(campaign.id)] == [3, 2]
    entry = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.action == "indicator_rule.saved")
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry.detail["old"]["min_post_percent"] == 75
    assert entry.detail["new"]["min_post_percent"] == 80
    assert entry.detail["new"]["version"] == 3
    assert entry.locality_id == province.id and entry.actor_id == admin.id


def test_history_is_per_campaign(f, place):
    province, _a, _b, campaign = place
    other = f.campaign(province)
    save_rule(campaign, _data(min_days_after_class=45), None)
    assert rule_history(other.id) == []
    assert current_rule(other.id).record is None


def test_identical_rule_is_refused(place):
    campaign = place[3]
    with pytest.raises(DomainError, match="already"):
        save_rule(campaign, _data(), None)
    save_rule(campaign, _data(require_purpose=False), None)
    with pytest.raises(DomainError, match="already"):
        save_rule(campaign, _data(require_purpose=False), None)
    assert len(rule_history(campaign.id)) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"frequency_values": []}, "frequency_values"),
        ({"frequency_values": ["hourly"]}, "frequency_values"),
        ({"min_verifies_outputs": 6}, "min_verifies_outputs"),
        ({"min_post_percent": 101}, "min_post_percent"),
        ({"min_safety_share": {"numerator": 4, "denominator": 3}}, "min_safety_share"),
        ({"time_saved_values": ["lt30", "lt30"]}, "time_saved_values"),
        ({"min_days_after_class": -1}, "min_days_after_class"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_invalid_rule_names_the_field(place, changes, field):
    with pytest.raises(RuleError) as caught:
        save_rule(place[3], _data(**changes), None)
    assert caught.value.field == field
    assert rule_history(place[3].id) == []


def test_stale_edit_and_long_note_are_refused(place):
    campaign = place[3]
    save_rule(campaign, _data(min_days_after_class=40), None)
    with pytest.raises(DomainError, match="while you were editing"):
        save_rule(campaign, _data(min_days_after_class=50), None, expected_version=1)
    with pytest.raises(DomainError) as caught:
        save_rule(campaign, _data(min_days_after_class=50), None, note="x" * 501)
    assert caught.value.field == "note"


@pytest.mark.parametrize("who", ["trainer", "evaluator", "commune_coordinator"])
def test_only_admins_and_coordinators_of_the_area_save(f, place, who):
    province, a, _b, campaign = place
    role = "coordinator" if who == "commune_coordinator" else who
    actor = f.user(role=role, locality=a if who == "commune_coordinator" else province)
    with pytest.raises(NotAllowed):
        save_rule(campaign, _data(min_days_after_class=40), actor)


def test_province_coordinator_saves(f, place):
    province, _a, _b, campaign = place
    coordinator = f.user(role="coordinator", locality=province)
    saved = save_rule(campaign, _data(min_days_after_class=40), coordinator)
    assert saved.version == 2


# ---------------------------------------------------------------- the page

URL = "/campaigns/{}/indicator-rule"


def _form(**changes) -> dict:
    form = {
        "min_days_after_class": "30",
        "frequency_values": ["weekly_1_2", "weekly_3_6", "daily"],
        "require_purpose": "y",
        "require_accepted_example": "y",
        "min_verifies_outputs": "4",
        "max_enters_personal_data": "1",
        "min_post_percent": "70",
        "min_safety_share": "2",
        "safety_denominator": "3",
        "time_saved_values": ["m30_60", "h1_3", "gt3"],
        "note": "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_page_shows_default_rule_wording_in_both_languages(f, login, place):
    campaign = place[3]
    page = login(f.user(role="admin")).get(URL.format(campaign.id))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Rule v1: applies AI effectively" in text
    assert "at least 30 days after the class" in text
    assert 'lang="vi"' in text and "The default rule" in text
    assert 'name="min_post_percent"' in text and 'value="70"' in text
    assert "Save as version 2" in text


def test_coordinator_saves_a_new_version_through_the_form(f, login, place):
    province, _a, _b, campaign = place
    coordinator = f.user(role="coordinator", locality=province)
    client = login(coordinator)
    sent = client.post(
        URL.format(campaign.id),
        data=_form(min_post_percent="72.5", frequency_values=["daily"], require_purpose=None,
                   time_saved_values=None, min_safety_share="3", safety_denominator="4",
                   note="Yêu cầu hằng ngày ở Văn Yên", base_version="1"),
    )  # fmt: skip
    assert sent.status_code == 302, sent.get_data(as_text=True)
    rule = current_rule(campaign.id).rule
    assert rule == Rule(
        version=2, frequency_values=("daily",), require_purpose=False, min_post_percent=72.5,
        min_safety_share=rule.min_safety_share, time_saved_values=(),
    )  # fmt: skip
    assert (rule.min_safety_share.numerator, rule.min_safety_share.denominator) == (3, 4)
    page = client.get(URL.format(campaign.id)).get_data(as_text=True)
    assert "Version 2 of the rule was saved." in page
    assert "Rule v2: applies AI effectively" in page
    assert "Yêu cầu hằng ngày ở Văn Yên" in page
    assert coordinator.name in page
    assert "72.5" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"frequency_values": None}, "frequency_values", "needs at least one value"),
        ({"min_safety_share": "4"}, "min_safety_share", "fraction between 0 and 1"),
        ({"min_days_after_class": "ba mươi"}, "min_days_after_class", "whole number"),
        ({"min_days_after_class": "mười"}, "min_days_after_class", 'value="mười"'),
        ({"min_post_percent": "120"}, "min_post_percent", "percentage from 0 to 100"),
        ({"min_post_percent": "NaN"}, "min_post_percent", "percentage from 0 to 100"),
        ({"min_post_percent": "-inf"}, "min_post_percent", "percentage from 0 to 100"),
        ({"min_post_percent": "bảy mươi"}, "min_post_percent", "bảy mươi"),
        ({"min_verifies_outputs": "9"}, "min_verifies_outputs", ""),
        ({"frequency_values": ["hourly"]}, "frequency_values", ""),
        ({"safety_denominator": "0"}, "safety_denominator", "at least 1"),
    ],
)
def test_bad_input_is_shown_by_the_field_with_what_was_typed(
    f, login, place, changes, field, message
):
    campaign = place[3]
    client = login(f.user(role="admin"))
    sent = client.post(URL.format(campaign.id), data=_form(note="Ghi chú Mù Cang Chải", **changes))
    assert sent.status_code == 400
    text = sent.get_data(as_text=True)
    assert f'id="{field}-error"' in text
    assert message in text
    assert "Ghi chú Mù Cang Chải" in text
    assert rule_history(campaign.id) == []


def test_unchanged_rule_is_a_400_with_a_message(f, login, place):
    campaign = place[3]
    sent = login(f.user(role="admin")).post(URL.format(campaign.id), data=_form(note="Không đổi"))
    assert sent.status_code == 400
    text = sent.get_data(as_text=True)
    assert "This is the rule in use already" in text and "Không đổi" in text


def test_stale_form_is_refused(f, login, place):
    campaign = place[3]
    save_rule(campaign, _data(min_days_after_class=40), None)
    sent = login(f.user(role="admin")).post(
        URL.format(campaign.id), data=_form(min_days_after_class="50", base_version="1")
    )
    assert sent.status_code == 400
    text = sent.get_data(as_text=True)
    assert "while you were editing" in text
    assert 'name="base_version" type="hidden" value="2"' in text


@pytest.mark.parametrize("role", ["trainer", "evaluator"])
def test_readers_see_the_rule_without_a_form_and_may_not_post(f, login, place, role):
    province, a, _b, campaign = place
    client = login(f.user(role=role, locality=a))
    page = client.get(URL.format(campaign.id))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Rule v1" in text and 'name="min_post_percent"' not in text
    assert (
        client.post(URL.format(campaign.id), data=_form(min_days_after_class="40")).status_code
        == 403
    )
    assert rule_history(campaign.id) == []


def test_commune_coordinator_reads_a_province_campaign_but_may_not_change_it(f, login, place):
    _province, a, _b, campaign = place
    client = login(f.user(role="coordinator", locality=a))
    assert 'name="min_post_percent"' not in client.get(URL.format(campaign.id)).get_data(
        as_text=True
    )
    assert (
        client.post(URL.format(campaign.id), data=_form(min_days_after_class="40")).status_code
        == 403
    )


def test_sibling_commune_gets_404_and_judge_403(f, login, place):
    _province, a, b, _campaign = place
    own = f.campaign(b, name="Chiến dịch xã Văn Yên")
    assert login(f.user(role="coordinator", locality=a)).get(URL.format(own.id)).status_code == 404
    assert login(f.user(role="evaluator", locality=a)).get(URL.format(own.id)).status_code == 404
    assert login(f.user(role="judge", locality=b)).get(URL.format(own.id)).status_code == 403
    assert login(f.user(role="admin")).get(URL.format(99999)).status_code == 404


def test_anonymous_is_sent_to_login(client, place):
    sent = client.get(URL.format(place[3].id))
    assert sent.status_code == 302 and "/login" in sent.location


def test_history_lists_every_version_with_its_wording(f, login, place):
    campaign = place[3]
    save_rule(campaign, _data(min_days_after_class=45), f.user(role="admin"), note="Lần một")
    save_rule(campaign, _data(min_days_after_class=60), None, note="Lần hai")
    text = login(f.user(role="admin")).get(URL.format(campaign.id)).get_data(as_text=True)
    for needle in ("Rule v3", "Rule v2", "Rule v1", "Lần một", "Lần hai", "at least 60 days",
                   "at least 45 days"):  # fmt: skip
        assert needle in text
    assert text.index("Lần hai") < text.index("Lần một")


def test_campaign_page_links_to_the_rule(f, login, place):
    campaign = place[3]
    text = login(f.user(role="admin")).get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert URL.format(campaign.id) in text


def test_csrf_token_is_required(app, f, login, place):
    campaign = place[3]
    client = login(f.user(role="admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        sent = client.post(URL.format(campaign.id), data=_form(min_days_after_class="40"))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert sent.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorRule)) == 0


def test_with_csrf_on_the_rule_form_carries_a_working_token(app, f, login, place):
    campaign = place[3]
    client = login(f.user(role="admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get(URL.format(campaign.id)).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        sent = client.post(
            URL.format(campaign.id), data=_form(min_days_after_class="40", csrf_token=token)
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert sent.status_code == 302
    assert current_rule(campaign.id).rule.min_days_after_class == 40
