"""Links and panels that other areas add to the customer profile, without editing its template."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION_KEY = "customer_profile"


@dataclass(frozen=True)
class ProfileLink:
    """A page about the customer (cards, documents, ...) linked from the profile."""

    label: str
    endpoint: str
    roles: frozenset[str] | None = None


@dataclass(frozen=True)
class ProfilePanel:
    """A card the profile loads by htmx: the endpoint's fragment (a whole card, which keeps
    itself current) replaces a "Loading…" card titled `title`."""

    title: str
    endpoint: str
    roles: frozenset[str] | None = None


def _registry(app: Flask) -> dict:
    return app.extensions.setdefault(EXTENSION_KEY, {"links": [], "panels": []})


def add_profile_link(app: Flask, label: str, endpoint: str, roles=None) -> None:
    """Show a link to `endpoint(customer_id=...)` on every profile (for the given roles)."""
    _registry(app)["links"].append(ProfileLink(label, endpoint, frozenset(roles or []) or None))


def add_profile_panel(app: Flask, title: str, endpoint: str, roles=None) -> None:
    """Load `endpoint(customer_id=...)` as a panel of the profile (for the given roles)."""
    _registry(app)["panels"].append(ProfilePanel(title, endpoint, frozenset(roles or []) or None))


def profile_extensions(role: str) -> dict:
    """The links and panels a staff member with this role sees on a profile."""
    registry = _registry(current_app)
    return {
        kind: [item for item in items if item.roles is None or role in item.roles]
        for kind, items in registry.items()
    }
