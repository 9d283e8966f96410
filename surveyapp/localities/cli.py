"""``flask localities ...`` commands."""

from flask.cli import AppGroup

localities_cli = AppGroup("localities", help="Import and inspect localities.")
