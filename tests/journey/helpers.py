"""Builders and fixtures for the journey, participant and response tests.

Instruments are made directly with the models (no loader), so these tests do not depend on
the default instrument files. ``world`` is a small 2024-style tree: a province with two
districts; the class sits in a commune of Văn Yên district.
"""

from __future__ import annotations

import re
import secrets
from datetime import date
from decimal import Decimal
from html import unescape
from types import SimpleNamespace

import pytest
from werkzeug.security import generate_password_hash

from surveyapp.accounts.models import User
from surveyapp.extensions import db
from surveyapp.instruments.models import Instrument, InstrumentVersion, Item
from surveyapp.responses.models import ClassForm

_HASH = generate_password_hash("password123")
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def make_user(role: str, locality=None, name: str | None = None) -> User:
    token = secrets.token_hex(6)
    user = User(
        email=f"{role}-{token}@example.vn",
        name=name or f"{role.title()} {token}",
        role=role,
        password_hash=_HASH,
        session_token=secrets.token_hex(16),
    )
    user.locality = locality
    db.session.add(user)
    db.session.flush()
    return user


def make_class(f, campaign, locality, trainers=(), **kwargs):
    kwargs.setdefault("access_code", "".join(secrets.choice(ALPHABET) for _ in range(6)))
    cls = f.training_class(campaign, locality, **kwargs)
    cls.trainers = list(trainers)
    db.session.flush()
    return cls


def vi(text: str, en: str | None = None) -> dict:
    return {"vi": text, "en": en or text}


def make_instrument(
    key: str, kind: str, items: list[dict], settings: dict | None = None, number: int = 1
) -> InstrumentVersion:
    """An instrument with one version holding ``items`` (dicts of ``Item`` fields)."""
    instrument = db.session.scalar(db.select(Instrument).where(Instrument.key == key))
    if instrument is None:
        instrument = Instrument(key=key, kind=kind, title=vi(f"Phiếu {key}", f"Form {key}"))
        db.session.add(instrument)
        db.session.flush()
    version = InstrumentVersion(
        instrument=instrument, number=number, title=instrument.title, settings=settings or {}
    )
    for position, spec in enumerate(items, start=1):
        values = {"page": 1, "required": False, "points": Decimal(0)}
        values.update(spec)
        version.items.append(Item(position=position, **values))
    db.session.add(version)
    db.session.flush()
    return version


def choices(*values: str) -> list[dict]:
    return [{"value": v, "label": vi(f"Lựa chọn {v}", f"Option {v}")} for v in values]


def standard_versions() -> SimpleNamespace:
    """Pre-survey, a two-page skill test with feedback, post-survey and follow-up."""
    pre = make_instrument(
        "t-pre",
        "pre_survey",
        [
            {"key": "intro", "qtype": "note", "label": vi("Chào bạn")},
            {
                "key": "se_confident",
                "qtype": "likert",
                "required": True,
                "label": vi("Tôi tự tin dùng AI"),
            },
            {
                "key": "ai_frequency",
                "qtype": "single_choice",
                "required": True,
                "choices": choices("never", "weekly", "daily"),
                "label": vi("Bạn dùng AI bao lâu?"),
            },
            {
                "key": "hours",
                "qtype": "integer",
                "min_value": Decimal(0),
                "max_value": Decimal(168),
                "label": vi("Số giờ mỗi tuần"),
                "relevant": "${ai_frequency} != 'never'",
            },
            {"key": "note_text", "qtype": "short_text", "max_length": 20, "label": vi("Ghi chú")},
        ],
    )
    skill = make_instrument(
        "t-skill",
        "skill_test",
        [
            {
                "key": "q1",
                "qtype": "single_choice",
                "required": True,
                "choices": choices("a", "b", "c"),
                "answer_key": "c",
                "points": Decimal(1),
                "label": vi("Câu lệnh nào tốt nhất?"),
                "explanation": vi("Câu lệnh C nêu rõ vai trò, độ dài và người nhận."),
            },
            {
                "key": "q2",
                "qtype": "yes_no",
                "required": True,
                "answer_key": "no",
                "points": Decimal(1),
                "label": vi("AI không bao giờ sai?"),
            },
            {
                "key": "q3",
                "qtype": "multiple_choice",
                "page": 2,
                "required": True,
                "choices": choices("a", "b", "c", "d"),
                "answer_key": ["a", "c"],
                "points": Decimal(2),
                "partial_credit": True,
                "label": vi("Chọn các cách an toàn"),
                "explanation": vi("Không nhập thông tin cá nhân; kiểm tra cài đặt."),
            },
        ],
        settings={"show_feedback": True, "pass_percent": 70},
    )
    post = make_instrument(
        "t-post",
        "post_survey",
        [
            {
                "key": "se_confident",
                "qtype": "likert",
                "required": True,
                "label": vi("Tôi tự tin dùng AI"),
            },
            {"key": "comment", "qtype": "long_text", "label": vi("Góp ý")},
        ],
    )
    follow = make_instrument(
        "t-follow",
        "follow_up",
        [
            {
                "key": "ai_frequency",
                "qtype": "single_choice",
                "required": True,
                "choices": choices("never", "weekly", "daily"),
                "label": vi("Bạn dùng AI bao lâu?"),
            },
            {
                "key": "example",
                "qtype": "long_text",
                "label": vi("Ví dụ"),
                "relevant": "${ai_frequency} != 'never'",
            },
        ],
    )
    return SimpleNamespace(pre=pre, skill=skill, post=post, follow=follow)


