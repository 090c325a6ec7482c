"""After approval: the signed agreement, the account and card, card details and the PIN."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from workstation import audit
from workstation.core import core_banking
from workstation.errors import Conflict, ValidationFailed
from workstation.extensions import db
from workstation.masking import mask_tail
from workstation.onboarding import notify
from workstation.onboarding.models import (
    DOCUMENT_SLOTS,
    OnboardingApplication,
    OnboardingTaskLink,
    SignedAgreement,
)
from workstation.onboarding.rules import OCCUPATIONS, PURPOSES
from workstation.onboarding.settings import current_settings
from workstation.types import utcnow


def atomic_commit(service):
    """Run a staff action in one transaction: commit when it works, roll back when not."""
    from functools import wraps

    @wraps(service)
    def run(*args, **kwargs):
        try:
            result = service(*args, **kwargs)
        except Exception:
            db.session.rollback()
            raise
        db.session.commit()
        return result

    return run

AGREEMENT_VERSION = "2026-11"
SUBJECT = notify.SUBJECT_TYPE
SLOT_DOCUMENTS = {"id_front": "the front of your ID card", "id_back": "the back of your ID card",
                  "selfie": "a selfie (your face, well lit, no glasses)"}


def _tasks():
    from workstation.tasks import service

    return service


def _link(application: OnboardingApplication, purpose: str, task) -> None:
    db.session.add(OnboardingTaskLink(application_id=application.id, purpose=purpose,
                                      task_public_id=task.public_id))


def request_uploads(actor: audit.Actor, application: OnboardingApplication,
                    slots: tuple[str, ...] = DOCUMENT_SLOTS) -> int:
    """Push one photo request per document to the customer's device (caller commits)."""
    if application.status != "draft":
        raise Conflict("Photos are only asked for while the application is being filled in.")
    settings = current_settings()
    for slot in slots:
        task = _tasks().create_task(
            actor, application.customer_id, "upload",
            {"title": f"Photo for card application {application.reference}",
             "document": f"Take a photo of {SLOT_DOCUMENTS[slot]}",
             "accept": ["image/jpeg", "image/png"], "max_bytes": settings.image_max_bytes},
            subject=(SUBJECT, application.reference))
        _link(application, slot, task)
    audit.record(actor, "onboarding.photos_requested", customer_id=application.customer_id,
                 object_type="onboarding_application", object_id=application.reference,
                 detail={"slots": list(slots)})
    return len(slots)


def agreement_text(application: OnboardingApplication) -> str:
    """The account agreement as the customer reads and signs it."""
    bank = current_app.config.get("BANK_NAME", "the bank")
    cur = current_settings().currency
    lines = [
        f"Account agreement {AGREEMENT_VERSION} between {bank} and {application.full_name} "
        f"(ID {mask_tail(application.id_number_last4)}), application {application.reference}.",
        f"1. The bank opens a type {application.account_class} personal settlement account "
        "with a debit card, opened remotely through an electronic channel.",
        f"2. Outflows are limited to {application.daily_outflow_limit:,.2f} {cur} a day and "
        f"{application.yearly_outflow_limit:,.2f} {cur} a year.",
    ]
    if application.balance_cap is not None:
        lines.append(f"3. The balance may not exceed {application.balance_cap:,.2f} {cur}.")
    if application.account_class == "II":
        lines.append(f"3. The account is bound to your own type I account at "
                     f"{application.bound_bank} ({mask_tail(application.bound_account_last4)}).")
    lines += [
        f"4. Stated purpose: {PURPOSES.get(application.purpose, '')}; occupation: "
        f"{OCCUPATIONS.get(application.occupation, '')}.",
        "5. You keep your card details and PIN secret; the bank never asks for them.",
        "6. You may close the account at any time at a branch or through the app.",
    ]
    return "\n".join(lines)


