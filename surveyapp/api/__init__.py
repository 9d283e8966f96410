"""JSON API under /api/v1, documented by an OpenAPI 3.1 document at /api/v1/openapi.json.

Built with flask-smorest: the marshmallow schemas in ``schemas.py`` serialise every
response and validate the query arguments, and apispec turns the same schemas into the
document, so the two cannot drift apart. Callers authenticate with a personal token
(``flask users token --email ...``) sent as ``Authorization: Bearer <token>``; the
token's user sees exactly what their role and locality scope show on the web.
"""

from __future__ import annotations

API_SPEC = {
    "title": "Bình dân học AI API",
    "version": "1",
    "openapi_version": "3.1.0",
    "info": {
        "description": "Read-only access to localities, campaigns, classes, indicators, "
        "item analysis and responses, limited to the caller's role and locality scope."
    },
    "security": [{"bearerAuth": []}, {"sessionCookie": []}],
    "components": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal token from `flask users token --email ...`",
            },
            "sessionCookie": {
                "type": "apiKey",
                "in": "cookie",
                "name": "session",
                "description": "The web session of a logged-in user (GET requests only)",
            },
        }
    },
}


def init_app(app) -> None:
    """Registers the API on ``app`` (its routes, error handlers and OpenAPI document)."""
    from flask_smorest import Api

    from surveyapp.extensions import csrf

    from . import campaigns, indicators, localities, openapi, results  # noqa: F401  (routes)
    from .blueprint import blp
    from .errors import ErrorSchema

    class SurveyApi(Api):
        ERROR_SCHEMA = ErrorSchema
        DEFAULT_ERROR_RESPONSE_NAME = None

        def _register_error_handlers(self):
            """Errors are handled by the API blueprint only, never for the web pages."""

    api = SurveyApi(app, spec_kwargs=dict(API_SPEC))
    api.register_blueprint(blp)
    csrf.exempt(blp)  # GET only; no view here changes anything
