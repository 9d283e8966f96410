"""``flask users ...`` commands."""

from __future__ import annotations

import click
import sqlalchemy as sa
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


@users_cli.command("token")
@click.option("--email", required=True)
@click.option("--name", default="", help="A label for the token, e.g. the script using it.")
@click.option("--revoke", is_flag=True, help="Revoke the user's tokens (only --name if given).")
def token(email, name, revoke):
    """Issue an API token (printed alone on the last line) or revoke tokens."""
    from surveyapp.accounts.models import User
    from surveyapp.api import tokens

    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
    if user is None:
        raise click.ClickException(f"No user with e-mail {email!r}.")
    if revoke:
        count = tokens.revoke_tokens(user, name=name or None)
        db.session.commit()
        click.echo(f"Revoked {count} token(s) of {user.email}.")
        return
    try:
        _, plain = tokens.issue_token(user, name=name)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"API token for {user.email} ({user.role}); it is shown only once:")
    click.echo(plain)
