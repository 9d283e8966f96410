"""Fixtures and strategies for fuzzing the public forms through the test client.

Hypothesis runs many examples inside one test, so inside one rolled-back transaction: each
example makes its own client (its own session cookie) and, where it matters, its own
participant, and checks the change in row counts it caused. The settings profile keeps the
run short and reproducible (derandomised, no example database written to the work tree).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from surveyapp.certificates.models import Certificate
from surveyapp.extensions import db
from surveyapp.participants.models import Consent, Enrolment, Participant
from surveyapp.responses.models import Answer, Response
from tests.journey.helpers import attach, choices, identity, make_class, make_instrument, vi

settings.register_profile(
    "fuzz",
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings.get_profile("fuzz")

# Rows a rejected public post must never add (AccessAttempt, the wrong-code counter, is
# deliberately kept: it holds an address and a time, nothing that was typed).
STORED = (Participant, Consent, Enrolment, Response, Answer, Certificate)

# ---------------------------------------------------------------- strategies

# Any text a browser can send: every Unicode character except lone surrogates (not encodable
# as UTF-8), with extra weight on what breaks naive code: NUL, control characters, markup,
# spreadsheet formulas, SQL, long runs, Vietnamese with combining marks.
TRICKY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\r\n\t",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x")',
        "'; DROP TABLE participant; --",
        "Mù Cang Chải",
        "Văn Yên",
        "Nguye\u0302\u0303n",  # decomposed diacritics
        "9" * 80,
        "-1",
        "1e309",
        "NaN",
        "0x1F",
        "١٢٣",  # Arabic-Indic digits
        "🙂" * 5,
        "x" * 5000,
    ]
)
ANY_TEXT = st.one_of(TRICKY, st.text(st.characters(exclude_categories=("Cs",)), max_size=300))


def text_or(*values: str) -> st.SearchStrategy[str]:
    """Mostly the valid ``values``, sometimes anything."""
    return st.one_of(st.sampled_from(values), ANY_TEXT)


def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """A field that is sometimes missing from the post altogether (``None``)."""
    return st.one_of(st.none(), strategy)


def post_data(fields: dict) -> dict:
    """Form data without the missing (``None``) fields."""
    return {k: v for k, v in fields.items() if v is not None}


# ---------------------------------------------------------------- checks


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in STORED
    }


_TAGS = re.compile(r"<[^>]+>")


def assert_clear_rejection(response) -> None:
    """A 4xx that tells the person what is wrong, in words (never a bare status)."""
    assert 400 <= response.status_code < 500, response.status_code
    if response.is_json:
        body = response.get_json()
        assert body.get("message") or body.get("errors"), body
        return
    html = response.get_data(as_text=True)
    assert "<h1>" in html or "<h1 " in html
    if response.status_code == 400:
        alert = re.search(r'role="alert"[^>]*>(.*?)</(?:p|div)>', html, re.S)
        assert alert is not None, html[:2000]
        assert _TAGS.sub("", alert.group(1)).strip()


# ---------------------------------------------------------------- the world


@dataclass
class FuzzWorld:
    code: str
    commune_id: int
    other_commune_id: int
    form_id: int
    follow_form_id: int
    items: dict  # key -> qtype


EVERY_TYPE = [
    {"key": "intro", "qtype": "note", "label": vi("Chào bạn")},
    {"key": "likert", "qtype": "likert", "required": True, "label": vi("Tự tin")},
    {
        "key": "single",
        "qtype": "single_choice",
        "required": True,
        "choices": choices("never", "weekly", "daily"),
        "label": vi("Bao lâu?"),
    },
    {
        "key": "multi",
        "qtype": "multiple_choice",
        "choices": choices("a", "b", "c"),
        "label": vi("Chọn"),
    },
    {"key": "yesno", "qtype": "yes_no", "label": vi("Có không?")},
    {
        "key": "whole",
        "qtype": "integer",
        "min_value": Decimal(0),
        "max_value": Decimal(168),
        "label": vi("Số giờ"),
    },
    {
        "key": "amount",
        "qtype": "decimal",
        "min_value": Decimal(0),
        "max_value": Decimal(1000),
        "label": vi("Số tiền"),
    },
    {"key": "short", "qtype": "short_text", "max_length": 40, "label": vi("Ghi chú")},
    {"key": "long", "qtype": "long_text", "label": vi("Góp ý")},
    {"key": "day", "qtype": "date", "label": vi("Ngày")},
]


@pytest.fixture
def fuzz_world(f) -> FuzzWorld:
    province = f.locality("Tỉnh Yên Bái", kind="province", scheme="2024", code="F15")
    district = f.locality("Huyện Văn Yên", parent=province, kind="district", code="F139")
    commune = f.locality("Xã Mậu A", parent=district, code="F04300")
    other = f.locality("Xã Mù Cang Chải", parent=province, code="F04243")
    campaign = f.campaign(province)
    cls = make_class(f, campaign, commune, title="Lớp AI xã Mậu A")
    every = make_instrument("fuzz-every", "pre_survey", EVERY_TYPE)
    follow = make_instrument(
        "fuzz-follow",
        "follow_up",
        [
            {
                "key": "single",
                "qtype": "single_choice",
                "required": True,
                "choices": choices("never", "weekly", "daily"),
                "label": vi("Bao lâu?"),
            },
            {"key": "long", "qtype": "long_text", "label": vi("Ví dụ")},
        ],
    )
    form, follow_form = attach(cls, every, follow)
    return FuzzWorld(
        code=cls.access_code,
        commune_id=commune.id,
        other_commune_id=other.id,
        form_id=form.id,
        follow_form_id=follow_form.id,
        items={spec["key"]: spec["qtype"] for spec in EVERY_TYPE},
    )


@pytest.fixture
def trainee(fuzz_world, as_user):
    """A new client identified in the fuzz class (a new person each call)."""
    made = iter(range(1, 10**6))

    def _new():
        client = as_user(None)
        data = identity(
            full_name=f"Nguyễn Văn Yên {next(made)}", commune=str(fuzz_world.commune_id)
        )
        response = client.post(f"/c/{fuzz_world.code}/identify", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _new
