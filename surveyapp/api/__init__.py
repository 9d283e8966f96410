"""JSON API under /api/v1 (being built: see surveyapp/api)."""


def init_app(app) -> None:
    """Registers the API on ``app``."""
