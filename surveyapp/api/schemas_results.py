"""Schemas of the result endpoints: item analysis and responses in long form."""

from __future__ import annotations

from marshmallow import fields, validate

from surveyapp.responses.models import Moment

from .schemas import CODE, Page, PageArgs, Strict

RESPONSE_CURSOR = validate.Regexp(
    r"^[0-9]{1,18}-[0-9]{1,18}$", error="Not a cursor returned by this API."
)


class ItemAnalysisArgs(Strict):
    campaign_id = fields.Integer(
        validate=validate.Range(min=1, max=2147483647),
        metadata={"description": "Only responses given in this campaign's classes"},
    )
    locality = fields.String(
        validate=CODE, metadata={"description": "Only responses of classes under this locality"}
    )
    scheme = fields.String(
        validate=CODE,
        metadata={"description": "Scheme of ``locality`` (default: the newest scheme)"},
    )
    moment = fields.String(validate=validate.OneOf([m.value for m in Moment]))


class OptionSchema(Strict):
    value = fields.String(required=True)
    count = fields.Integer(required=True)
    share = fields.Float(required=True, allow_none=True)
    is_key = fields.Boolean(required=True)


class AnalysedItem(Strict):
    key = fields.String(required=True)
    position = fields.Integer(required=True)
    qtype = fields.String(required=True)
    label = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    competency = fields.String(required=True)
    points = fields.Float(required=True)
    facility = fields.Float(required=True, allow_none=True)
    facility_flag = fields.String(required=True, allow_none=True)
    discrimination = fields.Float(required=True, allow_none=True)
    item_rest = fields.Float(
        required=True, allow_none=True, metadata={"description": "Corrected point-biserial"}
    )
    item_rest_band = fields.String(required=True, allow_none=True)
    alpha_if_deleted = fields.Float(required=True, allow_none=True)
    flags = fields.List(fields.String(), required=True)
    n_answered = fields.Integer(required=True, allow_none=True)
    n_missing = fields.Integer(required=True, allow_none=True)
    options = fields.List(fields.Nested(OptionSchema), required=True)


class ReliabilitySchema(Strict):
    competency = fields.String(required=True)
    n_items = fields.Integer(required=True)
    alpha = fields.Float(required=True, allow_none=True)
    kr20 = fields.Float(required=True, allow_none=True)


class ItemAnalysisSchema(Strict):
    instrument_id = fields.Integer(required=True)
    instrument_key = fields.String(required=True)
    version_number = fields.Integer(required=True)
    n = fields.Integer(required=True, metadata={"description": "Counted responses"})
    n_excluded = fields.Integer(required=True)
    hand_marked = fields.Integer(
        required=True, metadata={"description": "Hand-marked items left out of the analysis"}
    )
    overall = fields.Nested(ReliabilitySchema, required=True, allow_none=True)
    competencies = fields.List(fields.Nested(ReliabilitySchema), required=True)
    items = fields.List(fields.Nested(AnalysedItem), required=True)


class ResponsePageArgs(PageArgs):
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=5000))
    cursor = fields.String(
        validate=RESPONSE_CURSOR, metadata={"description": "next_cursor of the previous page"}
    )
    locality = fields.String(
        validate=CODE,
        metadata={
            "description": "Code of a locality of the campaign's tree (default: the highest "
            "one the caller sees)"
        },
    )
    version_id = fields.Integer(
        validate=validate.Range(min=1, max=2147483647),
        metadata={"description": "Only answers to this instrument version"},
    )
    include_excluded = fields.Boolean(
        load_default=False,
        metadata={"description": "Also list the answers of responses that reviewers excluded"},
    )


class AnswerRow(Strict):
    response_id = fields.Integer(required=True)
    receipt_code = fields.String(required=True)
    participant = fields.String(
        required=True, allow_none=True, metadata={"description": "Pseudonymous public id"}
    )
    segment = fields.String(required=True, allow_none=True)
    class_id = fields.Integer(required=True, allow_none=True)
    locality_code = fields.String(required=True, allow_none=True)
    instrument_key = fields.String(required=True)
    version_number = fields.Integer(required=True)
    moment = fields.String(required=True)
    submitted_at = fields.DateTime(required=True, metadata={"description": "In UTC"})
    score = fields.Float(required=True, allow_none=True)
    max_score = fields.Float(required=True, allow_none=True)
    excluded = fields.Boolean(required=True)
    flags = fields.List(fields.String(), required=True)
    item_key = fields.String(required=True)
    value = fields.Raw(
        required=True, allow_none=True, metadata={"description": "The answer as given (JSON)"}
    )
    number = fields.Float(required=True, allow_none=True)
    points = fields.Float(required=True, allow_none=True)


class AnswerPage(Page):
    items = fields.List(fields.Nested(AnswerRow), required=True)
