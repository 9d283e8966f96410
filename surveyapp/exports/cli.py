"""``flask export ...``: the same exports as the web pages, written to files."""

from flask.cli import AppGroup

export_cli = AppGroup("export", help="Export data to files.")
