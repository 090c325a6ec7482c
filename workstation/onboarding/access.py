"""Loading an application for the staff member or the customer who may see it."""

from __future__ import annotations

from sqlalchemy import select

from workstation import audit
from workstation.customers.access import access_basis, record_opening, refuse_opening
from workstation.errors import NotFound
from workstation.extensions import db
from workstation.models import Customer, Role, Staff
from workstation.onboarding.models import OnboardingApplication

STAFF_ROLES = (Role.AGENT, Role.MANAGER, Role.SUPERVISOR)
REVIEWERS = (Role.SUPERVISOR, Role.AUDITOR)  # see every application without a stated reason


def by_reference(reference: str, *, lock: bool = False) -> OnboardingApplication:
    """The application with this reference; NotFound otherwise."""
    query = select(OnboardingApplication).where(
        OnboardingApplication.reference == (reference or "")[:20])
    if lock:
        query = query.with_for_update()
    application = db.session.scalar(query)
    if application is None:
        raise NotFound("No such application.")
    return application


def may_staff_open(staff: Staff, application: OnboardingApplication) -> bool:
    """Supervisors review every application; others their own or their customers'."""
    if staff.role in REVIEWERS:
        return True
    if application.prepared_by_id == staff.id:
        return True
    return access_basis(staff, application.customer) is not None


def for_staff(actor: audit.Actor, staff: Staff, reference: str, *,
              lock: bool = False) -> OnboardingApplication:
    """The application if this staff member may open it; otherwise the refusal is put on
    record (onboarding.open) and ReasonRequired raised."""
    application = by_reference(reference, lock=lock)
    if not may_staff_open(staff, application):
        refuse_opening(actor, "onboarding.open", application.customer_id,
                       "onboarding_application", application.reference)
    return application


def customer_for_staff(actor: audit.Actor, staff: Staff, customer_id: int) -> Customer:
    """The customer whose applications a staff member lists: audited either way, and
    ReasonRequired outside their work (reviewers excepted)."""
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("No such customer.")
    record_opening(actor, "onboarding.customer_viewed", customer_id=customer.id,
                   allowed=staff.role in REVIEWERS or access_basis(staff, customer) is not None,
                   object_type="customer", object_id=customer.customer_no)
    return customer


def for_customer(customer_id: int, reference: str, *, lock: bool = False) -> OnboardingApplication:
    """The customer's own application; NotFound for anyone else's."""
    application = by_reference(reference, lock=lock)
    if application.customer_id != customer_id:
        raise NotFound("No such application.")
    return application
