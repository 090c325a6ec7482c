"""Customer sign-in by phone and one-time code; device tokens and their revocation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from workstation import audit
from workstation.customer_auth.models import CustomerDevice, SignInChallenge
from workstation.customer_auth.sms import sms_gateway
from workstation.customers.registry import normalise_phone
from workstation.errors import DomainError, NotFound, ValidationFailed
from workstation.extensions import db
from workstation.models import Customer
from workstation.types import utcnow

CODE_LIFETIME = timedelta(minutes=5)
MAX_ATTEMPTS = 5
CODES_PER_PHONE_PER_HOUR = 5
DEVICE_LIFETIME = {"web": timedelta(hours=12), "app": timedelta(days=90)}
LAST_SEEN_GRANULARITY = timedelta(minutes=1)


class TooManyRequests(DomainError):
    status_code = 429


class CodeRefused(DomainError):
    """The code is wrong, used, expired or out of attempts (one message for all)."""

    status_code = 401


@dataclass(frozen=True)
class SignedIn:
    customer: Customer
    device: CustomerDevice
    token: str


def customer_actor(customer: Customer, ip: str = "", request_id: str = "") -> audit.Actor:
    """The audit actor for something the customer does on their own device."""
    return audit.Actor(staff_id=None, username=f"customer:{customer.customer_no}",
                       role="customer", ip=ip, request_id=request_id)


def code_hash(public_id: str, code: str) -> str:
    """The keyed hash a one-time code is stored as (its challenge id salts it)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{public_id}:{code}".encode(), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    """The stored form of a device token (tokens are random, so SHA-256 suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _customer_for_phone(phone: str) -> Customer | None:
    return db.session.scalar(select(Customer).where(Customer.phone == phone).order_by(Customer.id))


def request_code(raw_phone: str, *, ip: str = "", request_id: str = "") -> SignInChallenge:
    """Send a sign-in code to a phone; the answer looks the same for unknown numbers."""
    phone = normalise_phone((raw_phone or "").strip()[:32])
    now = utcnow()
    recent = db.session.scalar(
        select(func.count(SignInChallenge.id)).where(
            SignInChallenge.phone == phone, SignInChallenge.created_at > now - timedelta(hours=1)
        )
    )
    if recent >= CODES_PER_PHONE_PER_HOUR:
        raise TooManyRequests("Too many codes were sent to this number. Try again in an hour.")
    public_id = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(1_000_000):06d}"
    customer = _customer_for_phone(phone)
    challenge = SignInChallenge(
        public_id=public_id, phone=phone, customer_id=customer.id if customer else None,
        code_hash=code_hash(public_id, code), ip=ip[:64], expires_at=now + CODE_LIFETIME,
    )
    db.session.add(challenge)
    if customer is not None:
        bank = current_app.config.get("BANK_NAME", "")
        sms_gateway().send(phone, f"{bank}: your sign-in code is {code}. It is valid for "
                                  "5 minutes. Never share it, not even with bank staff.")
        audit.record(customer_actor(customer, ip, request_id), "customer.sign_in_code_sent",
                     customer_id=customer.id, object_type="customer",
                     object_id=customer.customer_no)
    db.session.commit()
    return challenge


def _open_challenge(public_id: str) -> SignInChallenge:
    challenge = db.session.execute(
        select(SignInChallenge).where(SignInChallenge.public_id == (public_id or "")[:43])
        .with_for_update()
    ).scalar_one_or_none()
    if challenge is None:
        raise NotFound("This sign-in request is unknown. Ask for a new code.")
    return challenge


