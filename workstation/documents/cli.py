"""`flask --app wsgi documents expire`: end certificates past their validity."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from workstation.core import core_banking
from workstation.documents.lifecycle import expire_due_documents


@click.group("documents")
def documents_cli():
    """Document tools."""


@documents_cli.command("expire")
@with_appcontext
def expire_command():
    """Expire documents past their validity and release their holds (safe to run often)."""
    count = expire_due_documents(core_banking())
    click.echo(f"{count} document(s) expired")
