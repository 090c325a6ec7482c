"""Applications and their steps: start, personal data, documents, address, occupation, account."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from workstation import audit
from workstation.crypto import cipher
from workstation.customers.registry import normalise_phone
from workstation.errors import Conflict, DomainError, ValidationFailed
from workstation.extensions import db
from workstation.models import Branch, Customer
from workstation.onboarding import rules
from workstation.onboarding.images import check_image
from workstation.onboarding.models import (
    DOCUMENT_SLOTS,
    OPEN_STATUSES,
    STEPS,
    OnboardingApplication,
    OnboardingDocument,
)
from workstation.onboarding.settings import current_settings
from workstation.types import DB_INT_MAX, is_digits, utcnow, whole_number

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SLOT_LABELS = {"id_front": "ID card, front", "id_back": "ID card, back", "selfie": "Selfie"}


def atomic(service: Callable) -> Callable:
    """Roll back whatever a failing service call had written, so nothing is half-saved."""

    @wraps(service)
    def run(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except IntegrityError as exc:
            db.session.rollback()
            raise Conflict("An application for this ID number is already open.") from exc
        except Exception:
            db.session.rollback()
            raise

    return run


@dataclass(frozen=True)
class Starter:
    """Who starts an application: a staff member (assisted) or the customer on a device."""

    actor: audit.Actor
    staff_id: int | None = None
    device_id: int | None = None

    @property
    def channel(self) -> str:
        return "assisted" if self.staff_id else "self"


def _new_reference() -> str:
    return "CA" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def _refuse_second_open(id_digest: str, own_id: int | None = None) -> None:
    query = select(OnboardingApplication.reference).where(
        OnboardingApplication.id_digest == id_digest,
        OnboardingApplication.status.in_(OPEN_STATUSES))
    if own_id is not None:
        query = query.where(OnboardingApplication.id != own_id)
    other = db.session.scalar(query)
    if other:
        raise Conflict(f"Application {other} for this ID number is still open: continue "
                       "that one or withdraw it first.", code="duplicate_open")


@atomic
def start_application(starter: Starter, customer_id: int) -> OnboardingApplication:
    """Open a new application for a customer, prefilled from the customer record."""
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise ValidationFailed("No such customer.")
    _refuse_second_open(customer.id_number_digest)
    application = OnboardingApplication(
        reference=_new_reference(), customer_id=customer.id, channel=starter.channel,
        prepared_by_id=starter.staff_id, device_id=starter.device_id,
        full_name=customer.full_name, id_number=customer.id_number,
        id_number_last4=customer.id_number_last4, id_digest=customer.id_number_digest,
        open_id_digest=customer.id_number_digest, birth_date=customer.birth_date,
        phone=customer.phone, email=customer.email, address_line=customer.address,
        pickup_branch_id=customer.home_branch_id,
    )
    db.session.add(application)
    db.session.flush()
    audit.record(starter.actor, "onboarding.started", customer_id=customer.id,
                 object_type="onboarding_application", object_id=application.reference,
                 detail={"channel": starter.channel})
    db.session.commit()
    return application


def _require_draft(application: OnboardingApplication) -> None:
    if application.status != "draft":
        raise Conflict(f"This application is {application.status.replace('_', ' ')}: "
                       "its details can no longer be changed.")


def _mark_done(application: OnboardingApplication, step: str) -> None:
    done = application.steps_done | {step}
    application.completed_steps = ",".join(s for s in STEPS if s in done)
    application.updated_at = utcnow()


def _audit_step(actor: audit.Actor, application: OnboardingApplication, step: str) -> None:
    audit.record(actor, "onboarding.step_saved", customer_id=application.customer_id,
                 object_type="onboarding_application", object_id=application.reference,
                 detail={"step": step})


@atomic
def save_personal(actor: audit.Actor, application: OnboardingApplication, form) -> None:
    """Name, ID number (checked), ID expiry, phone and e-mail; refused when not eligible."""
    _require_draft(application)
    settings = current_settings()
    today = utcnow().date()
    name = rules.clean_name(form.get("full_name", ""))
    typed = (form.get("id_number") or "").strip()
    number, born = rules.checked_id_number(typed or application.id_number or "")
    rules.check_age(born, today, settings)
    expires = rules.check_id_expiry(form.get("id_expires_on", ""), today)
    phone = normalise_phone((form.get("phone") or application.phone).strip()[:32])
    email = (form.get("email") or "").strip()[:255]
    if email and ("@" not in email or " " in email):
        raise ValidationFailed("The e-mail address is not valid.")
    digest = cipher.lookup_digest(number)
    if digest != application.customer.id_number_digest:
        raise ValidationFailed("The ID number is not the one on the customer's record.")
    _refuse_second_open(digest, application.id)
    application.full_name, application.birth_date = name, born
    application.id_number, application.id_number_last4 = number, number[-4:]
    application.id_digest = application.open_id_digest = digest
    application.id_expires_on, application.phone, application.email = expires, phone, email
    _mark_done(application, "personal")
    _audit_step(actor, application, "personal")
    db.session.commit()


@atomic
def attach_document(actor: audit.Actor, application: OnboardingApplication, slot: str,
                    content: bytes, received_via: str, *, commit: bool = True) -> None:
    """Keep an ID photo or selfie after checking it is a real JPEG or PNG within the limits."""
    _require_draft(application)
    if slot not in DOCUMENT_SLOTS:
        raise ValidationFailed("Unknown document: send id_front, id_back or selfie.")
    settings = current_settings()
    image = check_image(content, settings.image_max_bytes, settings.image_min_side)
    db.session.execute(delete(OnboardingDocument).where(
        OnboardingDocument.application_id == application.id, OnboardingDocument.slot == slot))
    db.session.add(OnboardingDocument(
        application_id=application.id, slot=slot, content_type=image.content_type,
        size=image.size, width=image.width, height=image.height, sha256=image.sha256,
        content=image.content, received_via=received_via))
    db.session.flush()
    have = set(db.session.scalars(select(OnboardingDocument.slot).where(
        OnboardingDocument.application_id == application.id)))
    if have >= set(DOCUMENT_SLOTS):
        _mark_done(application, "documents")
    application.updated_at = utcnow()
    audit.record(actor, "onboarding.document_received", customer_id=application.customer_id,
                 object_type="onboarding_application", object_id=application.reference,
                 detail={"slot": slot, "sha256": image.sha256, "via": received_via})
    if commit:
        db.session.commit()


def documents_of(application: OnboardingApplication) -> dict[str, OnboardingDocument]:
    """The application's documents by slot."""
    rows = db.session.scalars(select(OnboardingDocument).where(
        OnboardingDocument.application_id == application.id))
    return {row.slot: row for row in rows}


