"""Builders for the card application tests: photos, applicants, filled-in applications."""

from __future__ import annotations

import io
import os
from datetime import date, timedelta

from PIL import Image
from sqlalchemy import select
from stdnum import luhn

from tests.helpers import resident_id
from workstation.audit import Actor
from workstation.customers.registry import NewCustomer, register_customer
from workstation.extensions import db
from workstation.models import Customer
from workstation.onboarding import service
from workstation.onboarding.models import OnboardingApplication
from workstation.types import utcnow

STAFF_ACTOR = Actor(staff_id=None, username="tester", role="agent")


def photo(kind: str = "JPEG", size: tuple[int, int] = (640, 400), color=(200, 180, 160)) -> bytes:
    """A real image file of the given format."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=kind)
    return buffer.getvalue()


def noisy_png(width: int, height: int) -> bytes:
    """A PNG of random pixels (does not compress, so it is large)."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def other_bank_card() -> str:
    """A card number of another bank with a valid check digit."""
    partial = "621700123456789"
    return partial + luhn.calc_check_digit(partial)


def expiry_in_years(years: int = 5) -> str:
    return (utcnow().date() + timedelta(days=365 * years)).isoformat()


def make_applicant(seq: int, name: str, phone: str, born: date) -> int:
    """A customer of the given birth date (their ID number carries it); returns the id."""
    customer = register_customer(NewCustomer(
        customer_no=f"C8{seq:05d}", full_name=name, phone=phone, birth_date=born,
        id_number=resident_id(born, seq)))
    db.session.commit()
    return customer.id


def personal_form(app_row: OnboardingApplication, **extra) -> dict:
    return {"full_name": app_row.full_name, "id_expires_on": expiry_in_years(),
            "phone": app_row.phone, "email": "", **extra}


def account_form(name: str, account_class: str = "II", **extra) -> dict:
    form = {"account_class": account_class}
    if account_class == "II":
        form.update(bound_bank="Other Bank", bound_account=other_bank_card(), bound_holder=name)
    return {**form, **extra}


def fill_application(reference: str, *, occupation: str = "employee",
                     purpose: str = "salary", account_class: str = "II",
                     actor: Actor = STAFF_ACTOR, photos: bool = True) -> OnboardingApplication:
    """Fill every step of an application through the services (inside an app context)."""
    row = application(reference)
    service.save_personal(actor, row, personal_form(row))
    if photos:
        for slot in ("id_front", "id_back", "selfie"):
            service.attach_document(actor, application(reference), slot, photo(), "staff")
    service.save_address(actor, application(reference),
                         {"address_line": "1 Xidan Street", "city": "Beijing",
                          "postcode": "100032"})
    service.save_occupation(actor, application(reference),
                            {"occupation": occupation, "purpose": purpose,
                             "employer": "Acme Ltd"})
    row = application(reference)
    service.save_account(actor, row, account_form(row.full_name, account_class))
    return application(reference)


def application(reference: str) -> OnboardingApplication:
    db.session.expire_all()
    return db.session.scalar(select(OnboardingApplication).where(
        OnboardingApplication.reference == reference))


def customer_by_no(customer_no: str) -> Customer:
    return db.session.scalar(select(Customer).where(Customer.customer_no == customer_no))
