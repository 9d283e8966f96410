"""Pages and skip logic without JavaScript, and the envelope checks."""

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from surveyapp.extensions import db
from surveyapp.instruments import engine
from surveyapp.journey import filling
from surveyapp.responses.models import Response
from tests.journey.helpers import attach, choices, form_data, identity, make_instrument, vi

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def branching():
    return make_instrument(
        "t-branch",
        "post_survey",
        [
            {"key": "uses", "qtype": "yes_no", "required": True, "label": vi("Bạn có dùng AI?")},
            {
                "key": "how_often",
                "qtype": "single_choice",
                "choices": choices("weekly", "daily"),
                "relevant": "${uses} = 'yes'",
                "required": True,
                "label": vi("Bao lâu một lần?"),
            },
            {
                "key": "tools",
                "qtype": "short_text",
                "page": 2,
                "relevant": "${uses} = 'yes'",
                "required": True,
                "label": vi("Công cụ nào?"),
            },
            {"key": "thanks", "qtype": "short_text", "page": 3, "label": vi("Lời nhắn")},
        ],
    )


def test_a_question_depending_on_its_own_page_is_shown_with_it(world):
    version = branching()
    pages = engine.pages(version.items)
    nothing = filling.Visibility(version.items, pages, {})
    assert [i.key for i in nothing.on_page(0)] == ["uses", "how_often"]
    assert nothing.on_page(1) == []  # depends on page 1, which is not answered yet
    assert nothing.step(0, 1) == 2
    yes = filling.Visibility(version.items, pages, {"uses": ["yes"]})
    assert [i.key for i in yes.on_page(1)] == ["tools"] and yes.step(0, 1) == 1
    assert yes.step(2, -1) == 1 and yes.first() == 0


def test_the_last_page_check_is_the_whole_form_check(world):
    """Up to the last page the check covers every question: its verdict is the whole
    form's (no second pass); before it, only the page's own messages come back."""
    version = branching()
    items = list(version.items)
    pages = engine.pages(items)
    sent = MultiDict({"uses": "yes", "how_often": "daily", "tools": ""})
    errors, whole = filling.check_through(pages, 0, items, sent)
    assert errors == {} and whole is None
    errors, whole = filling.check_through(pages, 1, items, sent)
    assert list(errors) == ["tools"] and whole is None
    errors, whole = filling.check_through(pages, 2, items, sent)
    assert errors == {}  # page 3's only question is optional
    full = filling.check_all(items, sent)
    assert whole is not None and whole.errors == full.errors == {"tools": full.errors["tools"]}
    assert whole.answers == full.answers == {"uses": "yes", "how_often": "daily"}
    assert filling.check_through(pages, 3, items, sent) == ({}, None)  # no such page


def test_a_page_with_nothing_to_show_is_skipped(world, as_user):
    version = branching()
    (form,) = attach(world.cls, version)
    client = as_user(None)
    client.post(f"/c/{world.cls.access_code}/identify", data=identity(commune=str(world.mau_a.id)))
    url = f"/c/{world.cls.access_code}/form/{form.id}"
    page1 = client.get(url)
    assert "Bao lâu một lần?" in page1.text and "Page 1 of 3" in page1.text
    page3 = client.post(url, data=form_data(page1.text, {"uses": "no"}))
    assert "Page 3 of 3" in page3.text and "Công cụ nào?" not in page3.text
    back = client.post(url, data=form_data(page3.text, action="back"))
    assert "Page 1 of 3" in back.text
    page3 = client.post(url, data=form_data(back.text, {"uses": "no", "how_often": "daily"}))
    done = client.post(url, data=form_data(page3.text, {"thanks": "Cảm ơn"}))
    assert done.status_code == 303
    response = db.session.scalar(sa.select(Response))
    assert {a.item.key for a in response.answers} == {"uses", "thanks"}  # how_often dropped


def test_envelope_checks():
    fresh = filling.new_envelope(NOW)
    assert filling.valid_submission_id(fresh.submission_id)
    assert not filling.valid_submission_id(str(uuid.uuid1()))
    assert not filling.valid_submission_id(fresh.submission_id.replace("-", ""))
    assert not filling.valid_submission_id(None)
    form = MultiDict(
        {
            "submission_id": fresh.submission_id.upper(),
            "started_at": (NOW - timedelta(hours=3)).isoformat(),
            "page": "2",
        }
    )
    envelope, problem = filling.read_envelope(form, NOW, 3)
    assert problem is None and envelope.page == 1
    assert envelope.submission_id == fresh.submission_id
    form["started_at"] = (NOW - timedelta(days=2, minutes=1)).isoformat()
    envelope, problem = filling.read_envelope(form, NOW, 3)
    assert problem == filling.TOO_OLD and envelope.started_at == NOW
    assert envelope.submission_id == fresh.submission_id  # the sound part is kept
    form["started_at"] = (NOW + timedelta(minutes=4)).isoformat()  # a slightly fast phone clock
    assert filling.read_envelope(form, NOW, 3)[1] is None
