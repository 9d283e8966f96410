"""``flask users ...`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from surveyapp.accounts import services
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.localities.lookup import find_locality

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 8 characters.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "coordinator", "trainer", "judge", "evaluator"]),
)
@click.option("--locality", "locality_code", default="", help="Official code of the scope.")
@click.option("--scheme", default="2025", show_default=True, help="Scheme of the locality code.")
@click.option("--name", default="")
def create(email, password, role, locality_code, scheme, name):
    """Create a user with a role and a locality scope."""
    locality = find_locality(scheme, locality_code) if locality_code else None
    if locality_code and locality is None:
        raise click.ClickException(f"No locality {locality_code!r} in scheme {scheme!r}.")
    try:
        user = services.create_user(
            None, email=email, password=password, role=role, locality=locality, name=name
        )
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}" + (f" for {locality.label}" if locality else ""))
