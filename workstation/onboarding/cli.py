"""Command-line tools for card applications: `flask --app wsgi onboarding ...`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from workstation.audit import Actor
from workstation.errors import DomainError


def register_commands(app: Flask) -> None:
    """Attach the onboarding commands to the app."""

    @app.cli.group("onboarding")
    def group():
        """Cloud card application tools."""

    @group.command("import-watchlist")
    @click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def import_watchlist_command(csv_file: Path):
        """Replace the screening watch-list with a CSV file (name,id_number[,list])."""
        from workstation.onboarding.watchlist import import_watchlist

        try:
            batch = import_watchlist(Actor.system("onboarding-cli"), csv_file.name,
                                     csv_file.read_bytes())
        except DomainError as error:
            raise click.ClickException(error.message) from None
        click.echo(f"imported {batch.entries} watch-list entries from {csv_file.name}")

    @group.command("expire-drafts")
    @click.option("--days", default=30, show_default=True, help="Days without a change.")
    def expire_drafts_command(days: int):
        """Withdraw drafts nobody touched for some days (run daily from a scheduler)."""
        from workstation.onboarding.decisions import expire_stale_drafts

        total = 0
        while (done := expire_stale_drafts(days)):
            total += done
        click.echo(f"{total} stale draft application(s) withdrawn")
