"""`flask --app wsgi appointments send-reminders | seed-demo`."""

from __future__ import annotations

import click
from flask import Flask


def register_commands(app: Flask) -> None:
    """Attach the appointment commands to the app."""

    @app.cli.group("appointments")
    def group():
        """Appointment tools."""

    @group.command("send-reminders")
    def send_reminders():
        """Push every reminder that is due (run it every minute from a scheduler)."""
        from appointments.reminders import send_due_reminders

        click.echo(f"{send_due_reminders()} reminders sent")

    @group.command("seed-demo")
    def seed_demo():
        """Give every branch demo opening hours, holidays, services and cash capacity."""
        from appointments.demo import seed_appointments_demo

        click.echo(seed_appointments_demo())