def ask_for_signature(actor: audit.Actor, application: OnboardingApplication) -> None:
    """Write the agreement and push it to the customer's device to sign (caller commits)."""
    text = agreement_text(application)
    sha = hashlib.sha256(text.encode()).hexdigest()
    agreement = db.session.scalar(select(SignedAgreement).where(
        SignedAgreement.application_id == application.id))
    if agreement is None:
        agreement = SignedAgreement(application_id=application.id, version=AGREEMENT_VERSION,
                                    text=text, text_sha256=sha)
        db.session.add(agreement)
    elif agreement.signed_at is not None:
        raise Conflict("The agreement is already signed.")
    agreement.text, agreement.text_sha256 = text, sha
    task = _tasks().create_task(
        actor, application.customer_id, "sign",
        {"title": f"Sign your account agreement ({application.reference})",
         "document_title": f"Account agreement {AGREEMENT_VERSION}", "document_text": text},
        expires_in=timedelta(days=7), subject=(SUBJECT, application.reference))
    agreement.task_public_id = task.public_id
    _link(application, "agreement", task)


def signed_agreement(application: OnboardingApplication) -> SignedAgreement | None:
    """The agreement sent for the application (signed or not yet)."""
    return db.session.scalar(select(SignedAgreement).where(
        SignedAgreement.application_id == application.id))


def record_signature(application: OnboardingApplication, answer) -> None:
    """Keep the signature, then open the account and issue the card (answer's transaction)."""
    if application.status != "approved":
        raise Conflict("This application is not waiting for a signature.")
    agreement = db.session.scalar(select(SignedAgreement).where(
        SignedAgreement.application_id == application.id))
    if agreement is None or agreement.task_public_id != answer.task.public_id:
        raise Conflict("This agreement was replaced by a newer one.")
    now = utcnow()
    agreement.signature_json = json.dumps(
        {"answer": answer.data, "payload_hash": answer.task.payload_hash}, sort_keys=True)
    agreement.signed_at, agreement.signed_device_id = now, answer.device_id
    actor = _customer_actor(application)
    audit.record(actor, "onboarding.agreement_signed", customer_id=application.customer_id,
                 object_type="onboarding_application", object_id=application.reference,
                 detail={"text_sha256": agreement.text_sha256})
    open_account_and_card(actor, application)


def _customer_actor(application: OnboardingApplication) -> audit.Actor:
    from workstation.customer_auth.service import customer_actor

    return customer_actor(application.customer)


def open_account_and_card(actor: audit.Actor, application: OnboardingApplication) -> None:
    """Open the account and issue the card in the core; the card number goes to the device."""
    core = core_banking()
    account = core.open_account(application.customer_id, application.account_class,
                                current_settings().currency,
                                f"Type {application.account_class} account (remote)")
    issued = core.issue_card(application.customer_id, account.id, "Debit card")
    application.account_id, application.card_id = account.id, issued.card.id
    application.card_last4 = issued.card.pan_last4
    application.card_reveal = issued.pan
    application.status = "card_issued"
    application.card_order_status = "ordered" if application.physical_card else ""
    audit.record(actor, "onboarding.card_issued", customer_id=application.customer_id,
                 object_type="onboarding_application", object_id=application.reference,
                 detail={"account_class": account.account_class,
                         "card_last4": issued.card.pan_last4,
                         "physical_card": application.physical_card})
    ask_for_pin(actor, application)
    notify.tell_customer(actor, application, "card_issued")


def ask_for_pin(actor: audit.Actor, application: OnboardingApplication) -> None:
    """Push the PIN step to the customer's device (the PIN never reaches staff)."""
    task = _tasks().create_task(
        actor, application.customer_id, "set_secret",
        {"title": f"Set the PIN of your card ending {application.card_last4}",
         "secret_type": "pin", "length": 6,
         "label": f"PIN for the card ending {application.card_last4}"},
        expires_in=timedelta(days=7), subject=(SUBJECT, application.reference))
    _link(application, "pin", task)