@atomic
def save_address(actor: audit.Actor, application: OnboardingApplication, form) -> None:
    """The residential address."""
    _require_draft(application)
    line = " ".join((form.get("address_line") or "").split())
    city = " ".join((form.get("city") or "").split())
    postcode = (form.get("postcode") or "").strip()
    if not 5 <= len(line) <= 255:
        raise ValidationFailed("Enter the street address (at least 5 characters).")
    if not 2 <= len(city) <= 80:
        raise ValidationFailed("Enter the city.")
    if not (is_digits(postcode) and len(postcode) == 6):
        raise ValidationFailed("The postcode has 6 digits.")
    application.address_line, application.city, application.postcode = line, city, postcode
    _mark_done(application, "address")
    _audit_step(actor, application, "address")
    db.session.commit()


@atomic
def save_occupation(actor: audit.Actor, application: OnboardingApplication, form) -> None:
    """Occupation, employer and the purpose of the account."""
    _require_draft(application)
    occupation, purpose = form.get("occupation", ""), form.get("purpose", "")
    if occupation not in rules.OCCUPATIONS:
        raise ValidationFailed("Choose an occupation.")
    if purpose not in rules.PURPOSES:
        raise ValidationFailed("Choose the purpose of the account.")
    employer = " ".join((form.get("employer") or "").split())[:120]
    if occupation in ("employee", "civil_servant") and len(employer) < 2:
        raise ValidationFailed("Enter the employer's name.")
    application.occupation, application.purpose = occupation, purpose
    application.employer = employer
    _mark_done(application, "occupation")
    _audit_step(actor, application, "occupation")
    db.session.commit()


@atomic
def save_account(actor: audit.Actor, application: OnboardingApplication, form) -> None:
    """Account type (II or III; type I needs a branch), bound account, physical card."""
    _require_draft(application)
    settings = current_settings()
    terms = rules.terms_for(form.get("account_class", ""), settings)
    physical = form.get("physical_card") in ("1", "yes", "on", True)
    branch_id = None
    if physical:
        branch_id = _pickup_branch(form.get("pickup_branch_id"))
    if terms.account_class == "II":
        number = rules.check_bound_account(
            form.get("bound_account", ""), form.get("bound_holder", ""),
            form.get("bound_bank", ""), application.full_name, settings)
        application.bound_bank = " ".join(form.get("bound_bank", "").split())[:120]
        application.bound_account, application.bound_account_last4 = number, number[-4:]
    else:
        application.bound_bank, application.bound_account = "", None
        application.bound_account_last4 = ""
    application.account_class = terms.account_class
    application.daily_outflow_limit = terms.daily_outflow
    application.yearly_outflow_limit = terms.yearly_outflow
    application.balance_cap = terms.balance_cap
    application.physical_card = physical
    application.pickup_branch_id = branch_id or application.pickup_branch_id
    _mark_done(application, "account")
    _audit_step(actor, application, "account")
    db.session.commit()


def _pickup_branch(raw) -> int:
    number = raw if isinstance(raw, int) and not isinstance(raw, bool) else whole_number(raw)
    branch = db.session.get(Branch, number) if number is not None and \
        0 < number <= DB_INT_MAX else None
    if branch is None or not branch.active:
        raise ValidationFailed("Choose the branch where you collect the card.")
    return branch.id


STEP_SAVERS = {"personal": save_personal, "address": save_address,
               "occupation": save_occupation, "account": save_account}


def save_step(actor: audit.Actor, application: OnboardingApplication, step: str, form) -> None:
    """Save one form step by name (documents arrive through attach_document)."""
    saver = STEP_SAVERS.get(step)
    if saver is None:
        raise ValidationFailed("Unknown step.")
    saver(actor, application, form)


def branches() -> list[Branch]:
    """Active branches, for the card pick-up choice."""
    return list(db.session.scalars(select(Branch).where(Branch.active).order_by(Branch.code)))


__all__ = ["DomainError", "Starter", "atomic", "save_step", "start_application"]
