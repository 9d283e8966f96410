"""Marshmallow schemas of the API: they serialise the responses, validate the query
arguments and, through flask-smorest/apispec, ARE the OpenAPI document's schemas."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from surveyapp.campaigns.models import Metric, Segment

CODE = validate.Regexp(r"^[0-9A-Za-z._-]{1,20}$", error="Not a locality or scheme code.")
CURSOR = validate.Regexp(r"^[0-9]{1,18}$", error="Not a cursor returned by this API.")


class Strict(ma.Schema):
    """Base of the API's schemas: unknown keys are refused (``additionalProperties: false``)."""


# ------------------------------------------------------------------ query arguments


class SchemeArgs(Strict):
    scheme = fields.String(
        validate=CODE,
        metadata={"description": "Scheme code, e.g. 2025 (default: the newest scheme)"},
    )


class LocalityListArgs(SchemeArgs):
    parent = fields.String(
        validate=CODE,
        metadata={"description": "Code of the parent whose children to list (default: roots)"},
    )


class PageArgs(Strict):
    limit = fields.Integer(
        load_default=100, validate=validate.Range(min=1, max=1000), metadata={"example": 100}
    )
    cursor = fields.String(
        validate=CURSOR, metadata={"description": "next_cursor of the previous page"}
    )


class IndicatorArgs(Strict):
    locality = fields.String(
        validate=CODE,
        metadata={
            "description": "Code of a locality of the campaign's tree (default: the "
            "campaign's root, or the highest locality of the caller's scope)"
        },
    )
    segment = fields.String(validate=validate.OneOf([s.value for s in Segment]))
    date_from = fields.Date(metadata={"description": "Inclusive; after date_to: an empty period"})
    date_to = fields.Date(metadata={"description": "Inclusive"})
    geography = fields.String(
        load_default="collected", validate=validate.OneOf(["collected", "current"])
    )
    lang = fields.String(
        load_default="vi",
        validate=validate.OneOf(["vi", "en"]),
        metadata={"description": "Language of the rule's wording"},
    )


# ------------------------------------------------------------------ localities


class LocalityRef(Strict):
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    scheme = fields.String(required=True, attribute="scheme.code")


class LocalitySchema(LocalityRef):
    depth = fields.Integer(required=True)
    parent_code = fields.String(required=True, allow_none=True)
    child_count = fields.Integer(required=True)


class LocalityList(Strict):
    items = fields.List(fields.Nested(LocalitySchema), required=True)


class LocalityDetail(LocalitySchema):
    ancestors = fields.List(
        fields.Nested(LocalityRef), required=True, metadata={"description": "From the root down"}
    )
    children = fields.List(fields.Nested(LocalitySchema), required=True)


# ------------------------------------------------------------------ campaigns and classes


class CampaignSchema(Strict):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    status = fields.String(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    root_locality = fields.Nested(LocalityRef, required=True)
    parent_body = fields.String(required=True)
    issuing_body = fields.String(required=True)


class CampaignList(Strict):
    items = fields.List(fields.Nested(CampaignSchema), required=True)


class CampaignDetail(CampaignSchema):
    head_locality = fields.Nested(
        LocalityRef,
        required=True,
        allow_none=True,
        metadata={"description": "The highest locality of the campaign the caller sees in full"},
    )


class TrainerRef(Strict):
    name = fields.String(required=True)


class ClassSchema(Strict):
    id = fields.Integer(required=True)
    campaign_id = fields.Integer(required=True)
    title = fields.String(required=True)
    segment = fields.String(required=True)
    status = fields.String(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    venue = fields.String(required=True)
    capacity = fields.Integer(required=True)
    access_code = fields.String(required=True)
    locality = fields.Nested(LocalityRef, required=True)
    trainers = fields.List(fields.Nested(TrainerRef), required=True)


class Page(Strict):
    limit = fields.Integer(required=True)
    next_cursor = fields.String(
        required=True, allow_none=True, metadata={"description": "null on the last page"}
    )


class ClassPage(Page):
    items = fields.List(fields.Nested(ClassSchema), required=True)


# ------------------------------------------------------------------ indicators


class KpiSchema(Strict):
    metric = fields.String(required=True, validate=validate.OneOf([m.value for m in Metric]))
    plan = fields.Integer(required=True, allow_none=True)
    actual = fields.Integer(required=True)
    percent_of_plan = fields.Float(required=True, allow_none=True)
    below_plan = fields.Boolean(required=True)


class FollowUpSchema(Strict):
    learners = fields.Integer(required=True)
    respondents = fields.Integer(required=True)
    too_early = fields.Integer(required=True)
    achieved = fields.Integer(required=True)
    partly = fields.Integer(required=True)
    not_yet = fields.Integer(required=True)
    excluded_responses = fields.Integer(required=True)
    response_rate = fields.Float(required=True, allow_none=True)
    achieved_rate = fields.Float(required=True, allow_none=True)


class LocalityKpisSchema(Strict):
    locality = fields.Nested(LocalityRef, required=True)
    below_plan = fields.Boolean(required=True)
    kpis = fields.List(fields.Nested(KpiSchema), required=True)
    follow_up = fields.Nested(FollowUpSchema, required=True)


class RuleSchema(Strict):
    version = fields.Integer(required=True)
    title = fields.String(required=True)
    wording = fields.List(fields.String(), required=True)
    definition = fields.Dict(keys=fields.String(), required=True)


class FiltersSchema(Strict):
    segment = fields.String(required=True, allow_none=True)
    date_from = fields.Date(required=True, allow_none=True)
    date_to = fields.Date(required=True, allow_none=True)
    geography = fields.String(required=True)


class IndicatorTable(Strict):
    campaign_id = fields.Integer(required=True)
    rule = fields.Nested(RuleSchema, required=True)
    filters = fields.Nested(FiltersSchema, required=True)
    locality = fields.Nested(LocalityKpisSchema, required=True)
    children = fields.List(fields.Nested(LocalityKpisSchema), required=True)
    unplaced = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "Per metric, what is registered at the locality itself"},
    )
