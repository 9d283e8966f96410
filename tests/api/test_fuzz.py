"""Schemathesis fuzzes every operation of the OpenAPI document in-process against the app,
with a real token and real ids: statuses, content types, headers and bodies must match the
document, and no input may give a 500. Few examples per operation keep it quick (~10 s)."""

import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from surveyapp.api.tokens import issue_token

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))  # more for a deeper run by hand
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


def _operations(app):
    def isolated(environ, start_response):
        """Each request in its own app context, as in production (``g`` starts empty)."""
        with app.app_context():
            return app.wsgi_app(environ, start_response)

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated)
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_keeps_to_the_document(app, f, world):
    _, token = issue_token(f.user(role="admin"), name="fuzz")
    headers = {"Authorization": f"Bearer {token}"}
    v = world.version
    ids = {
        "campaign_id": world.campaign.id,
        "instrument_id": v.instrument_id,
        "number": v.number,
        "code": world.a.code,
    }
    operations = _operations(app)
    assert len(operations) >= 8, [op.label for op in operations]
    for operation in operations:
        fixed = {p.name: ids[p.name] for p in operation.path_parameters}
        modes = [GenerationMode.POSITIVE]
        if list(operation.query):  # negative data needs something that may be sent wrong
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            strategy = operation.as_strategy(mode, path_parameters=fixed, headers=headers)

            @FUZZ
            @given(case=strategy)
            def run(case):
                case.call_and_validate(headers=headers)

            run()
