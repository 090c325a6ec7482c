"""The audit log browser for auditors and supervisors (read-only)."""

from __future__ import annotations

from flask import Blueprint, request

from workstation.audit import queries
from workstation.audit.service import verify_chain
from workstation.models import Role
from workstation.web import render_page_or_fragment, roles_required

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@roles_required(Role.AUDITOR, Role.SUPERVISOR)
def log():
    """Filterable, paged audit events; htmx swaps just the table."""
    filters = queries.AuditFilters.from_args(request.args)
    events, has_more = queries.find_events(filters)
    return render_page_or_fragment(
        "audit/log.html",
        "audit/_events.html",
        events=events,
        filters=filters,
        has_more=has_more,
    )


@bp.get("/verify")
@roles_required(Role.AUDITOR, Role.SUPERVISOR)
def verify():
    """Walk the hash chain and show whether it is intact."""
    return render_page_or_fragment("audit/verify.html", "audit/_verify.html", report=verify_chain())
