"""Helpers shared by the views: the acting staff member, role guards, htmx rendering."""

from __future__ import annotations

from functools import wraps

from flask import abort, g, render_template, request
from flask_login import current_user, login_required

from workstation.audit import Actor
from workstation.models import Role


def client_ip() -> str:
    """The caller's address as the WSGI server saw it (ProxyFix handles proxies)."""
    return request.remote_addr or ""


def current_actor() -> Actor:
    """The audit actor for this request: the signed-in staff member, or anonymous."""
    request_id = getattr(g, "request_id", "")
    if current_user.is_authenticated:
        branch = current_user.branch.code if current_user.branch else ""
        return Actor(
            staff_id=current_user.id,
            username=current_user.username,
            role=current_user.role,
            branch_code=branch,
            ip=client_ip(),
            request_id=request_id,
        )
    return Actor(
        staff_id=None, username="", role="anonymous", ip=client_ip(), request_id=request_id
    )


def roles_required(*roles: Role):
    """Only signed-in staff with one of these roles may use the view (403 otherwise)."""
    allowed = {Role(r).value for r in roles}

    def decorator(view):
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403, "Your role does not allow this page.")
            return view(*args, **kwargs)

        guarded.allowed_roles = allowed
        return guarded

    return decorator


def is_htmx() -> bool:
    """Whether htmx sent the request (it wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"


def render_page_or_fragment(page: str, fragment: str, **context):
    """One endpoint, two renderings: the page for a browser, the fragment for htmx."""
    return render_template(fragment if is_htmx() else page, **context)