def verify_code(public_id: str, code: str, *, kind: str = "web", device_name: str = "",
                ip: str = "", request_id: str = "") -> SignedIn:
    """Check a code (single use, 5 minutes, 5 attempts) and sign a new device in."""
    if kind not in DEVICE_LIFETIME:
        raise ValidationFailed("Unknown device kind.")
    code = (code or "").strip().replace(" ", "")
    challenge = _open_challenge(public_id)
    now = utcnow()
    if challenge.used_at is not None:
        raise CodeRefused("This code was already used. Ask for a new code.")
    if challenge.expires_at <= now:
        raise CodeRefused("This code has expired. Ask for a new code.")
    if challenge.attempts >= MAX_ATTEMPTS:
        raise CodeRefused("Too many wrong attempts. Ask for a new code.")
    challenge.attempts += 1
    right = hmac.compare_digest(challenge.code_hash, code_hash(challenge.public_id, code))
    if not right or challenge.customer_id is None:
        left = MAX_ATTEMPTS - challenge.attempts
        db.session.commit()
        raise CodeRefused(f"That code is not right. {left} attempt(s) left." if left
                          else "Too many wrong attempts. Ask for a new code.")
    challenge.used_at = now
    return _sign_in_device(challenge.customer_id, kind, device_name, ip, request_id)


def _sign_in_device(customer_id: int, kind: str, device_name: str, ip: str,
                    request_id: str) -> SignedIn:
    customer = db.session.get(Customer, customer_id)
    token = secrets.token_urlsafe(32)
    device = CustomerDevice(
        customer_id=customer.id, token_hash=token_hash(token), kind=kind,
        name=(device_name or "").strip()[:120], expires_at=utcnow() + DEVICE_LIFETIME[kind],
    )
    db.session.add(device)
    db.session.flush()
    audit.record(customer_actor(customer, ip, request_id), "customer.sign_in",
                 customer_id=customer.id, object_type="customer_device",
                 object_id=str(device.id), detail={"kind": kind})
    db.session.commit()
    return SignedIn(customer, device, token)


def device_for_token(token: str | None) -> CustomerDevice | None:
    """The active device a bearer token belongs to, or None."""
    if not token or len(token) > 128:
        return None
    device = db.session.scalar(
        select(CustomerDevice).where(CustomerDevice.token_hash == token_hash(token))
    )
    return device if device and device.is_active(utcnow()) else None


def active_device(device_id: int | None) -> CustomerDevice | None:
    """The device of a mobile web session, if it is still signed in."""
    if not device_id:
        return None
    device = db.session.get(CustomerDevice, device_id)
    return device if device and device.is_active(utcnow()) else None


def touch(device: CustomerDevice) -> None:
    """Note that the device was used (at most once a minute, in its own small commit)."""
    now = utcnow()
    if now - device.last_seen_at >= LAST_SEEN_GRANULARITY:
        db.session.execute(update(CustomerDevice).where(CustomerDevice.id == device.id)
                           .values(last_seen_at=now))
        db.session.commit()


def devices_of(customer_id: int) -> list[CustomerDevice]:
    """The customer's signed-in devices, newest first."""
    now = utcnow()
    return list(db.session.scalars(
        select(CustomerDevice).where(CustomerDevice.customer_id == customer_id,
                                     CustomerDevice.revoked_at.is_(None),
                                     CustomerDevice.expires_at > now)
        .order_by(CustomerDevice.id.desc())
    ))


def _tell_device_signed_out(device_id: int) -> None:
    from workstation.realtime import CUSTOMER_NAMESPACE
    from workstation.realtime.after_commit import emit_after_commit

    emit_after_commit(f"device:{device_id}", "signed_out", {"reason": "revoked"},
                      CUSTOMER_NAMESPACE)


def revoke_device(actor: audit.Actor, customer_id: int, device_id: int,
                  reason: str = "signed_out") -> CustomerDevice:
    """Sign a device out for good; its token stops working at once."""
    device = db.session.get(CustomerDevice, device_id)
    if device is None or device.customer_id != customer_id:
        raise NotFound("No such device.")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        device.revoke_reason = reason[:64]
        audit.record(actor, "customer.device_revoked", customer_id=customer_id,
                     object_type="customer_device", object_id=str(device.id), reason=reason)
        _tell_device_signed_out(device.id)
    db.session.commit()
    return device
