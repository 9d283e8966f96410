"""GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated from the API's schemas."""

from __future__ import annotations

from flask import current_app

from surveyapp.security import public

from .blueprint import blp

DOC_RESPONSE = {
    "200": {
        "description": "The OpenAPI 3.1 document of this API",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@blp.route("/api/v1/openapi.json")
@public
@blp.doc(security=[], responses=DOC_RESPONSE)
def openapi_document():
    """This document (public)."""
    api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    return current_app.json.response(api.spec.to_dict())
