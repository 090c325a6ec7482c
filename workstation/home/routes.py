"""The home page, one per role."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workstation.home import service
from workstation.models import Role
from workstation.types import whole_number

MAX_PAGE = 100_000  # beyond any portfolio; keeps the offset a number the database holds

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    """Send each role to what it works on."""
    role = current_user.role
    if role == Role.AUDITOR:
        return redirect(url_for("audit.log"))
    if role == Role.MANAGER:
        page = whole_number(request.args.get("page", "1"), MAX_PAGE) or 1
        customers, total = service.portfolio(current_user.id, page)
        return render_template(
            "home/manager.html",
            customers=customers,
            total=total,
            page=page,
            page_size=service.PAGE_SIZE,
        )
    if role == Role.SUPERVISOR:
        return render_template(
            "home/supervisor.html", **service.supervisor_overview(current_user.branch_id)
        )
    if role == Role.ADMIN:
        return render_template("home/admin.html", **service.admin_overview())
    return render_template(
        "home/agent.html",
        recent=service.recently_opened_customers(current_user.id),
        handled=service.handled_by(current_user.id),
    )
