"""Lists of applications for staff pages and the customer's screens."""

from __future__ import annotations

from sqlalchemy import select

from workstation.extensions import db
from workstation.models import Role, Staff
from workstation.onboarding.models import OnboardingApplication, OnboardingTaskLink

STATUS_LABELS = {
    "draft": "Being filled in",
    "review": "Waiting for a supervisor",
    "approved": "Approved: waiting for the signature",
    "card_issued": "Card issued: waiting for the PIN",
    "completed": "Completed",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
}


def applications_for_staff(staff: Staff, status: str = "", limit: int = 100):
    """Applications a staff member works on: their own, their customers', all for supervisors."""
    query = select(OnboardingApplication).order_by(OnboardingApplication.updated_at.desc())
    if status:
        query = query.where(OnboardingApplication.status == status)
    if staff.role not in (Role.SUPERVISOR, Role.AUDITOR):
        from workstation.models import Customer

        query = query.join(Customer, Customer.id == OnboardingApplication.customer_id).where(
            (OnboardingApplication.prepared_by_id == staff.id) | (Customer.manager_id == staff.id))
    return list(db.session.scalars(query.limit(limit)))


def review_queue(limit: int = 100) -> list[OnboardingApplication]:
    """Flagged applications waiting for a supervisor, oldest first."""
    return list(db.session.scalars(
        select(OnboardingApplication).where(OnboardingApplication.status == "review")
        .order_by(OnboardingApplication.submitted_at).limit(limit)))


def applications_of_customer(customer_id: int) -> list[OnboardingApplication]:
    """A customer's applications, newest first."""
    return list(db.session.scalars(
        select(OnboardingApplication).where(OnboardingApplication.customer_id == customer_id)
        .order_by(OnboardingApplication.id.desc())))


def task_links_of(application: OnboardingApplication) -> list[dict]:
    """The tasks pushed for the application, with their state on the device."""
    links = db.session.scalars(select(OnboardingTaskLink).where(
        OnboardingTaskLink.application_id == application.id).order_by(OnboardingTaskLink.id))
    try:
        from workstation.tasks.models import CustomerTask
    except ImportError:
        CustomerTask = None  # noqa: N806
    out = []
    for link in links:
        status = ""
        if CustomerTask is not None:
            status = db.session.scalar(select(CustomerTask.status).where(
                CustomerTask.public_id == link.task_public_id)) or ""
        out.append({"purpose": link.purpose, "status": status, "created_at": link.created_at})
    return out
