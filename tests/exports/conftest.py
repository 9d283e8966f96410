"""A small hand-built campaign for the export tests: a province with two communes
(Mù Cang Chải, Văn Yên), one class in each, one test version and three responses."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.participants.models import Enrolment, Participant
from surveyapp.responses.models import Answer, ClassForm, Response


def _person(public_id, name, locality, phone=None, segment="resident"):
    return Participant(
        public_id=public_id,
        full_name=name,
        segment=segment,
        locality_id=locality.id,
        phone=phone,
        identity_key=public_id.ljust(64, "k"),
        follow_up_token=public_id.ljust(32, "t"),
    )


def _version():
    instrument = Instrument(key="kiem-tra", kind="skill_test", title={"vi": "Bài kiểm tra"})
    version = InstrumentVersion(instrument=instrument, number=2, title={"vi": "Bài kiểm tra"})
    choices = [
        {"value": "a", "label": {"vi": "Trợ lý ảo", "en": "Chatbot"}},
        {"value": "b", "label": {"vi": "Tạo ảnh", "en": "Images"}},
    ]
    version.items += [
        Item(
            key="q1",
            position=1,
            qtype="single_choice",
            label={"vi": "Câu một", "en": "One"},
            choices=choices,
            answer_key="a",
            points=Decimal(1),
            competency="genai_tools",
        ),
        Item(
            key="q2",
            position=2,
            qtype="multiple_choice",
            label={"vi": "Câu hai"},
            choices=choices,
            answer_key=["a", "b"],
            points=Decimal("2.5"),
        ),
        Item(key="q3", position=3, qtype="likert", label={"vi": "Tự tin"}, reverse=True),
        Item(key="q4", position=4, qtype="long_text", label={"vi": "Ví dụ"}),
    ]
    db.session.add(version)
    db.session.flush()
    return version


def _response(receipt, cls, version, person, at, **kwargs):
    form = db.session.query(ClassForm).filter_by(class_id=cls.id, version_id=version.id).first()
    if form is None:
        form = ClassForm(class_id=cls.id, version_id=version.id, moment="post", is_open=True)
        db.session.add(form)
        db.session.flush()
    response = Response(
        submission_id=f"s-{receipt}",
        receipt_code=receipt,
        class_id=cls.id,
        version_id=version.id,
        class_form_id=form.id,
        moment="post",
        participant_id=person.id,
        locality_id=cls.locality_id,
        submitted_at=at,
        **kwargs,
    )
    db.session.add(response)
    db.session.flush()
    return response


def _answer(response, item, value, number=None, points=None):
    db.session.add(
        Answer(response_id=response.id, item_id=item.id, value=value, number=number, points=points)
    )


@pytest.fixture
def world(f):
    province, a, b = f.tree()
    campaign = f.campaign(province, name="Bình dân học AI Yên Bái")
    class_a = f.training_class(campaign, a)
    class_b = f.training_class(campaign, b)
    version = _version()
    q1, q2, q3, q4 = version.items
    yen = _person("PA0001", "Nguyễn Văn Yên", a, phone="0912345678", segment="official")
    mai = _person("PB0002", "Lò Thị Mai", b)
    sung = _person("PA0003", "Giàng A Sùng", a)
    db.session.add_all([yen, mai, sung])
    db.session.flush()
    for person, cls in ((yen, class_a), (mai, class_b), (sung, class_a)):
        db.session.add(Enrolment(participant_id=person.id, class_id=cls.id))
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    r1 = _response(
        "RA00001",
        class_a,
        version,
        yen,
        at,
        score=Decimal("3.5"),
        max_score=Decimal("3.5"),
        flags=[],
    )
    _answer(r1, q1, "a", None, Decimal(1))
    _answer(r1, q2, ["a", "b"], None, Decimal("2.5"))
    _answer(r1, q3, 4, Decimal(4))
    _answer(r1, q4, "Viết công văn ở Mù Cang Chải")
    r2 = _response(
        "RB00002",
        class_b,
        version,
        mai,
        datetime(2026, 3, 3, 1, 0, tzinfo=UTC),
        score=Decimal(0),
        max_score=Decimal("3.5"),
        excluded=True,
        flags=["too_fast", "straight_lining"],
    )
    _answer(r2, q1, "b", None, Decimal(0))
    _answer(r2, q4, '=HYPERLINK("x")')
    r3 = _response(
        "RA00003",
        class_a,
        version,
        sung,
        datetime(2026, 3, 4, 23, 59, 59, tzinfo=UTC),
        score=None,
        max_score=None,
        flags=[],
    )
    db.session.flush()
    return SimpleNamespace(
        province=province,
        a=a,
        b=b,
        campaign=campaign,
        class_a=class_a,
        class_b=class_b,
        version=version,
        items=(q1, q2, q3, q4),
        people=(yen, mai, sung),
        responses=(r1, r2, r3),
    )
