"""Fuzzing the journey form (/c/<code>/form/<id>) with every question type, as a plain HTML
post and as the page script's JSON post, and the follow-up form (/f/<token>): never a 500;
a rejection is a 400 with the problem in words and nothing stored; an accepted post stores
exactly one response whose answers are what the types allow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import event, given
from hypothesis import strategies as st

from surveyapp.extensions import db
from surveyapp.journey.api import PERSON_HEADER, person_marker
from surveyapp.participants.models import Participant
from surveyapp.responses.models import Answer, Response
from tests.fuzz.conftest import (
    ANY_TEXT,
    FUZZ,
    assert_clear_rejection,
    counts,
    maybe,
    text_or,
)
from tests.journey.helpers import form_data

CHOICES = ("never", "weekly", "daily")
NUMBERS = ("0", "168", "169", "-1", "12,5", "1e3", "007", "+3", "9" * 50)
DATES = ("2026-03-08", "08/03/2026", "2026-02-30", "31/12/1899", "0000-00-00", "8.3.2026")


def one_value(valid: st.SearchStrategy) -> st.SearchStrategy:
    """What a field may carry: mostly a valid value, sometimes anything, sometimes several."""
    return st.one_of(
        valid, valid, ANY_TEXT, st.lists(st.one_of(valid, ANY_TEXT), min_size=2, max_size=3)
    )


# Per question: a valid answer, and what else may be posted for it.
FIELDS = {
    "intro": (None, ANY_TEXT),  # a note takes no answer: anything posted is ignored
    "likert": ("4", one_value(st.sampled_from(("1", "2", "3", "4", "5", "0", "6")))),
    "single": ("weekly", one_value(st.sampled_from(CHOICES))),
    "multi": (["a", "c"], st.one_of(st.lists(st.sampled_from("abcd"), max_size=4), ANY_TEXT)),
    "yesno": ("yes", one_value(st.sampled_from(("yes", "no", "có")))),
    "whole": ("6", one_value(st.one_of(st.sampled_from(NUMBERS), st.integers().map(str)))),
    "amount": (
        "12.5",
        one_value(st.one_of(st.sampled_from(NUMBERS), st.decimals(allow_nan=True).map(str))),
    ),
    "short": ("Văn Yên", one_value(st.text(max_size=60))),
    "long": ("Mù Cang Chải", one_value(st.text(max_size=400))),
    "day": ("2026-03-08", one_value(st.one_of(st.sampled_from(DATES), st.dates().map(str)))),
}
# The hidden fields the page carries, sometimes replaced.
ENVELOPE = {
    "submission_id": ANY_TEXT,
    "started_at": text_or("2026-03-08T07:00:00+00:00", "yesterday", "9999-99-99"),
    "page": text_or("1", "2", "0", "-1", "99999999999999999999"),
    "action": text_or("next", "back"),
}


def draw_post(data, fields: dict) -> tuple[dict, dict]:
    """Valid answers with up to three of them changed or left out, and sometimes one or two
    hidden fields replaced."""
    changed = data.draw(st.sets(st.sampled_from(sorted(fields)), max_size=3), label="changed")
    answers = {key: valid for key, (valid, _other) in fields.items() if valid is not None}
    for key in sorted(changed):
        value = data.draw(maybe(fields[key][1]), label=key)
        answers.pop(key, None)
        if value is not None:
            answers[key] = value
    hidden = data.draw(st.sets(st.sampled_from(sorted(ENVELOPE)), max_size=2), label="hidden")
    envelope = {key: data.draw(ENVELOPE[key], label=key) for key in sorted(hidden)}
    return answers, envelope


def _values(answer: Answer):
    return answer.item.key, answer.value


def _check_stored(before: dict) -> None:
    assert counts()["Response"] == before["Response"] + 1
    response = db.session.scalar(sa.select(Response).order_by(Response.id.desc()))
    stored = dict(_values(a) for a in response.answers)
    assert "intro" not in stored
    assert stored.get("likert") in {"1", "2", "3", "4", "5", 1, 2, 3, 4, 5}
    assert stored.get("single") in CHOICES
    assert set(stored.get("multi") or []) <= {"a", "b", "c"}
    assert stored.get("yesno") in (None, "yes", "no")
    if stored.get("whole") is not None:
        assert 0 <= Decimal(str(stored["whole"])) <= 168
    if stored.get("amount") is not None:
        assert 0 <= Decimal(str(stored["amount"])) <= 1000
    assert len(stored.get("short") or "") <= 40
    if stored.get("day") is not None:
        assert date(1900, 1, 1) <= date.fromisoformat(str(stored["day"])) <= date(2100, 12, 31)


def _post(client, url: str, answers: dict, envelope: dict, as_json: bool):
    data = form_data(client.get(url).get_data(as_text=True), answers)
    data.update({k: [v] for k, v in envelope.items()})
    headers = {}
    if as_json:
        person = db.session.scalar(sa.select(Participant).order_by(Participant.id.desc()))
        headers = {"Accept": "application/json", PERSON_HEADER: person_marker(person.id)}
    return client.post(url, data=data, headers=headers)


@FUZZ
@given(data=st.data(), as_json=st.booleans())
def test_every_question_type(trainee, fuzz_world, data, as_json):
    answers, envelope = draw_post(data, FIELDS)
    client = trainee()
    url = f"/c/{fuzz_world.code}/form/{fuzz_world.form_id}"
    before = counts()
    response = _post(client, url, answers, envelope, as_json)
    stored = response.status_code == 303 or (
        as_json and response.status_code == 200 and response.get_json()["status"] == "stored"
    )
    event(f"{'json' if as_json else 'html'} {response.status_code} stored={stored}")
    if stored:
        _check_stored(before)
    elif response.status_code == 200:  # "back", or another page: shown again, nothing kept
        assert envelope.get("action") == "back" or response.is_json
        assert counts() == before
    else:
        assert_clear_rejection(response)
        assert counts() == before


@FUZZ
@given(data=st.data())
def test_the_follow_up_form(trainee, as_user, fuzz_world, data):
    answers, envelope = draw_post(data, {key: FIELDS[key] for key in ("single", "long")})
    trainee()
    person = db.session.scalar(sa.select(Participant).order_by(Participant.id.desc()))
    client = as_user(None)  # the follow-up link needs no session on the device
    url = f"/f/{person.follow_up_token}/form/{fuzz_world.follow_form_id}"
    before = counts()
    response = _post(client, url, answers, envelope, as_json=False)
    event(f"follow-up {response.status_code}")
    if response.status_code == 303:
        assert counts()["Response"] == before["Response"] + 1
        stored = db.session.scalar(sa.select(Response).order_by(Response.id.desc()))
        assert stored.participant_id == person.id
    elif response.status_code == 200:
        assert envelope.get("action") == "back"
        assert counts() == before
    else:
        assert_clear_rejection(response)
        assert counts() == before


NASTY = ("\x00", "a\x00b", "x" * 5000, "=1+1", "<b>Văn Yên</b>", "\u202e", "🙂", "1\x00")


@pytest.mark.parametrize("key", sorted(FIELDS))
def test_each_question_with_each_nasty_value(trainee, fuzz_world, key):
    """Not left to chance: every question type gets each of the values that break naive code."""
    url = f"/c/{fuzz_world.code}/form/{fuzz_world.form_id}"
    for value in NASTY:
        client = trainee()
        answers = {k: valid for k, (valid, _other) in FIELDS.items() if valid is not None}
        answers[key] = value
        before = counts()
        response = _post(client, url, answers, {}, as_json=False)
        if response.status_code == 303:
            _check_stored(before)
        else:
            assert_clear_rejection(response)
            assert counts() == before
