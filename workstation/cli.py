"""Command-line tools: `flask --app wsgi audit verify`, `seed-demo`, `totp-code`."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from workstation.audit.service import verify_chain
from workstation.auth.totp import current_code
from workstation.extensions import db
from workstation.models import Staff


def register_commands(app: Flask) -> None:
    """Attach the command-line tools to the app."""

    @app.cli.group("audit")
    def audit_group():
        """Audit log tools."""

    @audit_group.command("verify")
    def audit_verify():
        """Check the audit hash chain; exits 1 at the first broken link."""
        report = verify_chain()
        if report.intact:
            click.echo(f"audit chain intact: {report.checked} events checked")
            return
        click.echo(
            f"audit chain BROKEN at event {report.broken_event_id}: {report.problem} "
            f"({report.checked} events before it are intact)",
            err=True,
        )
        raise SystemExit(1)

    @app.cli.command("rotate-keys")
    def rotate_keys():
        """Encrypt stored card and ID numbers again with the first DATA_ENCRYPTION_KEYS key."""
        from workstation.keys import reencrypt_all

        for column, count in reencrypt_all().items():
            click.echo(f"{column}: {count} values re-encrypted")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only when no staff account exists yet.")
    def seed_demo_command(if_empty: bool):
        """Load demo branches, staff and customers (safe to run again)."""
        from workstation.demo.seed import seed_demo

        if if_empty and db.session.scalar(select(func.count(Staff.id))):
            click.echo("database already has data: demo data not loaded")
            return
        summary = seed_demo()
        click.echo(summary)

    @app.cli.command("totp-code")
    @click.argument("username")
    def totp_code(username: str):
        """Print the current second-factor code of a demo account (demo mode only)."""
        if not app.config["DEMO_MODE"]:
            raise click.ClickException("Only available with DEMO_MODE=1.")
        staff = db.session.scalar(select(Staff).where(func.lower(Staff.username) == username))
        if staff is None or staff.totp_secret is None:
            raise click.ClickException(f"{username} has no second factor set up.")
        click.echo(current_code(staff.totp_secret))
