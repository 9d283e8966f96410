"""Small builders for the instrument tests: definitions, stored instruments, a response."""

from __future__ import annotations

import itertools
import uuid

from surveyapp.extensions import db
from surveyapp.instruments import definition, imports
from surveyapp.responses.models import Response

_seq = itertools.count(1)


def definition_dict(key: str = "", **overrides) -> dict:
    """A small valid definition (own format) of a survey with a choice, a number and a text."""
    data = {
        "key": key or f"khao-sat-{next(_seq)}",
        "kind": "pre_survey",
        "title": {"vi": "Khảo sát Văn Yên", "en": "Văn Yên survey"},
        "items": [
            {
                "key": "ai_frequency",
                "type": "single_choice",
                "label": {"vi": "Bạn dùng AI bao lâu một lần?", "en": "How often do you use AI?"},
                "required": True,
                "choices": [
                    {"value": "never", "label": {"vi": "Chưa dùng", "en": "Never"}},
                    {"value": "daily", "label": {"vi": "Hằng ngày", "en": "Daily"}},
                ],
            },
            {
                "key": "hours",
                "type": "integer",
                "page": 2,
                "label": {"vi": "Số giờ tiết kiệm", "en": "Hours saved"},
                "relevant": "${ai_frequency} = 'daily'",
                "constraint": ". <= 168",
                "min": 0,
                "max": 168,
            },
            {
                "key": "story",
                "type": "long_text",
                "page": 2,
                "label": {"vi": "Kể một ví dụ ở Mù Cang Chải", "en": "Tell an example"},
            },
        ],
    }
    data.update(overrides)
    return data


def check(raw: dict) -> tuple[dict | None, definition.ImportReport]:
    report = definition.ImportReport()
    return definition.check(raw, report), report


def make_instrument(key: str = "", *, locality=None, actor=None, **overrides):
    """Store a definition as a new instrument; return its first version."""
    normal, report = check(definition_dict(key, **overrides))
    assert report.ok, report.errors
    version = imports.store_definition(
        normal, report, actor=actor, locality_id=locality.id if locality else None, source="test"
    )
    assert version is not None, report.errors
    return version


def respond(version) -> Response:
    """A response that references ``version`` (which freezes it)."""
    token = uuid.uuid4().hex
    response = Response(submission_id=token, receipt_code=token[:12], version_id=version.id)
    db.session.add(response)
    db.session.flush()
    return response