def attach(cls, *versions, is_open=True) -> list[ClassForm]:
    """Class forms of ``versions``: a version (at its kind's usual moment) or a
    ``(version, moment)`` pair."""
    pairs = [v if isinstance(v, tuple) else (v, None) for v in versions]
    forms = [ClassForm(class_id=cls.id, version=v, moment=m, is_open=is_open) for v, m in pairs]
    db.session.add_all(forms)
    db.session.flush()
    return forms


# ---------------------------------------------------------------- HTML helpers


_INPUT = re.compile(r"<input\b[^>]*>", re.S)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def hidden_fields(html: str) -> list[tuple[str, str]]:
    """(name, value) of every hidden input, in order."""
    found = []
    for tag in _INPUT.findall(html):
        attrs = {k: unescape(v) for k, v in _ATTR.findall(tag)}
        if attrs.get("type") == "hidden" and "name" in attrs:
            found.append((attrs["name"], attrs.get("value", "")))
    return found


def form_data(html: str, answers: dict | None = None, action: str = "next") -> dict:
    """The hidden fields of a form page plus ``answers``, ready to post."""
    data: dict[str, list[str]] = {}
    for name, value in hidden_fields(html):
        if name == "csrf_token":
            continue
        data.setdefault(name, []).append(value)
    for key, value in (answers or {}).items():
        data[key] = value if isinstance(value, list) else [value]
    data["action"] = [action]
    return data


def identity(**overrides) -> dict:
    data = {
        "full_name": "Nguyễn Thị Lan",
        "birth_year": "1985",
        "gender": "female",
        "segment": "official",
        "organisation": "UBND xã Mậu A",
        "commune": "",
        "consent_evaluation": "yes",
        "consent_follow_up": "no",
        "phone": "",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def world(f):
    province = f.locality("Tỉnh Yên Bái", kind="province", scheme="2024", code="J15")
    van_yen = f.locality("Huyện Văn Yên", parent=province, kind="district", code="J139")
    mau_a = f.locality("Xã Mậu A", parent=van_yen, code="J04300")
    dong_cuong = f.locality("Xã Đông Cuông", parent=van_yen, code="J04303")
    mcc = f.locality("Huyện Mù Cang Chải", parent=province, kind="district", code="J136")
    khao_mang = f.locality("Xã Khao Mang", parent=mcc, code="J04243")
    campaign = f.campaign(province, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    w = SimpleNamespace(
        province=province,
        van_yen=van_yen,
        mau_a=mau_a,
        dong_cuong=dong_cuong,
        mcc=mcc,
        khao_mang=khao_mang,
        campaign=campaign,
    )
    w.admin = make_user("admin")
    w.coord_p = make_user("coordinator", province)
    w.coord_vy = make_user("coordinator", van_yen)
    w.coord_mcc = make_user("coordinator", mcc)
    w.trainer = make_user("trainer", mau_a, name="Nguyễn Văn Tâm")
    w.other_trainer = make_user("trainer", van_yen, name="Lò Thị Mai")
    w.trainer_mcc = make_user("trainer", mcc, name="Hoàng Văn Bình")
    w.evaluator = make_user("evaluator", province)
    w.judge = make_user("judge", province)
    w.cls = make_class(f, campaign, mau_a, [w.trainer], title="Lớp AI xã Mậu A")
    w.cls_mcc = make_class(f, campaign, khao_mang, [w.trainer_mcc], title="Lớp AI Khao Mang")
    w.v = standard_versions()
    # The skill test is taken twice: before the class and after it.
    w.forms = dict(
        zip(
            ("pre", "skill", "post", "skill_post", "follow"),
            attach(w.cls, w.v.pre, w.v.skill, w.v.post, (w.v.skill, "post"), w.v.follow),
            strict=True,
        )
    )
    return w
