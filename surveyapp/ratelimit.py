"""Rate limits (Flask-Limiter) on login, code entry, public submissions, verification and the API.

Which requests are limited, by which setting (each a Flask-Limiter limit string such as
``"30 per minute;300 per hour"``, counted per client address and route):

- ``RATELIMIT_LOGIN``: POST /login.
- ``RATELIMIT_ACCESS_CODE``: entering a class or follow-up code (POST /c, POST /f) and
  opening a code's page (GET /c/<code>, GET /f/<token>). Wrong codes are slowed down
  further by ``surveyapp.journey.access``.
- ``RATELIMIT_VERIFY``: certificate verification (/verify, /verify/<code>, the PDF).
- ``RATELIMIT_SUBMISSION``: every other POST to a public page (identify, the trainee's forms,
  follow-up, certificate claim, and any public form added later).
- ``RATELIMIT_API``: every request to /api/.

Counts live in the app's database (``surveyapp.ratelimit_storage``), shared by all workers
and hosts; ``RATELIMIT_STORAGE_URI`` may name Redis (``redis://host:6379``) instead.
``RATELIMIT_ENABLED`` is on except when ``TESTING`` is set. A client over a limit gets
HTTP 429 with a translated page (JSON under /api/) and a ``Retry-After`` header. Client
addresses are stored only as keyed hashes. Behind a reverse proxy, set
``PROXY_FIX_X_FOR`` (see ``surveyapp.web_security``) or every client shares one address.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app, request
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded

from surveyapp import ratelimit_storage  # noqa: F401  (registers the database:// scheme)
from surveyapp.errors import render_error

EXTENSION = "surveyapp_limiter"

DEFAULTS = {
    "RATELIMIT_STORAGE_URI": ratelimit_storage.SCHEME + "://",
    "RATELIMIT_LOGIN": "30 per minute;300 per hour",
    "RATELIMIT_ACCESS_CODE": "120 per minute;2000 per hour",
    "RATELIMIT_SUBMISSION": "300 per minute;5000 per hour",
    "RATELIMIT_VERIFY": "30 per minute;500 per hour",
    "RATELIMIT_API": "120 per minute;3000 per hour",
    # The storage's errors (database briefly away) must not turn every page into an error:
    # the request goes on unlimited and the error is logged.
    "RATELIMIT_SWALLOW_ERRORS": True,
}

GET, POST = frozenset({"GET", "HEAD"}), frozenset({"POST"})
ALL_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# Endpoints with their own setting; other public POSTs fall under RATELIMIT_SUBMISSION.
NAMED = {
    "accounts.login": ("RATELIMIT_LOGIN", POST),
    "journey.enter": ("RATELIMIT_ACCESS_CODE", POST),
    "journey.landing": ("RATELIMIT_ACCESS_CODE", GET),
    "journey.follow_up_enter": ("RATELIMIT_ACCESS_CODE", POST),
    "journey.follow_up": ("RATELIMIT_ACCESS_CODE", GET),
    "certificates.verify_form": ("RATELIMIT_VERIFY", GET),
    "certificates.verify": ("RATELIMIT_VERIFY", GET),
    "certificates.pdf": ("RATELIMIT_VERIFY", GET),
}


@dataclass(frozen=True)
class LimitRule:
    setting: str
    methods: frozenset[str]


def rule_for(app: Flask, endpoint: str | None) -> LimitRule | None:
    """The limit rule of an endpoint (any method), or None when it is not limited."""
    if not endpoint or endpoint not in app.view_functions:
        return None
    if endpoint in NAMED:
        return LimitRule(*NAMED[endpoint])
    if endpoint.startswith("api."):
        return LimitRule("RATELIMIT_API", ALL_METHODS)
    access_rule = getattr(app.view_functions[endpoint], "access_rule", None)
    if access_rule and access_rule[0] == "public":
        return LimitRule("RATELIMIT_SUBMISSION", POST)
    return None


def limited_endpoints(app: Flask) -> dict[str, LimitRule]:
    """Every limited endpoint of ``app``, its rule narrowed to the methods it serves."""
    served: dict[str, set[str]] = {}
    for url_rule in app.url_map.iter_rules():
        served.setdefault(url_rule.endpoint, set()).update(url_rule.methods or ())
    found = {}
    for endpoint, methods in served.items():
        rule = rule_for(app, endpoint)
        if rule is not None and rule.methods & methods:
            found[endpoint] = LimitRule(rule.setting, frozenset(rule.methods & methods))
    return found


def _current_rule() -> LimitRule | None:
    rule = rule_for(current_app, request.endpoint)
    if rule is None or request.method not in rule.methods:
        return None
    return rule


def client_key() -> str:
    """The client's address as a keyed hash: counters never hold an IP address."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else str(secret).encode()
    address = (request.remote_addr or "?").encode()
    return hmac.new(secret, address, hashlib.sha256).hexdigest()[:32]


def _limit_string() -> str:
    # Only called for limited requests: the request filter skips the others first.
    rule = _current_rule()
    return current_app.config[rule.setting if rule else "RATELIMIT_API"]


def init_app(app: Flask) -> Limiter | None:
    """Attach the limiter to ``app`` (call after every blueprint is registered)."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    app.config.setdefault("RATELIMIT_ENABLED", not app.config.get("TESTING", False))
    app.register_error_handler(RateLimitExceeded, too_many_requests)
    if not app.config["RATELIMIT_ENABLED"]:
        return None
    limiter = Limiter(key_func=client_key, default_limits=[_limit_string])
    limiter.request_filter(lambda: _current_rule() is None)
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    return limiter


def _retry_after() -> int | None:
    limiter = current_app.extensions.get(EXTENSION)
    limit = limiter.current_limit if limiter is not None else None
    if limit is None:
        return None
    try:
        return max(1, math.ceil(limit.reset_at - time.time()))
    except Exception:  # the storage may be away (any backend): the 429 still stands
        current_app.logger.exception("Could not read the rate limit window")
        return None


def too_many_requests(error: RateLimitExceeded):
    """HTTP 429: a translated page (JSON under /api/) with ``Retry-After``."""
    wait = _retry_after()
    if wait and wait <= 90:
        message = _(
            "Too many requests from your network. Please try again in %(seconds)s seconds.",
            seconds=wait,
        )
    elif wait:
        message = _(
            "Too many requests from your network. Please try again in %(minutes)s minutes.",
            minutes=math.ceil(wait / 60),
        )
    else:
        message = _("Too many requests from your network. Please try again in a few minutes.")
    response, status = render_error(429, message)
    response = current_app.make_response((response, status))
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response
