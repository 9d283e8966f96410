"""Fuzzing identification with consent (/c/<code>/identify): never a 500; a rejection is a
400 with the problems marked and nothing stored; declining the evaluation stores nothing;
what is stored keeps the Vietnamese typed, and a phone number is kept only from those who
agreed to follow-up contact."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import event, given
from hypothesis import strategies as st

from surveyapp.extensions import db
from surveyapp.participants.models import Consent, Participant
from tests.fuzz.conftest import (
    ANY_TEXT,
    FUZZ,
    assert_clear_rejection,
    counts,
    maybe,
    post_data,
    text_or,
)

NAMES = ("Nguyễn Thị Lan", "Lò Văn Páo", "Hà Thị Mù Cang Chải", "  Giàng A Dình  ")


def identify_fields(w) -> dict:
    """For each field: its valid value, and a strategy for what else may be posted."""
    return {
        "full_name": ("Nguyễn Thị Lan", st.one_of(st.sampled_from(NAMES), ANY_TEXT)),
        "birth_year": ("1985", text_or("2010", "1900", "2100", "19.5", "-1985")),
        "gender": ("female", text_or("male", "other", "undisclosed")),
        "segment": ("resident", text_or("official", "student", "teacher")),
        "organisation": ("", st.one_of(st.just("UBND xã Văn Yên"), ANY_TEXT)),
        "commune": (
            str(w.commune_id),
            text_or(str(w.other_commune_id), "other", "0", "-1"),
        ),
        "consent_evaluation": ("yes", text_or("no")),
        "consent_follow_up": ("no", text_or("yes")),
        "phone": ("", text_or("0912345678", "+84 912 345 678", "091234567890123")),
    }


def draw_fields(data, w) -> dict:
    """A valid identification with one to four fields changed or left out."""
    spec = identify_fields(w)
    changed = data.draw(st.sets(st.sampled_from(sorted(spec)), min_size=1, max_size=4))
    fields = {key: valid for key, (valid, _other) in spec.items()}
    for key in sorted(changed):
        fields[key] = data.draw(maybe(spec[key][1]), label=key)
    return fields


@FUZZ
@given(data=st.data())
def test_identification_with_consent(as_user, fuzz_world, data):
    fields = draw_fields(data, fuzz_world)
    before = counts()
    client = as_user(None)
    response = client.post(f"/c/{fuzz_world.code}/identify", data=post_data(fields))
    event(f"status {response.status_code}")
    if response.status_code == 302:
        _check_stored(fields, before)
    elif response.status_code == 200:  # declined the evaluation: thank-you page
        assert fields["consent_evaluation"] == "no"
        assert counts() == before
    else:
        assert_clear_rejection(response)
        assert response.status_code == 400
        assert counts() == before
        html = response.get_data(as_text=True)
        typed = fields["full_name"]
        if typed and typed.strip() and "\x00" not in typed and len(typed) < 100:
            assert client.application.jinja_env.filters["e"](typed.strip()) in html


def _check_stored(fields: dict, before: dict) -> None:
    after = counts()
    assert fields["consent_evaluation"] == "yes"
    assert after["Participant"] in (before["Participant"], before["Participant"] + 1)
    person = db.session.scalar(sa.select(Participant).order_by(Participant.id.desc()))
    assert person.full_name and "\x00" not in person.full_name
    assert person.full_name == " ".join(person.full_name.split())
    assert 1900 <= person.birth_year <= 2100
    granted = {
        c.purpose: c.granted
        for c in db.session.scalars(sa.select(Consent).where(Consent.participant_id == person.id))
    }
    assert granted.get("evaluation") is True
    if fields["consent_follow_up"] != "yes":
        assert not person.phone


NASTY = ("\x00", "Mù\x00Cang", "x" * 5000, "=1+1", "<b>Văn Yên</b>", "\u202e", "🙂")


FIELD_NAMES = (
    "full_name",
    "birth_year",
    "gender",
    "segment",
    "organisation",
    "commune",
    "consent_evaluation",
    "consent_follow_up",
    "phone",
)


@pytest.mark.parametrize("key", FIELD_NAMES)
def test_each_field_with_each_nasty_value(as_user, fuzz_world, key):
    """Not left to chance: every field gets each of the values that break naive code."""
    spec = identify_fields(fuzz_world)
    for value in NASTY:
        fields = {k: valid for k, (valid, _other) in spec.items()}
        fields[key] = value
        before = counts()
        response = as_user(None).post(f"/c/{fuzz_world.code}/identify", data=fields)
        if response.status_code == 302:
            _check_stored(fields, before)
        elif response.status_code == 200:
            assert fields["consent_evaluation"] == "no" and counts() == before
        else:
            assert_clear_rejection(response)
            assert counts() == before
