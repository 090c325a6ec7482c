"""Registering a customer in the workstation's directory: validated, numbers encrypted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import phonenumbers
from sqlalchemy import select
from stdnum.cn import ric

from workstation.crypto import cipher
from workstation.errors import Conflict, ValidationFailed
from workstation.extensions import db
from workstation.models import Customer


@dataclass(frozen=True)
class NewCustomer:
    customer_no: str
    full_name: str
    phone: str
    birth_date: date
    id_number: str
    email: str = ""
    address: str = ""
    manager_id: int | None = None
    home_branch_id: int | None = None
    preferred_language: str = "zh"


def normalise_phone(raw: str, region: str = "CN") -> str:
    """A phone number in E.164 form; raises ValidationFailed when it is not a valid number."""
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationFailed("That is not a phone number.") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationFailed("That phone number is not valid.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def validate_resident_id(number: str) -> str:
    """A PRC resident ID number with a valid check digit, upper-cased."""
    try:
        return ric.validate(number.strip().upper())
    except Exception as exc:  # stdnum raises several ValidationError kinds
        raise ValidationFailed("The ID number is not valid (check digit or birth date).") from exc


def has_id_number(customer: Customer, typed: str) -> bool:
    """Whether a typed ID number is the one on the customer's record (compared by its keyed
    digest: the clear number on record is not read)."""
    return cipher.lookup_digest(ric.compact(typed)) == customer.id_number_digest


def register_customer(new: NewCustomer) -> Customer:
    """Add a customer (the caller commits); one record per ID number."""
    id_number = validate_resident_id(new.id_number)
    digest = cipher.lookup_digest(id_number)
    if db.session.scalar(select(Customer.id).where(Customer.id_number_digest == digest)):
        raise Conflict("A customer with this ID number already exists.")
    customer = Customer(
        customer_no=new.customer_no,
        full_name=new.full_name.strip(),
        phone=normalise_phone(new.phone),
        email=new.email,
        birth_date=new.birth_date,
        id_number=id_number,
        id_number_last4=id_number[-4:],
        id_number_digest=digest,
        address=new.address,
        manager_id=new.manager_id,
        home_branch_id=new.home_branch_id,
        preferred_language=new.preferred_language,
    )
    db.session.add(customer)
    db.session.flush()
    return customer
