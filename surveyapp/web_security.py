"""Security headers on every response (Flask-Talisman) and cookie settings.

- Content-Security-Policy: only the app's own scripts, styles, fonts and images; no inline
  script or style anywhere (templates link ``static/*.css`` and ``static/*.js``), no
  plugins, forms post only to the app, and no other site may frame a page
  (``frame-ancestors 'none'``, and ``X-Frame-Options: DENY`` for old browsers).
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: strict-origin-when-cross-origin``,
  a Permissions-Policy turning off camera, microphone, geolocation and the like.
- HSTS (one year) on responses served over HTTPS only; ``FORCE_HTTPS`` also redirects plain
  HTTP to HTTPS (off by default: a TLS-terminating proxy must pass ``X-Forwarded-Proto``).
- Session and remember-me cookies: HttpOnly and SameSite=Lax always; Secure when
  ``SECURE_COOKIES`` is true, which it is by default in production (``ENV=production``).
  Set ``SECURE_COOKIES=false`` only for a production site served over plain HTTP (an
  intranet without TLS): browsers would not send Secure cookies back there.
- ``PROXY_FIX_X_FOR`` (default 0): the number of reverse proxies in front of the app whose
  ``X-Forwarded-For`` and ``X-Forwarded-Proto`` headers are trusted (Werkzeug's ProxyFix), so
  rate limits see the real client address and HTTPS is recognised. Leave it 0 when the
  app is reached directly: those headers could then be forged by anyone.
"""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

SELF, NONE = "'self'", "'none'"

CONTENT_SECURITY_POLICY = {
    "default-src": SELF,
    "script-src": SELF,
    "style-src": SELF,
    "img-src": SELF,
    "font-src": SELF,
    "connect-src": SELF,
    "object-src": NONE,
    "base-uri": NONE,
    "form-action": SELF,
    "frame-ancestors": NONE,
}

PERMISSIONS_POLICY = {
    "browsing-topics": "()",
    "camera": "()",
    "geolocation": "()",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
}

DEFAULTS = {
    "FORCE_HTTPS": False,
    "HSTS_MAX_AGE": 365 * 24 * 3600,
    "PROXY_FIX_X_FOR": 0,
    "SECURE_COOKIES": None,  # None: True in production, False elsewhere
}


def configure_cookies(app: Flask) -> bool:
    """Set the cookie flags; returns whether cookies are Secure.

    Flask's own default ``SESSION_COOKIE_SECURE = False`` cannot be told from a chosen
    value, so one setting, ``SECURE_COOKIES``, decides for both cookies.
    """
    secure = app.config["SECURE_COOKIES"]
    if secure is None:
        secure = app.config.get("ENV") == "production"
    secure = bool(secure) or bool(app.config.get("SESSION_COOKIE_SECURE"))
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.config["SESSION_COOKIE_HTTPONLY"] = app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    for name in ("SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE"):
        app.config[name] = app.config.get(name) or "Lax"
    return secure


def init_app(app: Flask) -> Talisman:
    """Install the security headers and, when configured, the proxy fix on ``app``."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    secure = configure_cookies(app)
    hops = int(app.config["PROXY_FIX_X_FOR"])
    if hops > 0:
        # Host is not taken from the proxy: a client-sent X-Forwarded-Host could pass through.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    return Talisman(
        app,
        force_https=bool(app.config["FORCE_HTTPS"]),
        frame_options="DENY",
        strict_transport_security=True,
        strict_transport_security_max_age=int(app.config["HSTS_MAX_AGE"]),
        strict_transport_security_include_subdomains=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy=PERMISSIONS_POLICY,
        session_cookie_secure=secure,
        session_cookie_http_only=True,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        x_content_type_options=True,
    )
