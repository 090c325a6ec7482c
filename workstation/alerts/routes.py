"""The supervisor's alert list and acknowledgement."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workstation.alerts import service
from workstation.errors import DomainError
from workstation.models import Role
from workstation.web import current_actor, render_page_or_fragment, roles_required

bp = Blueprint("alerts", __name__, url_prefix="/alerts")


@bp.get("")
@roles_required(Role.SUPERVISOR)
def index():
    """Open alerts (or all, with ?all=1); htmx refreshes the list alone."""
    show_all = request.args.get("all") == "1"
    alerts = service.open_alerts(current_user, include_acknowledged=show_all)
    return render_page_or_fragment("alerts/index.html", "alerts/_list.html",
                                   alerts=alerts, show_all=show_all)


@bp.post("/<int:alert_id>/acknowledge")
@roles_required(Role.SUPERVISOR)
def acknowledge(alert_id: int):
    """Close an alert with a note."""
    try:
        service.acknowledge_alert(current_actor(), current_user, alert_id,
                                  request.form.get("note", ""))
    except DomainError as error:
        alerts = service.open_alerts(current_user)
        return render_template("alerts/index.html", alerts=alerts, show_all=False,
                               error=error.message), error.status_code
    flash("Alert acknowledged.", "success")
    return redirect(url_for("alerts.index"))
