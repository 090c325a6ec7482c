"""Identity proof for a reset: a one-time code sent to the registered phone.

Built on the customer sign-in's code challenges and SMS gateway: the same table, the
same keyed hash and the same per-phone sending limit, so there is one code machinery.
Only the code's purpose differs: this one signs no device in, it only proves the phone.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from workstation.customer_auth import service as sign_in
from workstation.customer_auth.models import SignInChallenge
from workstation.customer_auth.sms import sms_gateway
from workstation.errors import NotFound
from workstation.extensions import db
from workstation.models import Customer
from workstation.types import utcnow

CODE_LIFETIME = sign_in.CODE_LIFETIME


def send_code(customer: Customer, purpose: str) -> SignInChallenge:
    """Text a fresh code to the customer's registered phone (the caller commits)."""
    now = utcnow()
    recent = db.session.scalar(select(func.count(SignInChallenge.id)).where(
        SignInChallenge.phone == customer.phone,
        SignInChallenge.created_at > now - timedelta(hours=1)))
    if recent >= sign_in.CODES_PER_PHONE_PER_HOUR:
        raise sign_in.TooManyRequests("Too many codes were sent to this customer's phone in "
                                      "the last hour. Try again later.")
    public_id = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(1_000_000):06d}"
    challenge = SignInChallenge(public_id=public_id, phone=customer.phone,
                                customer_id=customer.id,
                                code_hash=sign_in.code_hash(public_id, code),
                                expires_at=now + CODE_LIFETIME)
    db.session.add(challenge)
    bank = current_app.config.get("BANK_NAME", "")
    sms_gateway().send(customer.phone, f"{bank}: your code to confirm the {purpose} is {code}. "
                                       "Enter it on your phone only; never tell it to anyone, "
                                       "not even bank staff.")
    db.session.flush()
    return challenge


def check_code(public_id: str, code: str, customer_id: int) -> tuple[bool, str]:
    """Whether the code is right (single use, in time); counts the attempt either way."""
    challenge = db.session.execute(select(SignInChallenge).where(
        SignInChallenge.public_id == public_id).with_for_update()).scalar_one_or_none()
    if challenge is None or challenge.customer_id != customer_id:
        raise NotFound("This identity check is unknown.")
    if challenge.used_at is not None:
        return False, "This code was already used."
    if challenge.expires_at <= utcnow():
        return False, "This code has expired."
    challenge.attempts += 1
    right = hmac.compare_digest(challenge.code_hash,
                                sign_in.code_hash(challenge.public_id, code or ""))
    if right:
        challenge.used_at = utcnow()
        return True, ""
    return False, "That code is not right."


def retire_code(public_id: str) -> None:
    """Make a code unusable (the reset ended another way)."""
    challenge = db.session.scalar(select(SignInChallenge).where(
        SignInChallenge.public_id == public_id))
    if challenge is not None and challenge.used_at is None:
        challenge.used_at = utcnow()
