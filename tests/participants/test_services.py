"""Identifying trainees: recognising the same person, consents, enrolments, the area."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.participants import services
from surveyapp.participants.consent import CONSENT_TEXT_VERSION, CONSENT_TEXTS, consent_text
from surveyapp.participants.models import Consent, Enrolment, Participant

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
SECRET = "test-secret"


def fields(w, **overrides):
    values = dict(
        full_name="Nguyễn Thị Lan",
        birth_year=1985,
        gender="female",
        segment="official",
        organisation="UBND xã Mậu A",
        locality=w.mau_a,
    )
    values.update(overrides)
    return services.IdentityFields(**values)


def identify(w, cls=None, **overrides):
    return services.identify(
        cls or w.cls, fields(w, **overrides), evaluation_consent=True, secret=SECRET, now=NOW
    )


def test_new_person_is_stored_with_consents_and_enrolment(world):
    person = identify(world, full_name="  Nguyễn  Thị Lan ")
    assert person.id and person.full_name == "Nguyễn Thị Lan"
    assert person.phone is None and person.locality_id == world.mau_a.id
    assert len(person.follow_up_token) == 10 and len(person.public_id) == 10
    consents = db.session.scalars(sa.select(Consent).where(Consent.participant_id == person.id))
    assert {(c.purpose, c.granted, c.text_version) for c in consents} == {
        ("evaluation", True, CONSENT_TEXT_VERSION),
        ("follow_up", False, CONSENT_TEXT_VERSION),
    }
    assert services.is_enrolled(person.id, world.cls.id)


def test_same_phone_in_different_formats_is_one_person(world):
    first = identify(world, follow_up=True, phone="0912 345 678")
    second = identify(
        world,
        cls=world.cls_mcc,
        follow_up=True,
        phone="+84 912.345.678",
        full_name="Nguyen Thi Lan",
        locality=world.khao_mang,
    )
    third = identify(world, follow_up=True, phone="84912345678")
    assert first.id == second.id == third.id
    assert first.phone == "0912345678"
    enrolled = db.session.scalars(
        sa.select(Enrolment.class_id).where(Enrolment.participant_id == first.id)
    ).all()
    assert sorted(enrolled) == sorted([world.cls.id, world.cls_mcc.id])


def test_without_phone_name_year_and_commune_recognise_the_person(world):
    first = identify(world)
    again = identify(world, full_name="NGUYEN THI  LAN")
    assert again.id == first.id
    assert identify(world, birth_year=1986).id != first.id
    assert identify(world, locality=world.dong_cuong).id != first.id
    assert identify(world, full_name="Nguyễn Thị Hoa").id != first.id
    assert first.full_name == "Nguyễn Thị Lan"  # typed without accents: the accents are kept


def test_person_first_without_phone_then_with_phone_is_one_person(world):
    first = identify(world)
    with_phone = identify(world, follow_up=True, phone="0987 654 321")
    assert with_phone.id == first.id
    again = identify(world, follow_up=True, phone="+84987654321", organisation="")
    assert again.id == first.id


def test_a_namesake_with_another_phone_is_another_person(world):
    first = identify(world, follow_up=True, phone="0912345678")
    other = identify(world, follow_up=True, phone="0987654321")
    assert other.id != first.id


def test_a_shared_family_phone_does_not_merge_two_people(world):
    mother = identify(world, follow_up=True, phone="0912345678")
    son = identify(
        world,
        follow_up=True,
        phone="0912345678",
        full_name="Trần Văn Minh",
        birth_year=2005,
        gender="male",
        segment="student",
    )
    assert son.id != mother.id


def test_refusing_follow_up_later_removes_the_phone(world):
    person = identify(world, follow_up=True, phone="0912345678")
    assert person.phone == "0912345678"
    again = identify(world)
    assert again.id == person.id and again.phone is None
    granted = db.session.scalars(
        sa.select(Consent).where(
            Consent.participant_id == person.id,
            Consent.purpose == "follow_up",
            Consent.granted.is_(True),
        )
    ).all()
    assert granted and all(c.withdrawn_at is not None for c in granted)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"full_name": "   "}, "full_name"),
        ({"full_name": "x" * 201}, "full_name"),
        ({"birth_year": 1800}, "birth_year"),
        ({"birth_year": 2025}, "birth_year"),
        ({"birth_year": None}, "birth_year"),
        ({"gender": "robot"}, "gender"),
        ({"segment": "alien"}, "segment"),
        ({"organisation": "x" * 201}, "organisation"),
        ({"phone": "0912345678"}, "phone"),  # a phone without follow-up consent
        ({"follow_up": True, "phone": ""}, "phone"),
        ({"follow_up": True, "phone": "12345"}, "phone"),
    ],
)
def test_invalid_details_are_refused(world, overrides, field):
    with pytest.raises(DomainError) as caught:
        identify(world, **overrides)
    assert caught.value.field == field
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0


def test_without_evaluation_consent_nothing_is_stored(world):
    with pytest.raises(DomainError):
        services.identify(
            world.cls, fields(world), evaluation_consent=False, secret=SECRET, now=NOW
        )
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0


def test_area_and_communes_of_a_class(world):
    area = services.area_of(world.cls)
    assert area.id == world.van_yen.id
    names = [loc.name for loc in db.session.scalars(services.communes_of(area))]
    assert names == ["Xã Đông Cuông", "Xã Mậu A"]  # folded order: "dong" < "mau"


def test_follow_up_token_lookup_ignores_case_and_spaces(world):
    person = identify(world)
    token = person.follow_up_token
    assert services.by_follow_up_token(f" {token[:5].lower()} {token[5:]} ").id == person.id
    assert services.by_follow_up_token("") is None
    assert services.by_follow_up_token("NOPE") is None


def test_consent_texts_exist_in_both_languages():
    for purpose in CONSENT_TEXTS:
        for locale in ("vi", "en"):
            text = consent_text(purpose, locale)
            assert text["title"] and len(text["body"]) > 80
    assert "không lưu gì" in consent_text("evaluation", "vi")["body"]
