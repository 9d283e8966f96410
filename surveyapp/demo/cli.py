"""``flask demo ...`` commands: load the demo data, print the demo log-ins."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from surveyapp.demo.builder import any_campaign, build_demo
from surveyapp.demo.users import LOGIN_URL, LoginRow, login_rows
from surveyapp.errors import DomainError
from surveyapp.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Succeed without doing anything when the database already holds campaigns.",
)
@click.option(
    "--scale",
    type=click.FloatRange(0, 10),
    default=1.0,
    show_default=True,
    help="Multiply the number of learners and answers (1 = the pilot's 2,500 learners).",
)
def load(if_empty: bool, scale: float) -> None:
    """Load the demo: the 2024 Yên Bái pilot and the current Lào Cai campaign with their
    learners and answers, and demo log-ins.

    Only into a database without campaigns; the localities it needs are imported first.
    """
    if any_campaign():
        if if_empty:
            click.echo("The database already holds campaigns; the demo was not loaded.")
            return
        raise click.ClickException(
            "The database already holds campaigns; the demo is only loaded into an empty "
            "database. (`--if-empty` skips this quietly.)"
        )
    started = time.perf_counter()
    try:
        summary = build_demo(scale=scale)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Demo loaded in {time.perf_counter() - started:.1f} s.")
    for line in summary.lines():
        click.echo(f"  {line}")


@demo_cli.command("logins")
@click.option("--url", default=LOGIN_URL, show_default=True, help="where the log-in page is")
def logins(url: str) -> None:
    """Print the demo log-ins (role, e-mail, password, scope) and where to log in."""
    rows = login_rows()
    if not any(row.present for row in rows):
        click.echo("The demo is not loaded, so there are no demo log-ins: run `flask demo load`.")
        return
    click.echo("Demo log-ins (DEMO PASSWORDS, public: never use this database for real work)")
    for line in format_table(rows):
        click.echo(f"  {line}")
    click.echo(f"Log in at {url}")


def format_table(rows: list[LoginRow]) -> list[str]:
    table = [("role", "e-mail", "password", "name", "scope")]
    for row in rows:
        shown = row.login.password
        if not row.present:
            shown = "(account deleted)"
        elif not row.password_works:
            shown = "(changed since loading)"
        table.append((row.login.role, row.login.email, shown, row.login.name, row.scope))
    widths = [max(len(cells[i]) for cells in table) for i in range(len(table[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()
             for cells in table]  # fmt: skip
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines
