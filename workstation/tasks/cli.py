"""`flask --app wsgi tasks push|expire|list`: push a task from a shell or a scheduler."""

from __future__ import annotations

import json

import click
from flask import Flask
from sqlalchemy import or_, select

from workstation import audit
from workstation.errors import DomainError
from workstation.extensions import db
from workstation.models import Customer
from workstation.tasks import service
from workstation.tasks.delivery import task_wire
from workstation.types import whole_number


def _customer(ref: str) -> Customer:
    query = select(Customer).where(or_(Customer.customer_no == ref,
                                       Customer.id == (whole_number(ref) or -1)))
    customer = db.session.scalar(query)
    if customer is None:
        raise click.ClickException(f"No customer {ref!r} (give a customer number or id).")
    return customer


def register_task_commands(app: Flask) -> None:
    """Attach the `tasks` command group."""

    @app.cli.group("tasks")
    def tasks_group():
        """Customer tasks (the push channel)."""

    @tasks_group.command("push")
    @click.argument("customer")
    @click.argument("kind")
    @click.argument("payload")
    @click.option("--expires-in", type=int, help="Seconds until it expires (default per kind).")
    @click.option("--subject", help="What the task belongs to, as TYPE:ID.")
    def push(customer: str, kind: str, payload: str, expires_in: int | None,
             subject: str | None):
        """Push a task: CUSTOMER (number or id), KIND, PAYLOAD (a JSON object)."""
        try:
            body = json.loads(payload)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"PAYLOAD is not JSON: {exc}") from None
        pair = tuple(subject.split(":", 1)) if subject and ":" in subject else None
        try:
            task = service.create_task(audit.Actor.system("cli"), _customer(customer).id, kind,
                                       body, expires_in=expires_in, subject=pair)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from None
        click.echo(json.dumps({"id": task.public_id, "seq": task.seq,
                               "payload_hash": task.payload_hash}))

    @tasks_group.command("expire")
    def expire():
        """Close overdue tasks now (the servers also do it every few seconds)."""
        click.echo(f"expired {service.expire_due_tasks()} task(s)")

    @tasks_group.command("list")
    @click.argument("customer")
    def list_open(customer: str):
        """Print a customer's open tasks as JSON lines."""
        for task in service.pending_tasks_for(_customer(customer).id):
            click.echo(json.dumps(task_wire(task), ensure_ascii=False))
