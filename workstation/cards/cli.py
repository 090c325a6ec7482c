"""`flask cards lapse-verbal`: end verbal loss reports past their days (run it on a schedule)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

cards_cli = AppGroup("cards", help="Card services.")


@cards_cli.command("lapse-verbal")
def lapse_verbal_command():
    """End verbal loss reports nobody confirmed in time; safe in several workers at once."""
    from workstation.cards.answers import lapse_verbal_reports

    total = 0
    while True:
        done = lapse_verbal_reports()
        total += done
        if done == 0:
            break
    click.echo(f"{total} verbal loss report(s) ended.")
