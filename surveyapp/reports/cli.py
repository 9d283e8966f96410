"""``flask report ...``: render reports to files."""

from flask.cli import AppGroup

report_cli = AppGroup("report", help="Render reports to files.")
