"""Time-based one-time codes (RFC 6238) with replay protection."""

from __future__ import annotations

import time

import pyotp
import segno

from workstation.types import is_digits

ISSUER = "Cloud Outlet Workstation"


def new_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """An SVG QR code of the address, as a data: URI for an <img>."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def matching_step(secret: str, code: str, last_step: int | None, at: float | None = None):
    """The time step a code belongs to (one step of drift allowed), or None.

    A step at or before `last_step` is refused, so a code cannot be used twice.
    """
    code = (code or "").strip().replace(" ", "")
    if not (is_digits(code) and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if at is None else at
    current = int(now // totp.interval)
    for step in (current - 1, current, current + 1):
        if totp.at(step * totp.interval) == code:
            if last_step is not None and step <= last_step:
                return None
            return step
    return None


def current_code(secret: str) -> str:
    """The code an authenticator shows now (demo tooling and tests)."""
    return pyotp.TOTP(secret).now()