def record_pin(application: OnboardingApplication, answer) -> None:
    """Set the new card's PIN from the device's answer; the application is then complete."""
    if application.status != "card_issued" or application.card_id is None:
        raise Conflict("This card is not waiting for a PIN.")
    pin = answer.private.get("secret", "")
    check_pin_rules(pin, application)
    core_banking().set_pin(application.card_id, pin)
    now = utcnow()
    application.pin_set_at = now
    application.status, application.closed_at = "completed", now
    application.open_id_digest = None
    application.card_reveal = None
    actor = _customer_actor(application)
    audit.record(actor, "onboarding.pin_set", customer_id=application.customer_id,
                 object_type="onboarding_application", object_id=application.reference)
    notify.tell_customer(actor, application, "completed")


def pin_request_open(application: OnboardingApplication) -> bool:
    """Whether the PIN step of an issued card waits on the customer's phone now (not
    declined, expired or withdrawn)."""
    if application.status != "card_issued":
        return False
    try:
        from workstation.tasks.models import OPEN_STATUSES, CustomerTask
    except ImportError:  # a build without the task channel: nothing can be open
        return False
    return db.session.scalar(
        select(CustomerTask.id)
        .join(OnboardingTaskLink, OnboardingTaskLink.task_public_id == CustomerTask.public_id)
        .where(OnboardingTaskLink.application_id == application.id,
               OnboardingTaskLink.purpose == "pin", CustomerTask.status.in_(OPEN_STATUSES),
               CustomerTask.expires_at > utcnow()).limit(1)) is not None


# A request the customer declined or let expire can be sent again while the application is
# still at its step: step -> (the status it needs, why not otherwise, how it is sent, done).
RESENDABLE = {
    "agreement": ("approved", "Only an approved application waits for a signature.",
                  ask_for_signature, "The agreement was sent to the customer's phone again."),
    "pin": ("card_issued", "Only an issued card waits for its PIN.",
            ask_for_pin, "The PIN request was sent to the customer's phone again."),
}


def send_again(actor: audit.Actor, application: OnboardingApplication, step: str) -> str:
    """Withdraw the step's open request, if any, and push a new one; returns what was done."""
    if step not in RESENDABLE:
        raise ValidationFailed("Only the agreement or the PIN request can be sent again.")
    status, refusal, ask, done = RESENDABLE[step]
    if application.status != status:
        raise ValidationFailed(refusal)
    cancel_open_tasks(actor, application, "Replaced by a new request.")
    ask(actor, application)
    db.session.commit()
    return done


def check_pin_rules(pin: str, application: OnboardingApplication) -> None:
    """The bank's PIN rules (card services' checker): refused PINs go back to the device."""
    from workstation.credentials.rules import RuleBroken, check_pin

    try:
        check_pin(pin, application.birth_date)
    except RuleBroken as broken:
        raise ValidationFailed(str(broken)) from None


def cancel_open_tasks(actor: audit.Actor, application: OnboardingApplication,
                      reason: str) -> None:
    """Withdraw the application's tasks still open on the device (caller commits)."""
    try:
        from workstation.tasks.models import CustomerTask
    except ImportError:
        return
    open_ids = db.session.scalars(select(CustomerTask.public_id).where(
        CustomerTask.subject_type == SUBJECT, CustomerTask.subject_id == application.reference,
        CustomerTask.status.in_(("pending", "delivered")))).all()
    for public_id in open_ids:
        _tasks().cancel_task(actor, application.customer_id, public_id, reason)


@atomic_commit
def advance_card_order(actor: audit.Actor, application: OnboardingApplication,
                       step: str) -> None:
    """The physical card arrived at the pick-up branch, or was handed to the customer."""
    expected = {"ready": "ordered", "collected": "ready"}
    if step not in expected:
        raise ValidationFailed("Choose 'ready' or 'collected'.")
    if application.card_order_status != expected[step]:
        raise Conflict(f"The card order is '{application.card_order_status or 'none'}'.")
    application.card_order_status = step
    audit.record(actor, f"onboarding.card_{step}", customer_id=application.customer_id,
                 object_type="onboarding_application", object_id=application.reference)
    if step == "ready":
        notify.tell_customer(actor, application, "card_ready")
