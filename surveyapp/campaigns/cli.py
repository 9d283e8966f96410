"""``flask campaigns ...`` commands."""

from flask.cli import AppGroup

campaigns_cli = AppGroup("campaigns", help="Campaigns, plan targets and populations.")
