"""Sign-in rules: password check, lockout, second factor, enrolment and password change."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from workstation import audit
from workstation.auth import totp
from workstation.auth.passwords import hash_password, password_matches, password_problem
from workstation.errors import DomainError, ValidationFailed
from workstation.extensions import db
from workstation.models import Staff
from workstation.realtime import STAFF_NAMESPACE, staff_room
from workstation.realtime.after_commit import emit_after_commit
from workstation.types import is_digits, utcnow

SIGN_IN_FAILED = (
    "Sign-in failed. Check your username and password. "
    "After 5 failed attempts an account is locked for 15 minutes."
)
CODE_FAILED = "That code is not valid. Enter the current 6-digit code from your authenticator."


class SignInFailed(DomainError):
    status_code = 401


@dataclass(frozen=True)
class LockoutPolicy:
    threshold: int
    duration: timedelta


def _find_staff(username: str) -> Staff | None:
    return db.session.scalar(
        select(Staff).where(func.lower(Staff.username) == username.strip().lower())
    )


def _as_staff(actor: audit.Actor, staff: Staff | None, username: str = "") -> audit.Actor:
    """The actor of a sign-in step: the account it is about, or the name that was typed."""
    if staff is None:
        return replace(actor, username=username[:64])
    branch = staff.branch.code if staff.branch else ""
    return replace(
        actor, staff_id=staff.id, username=staff.username, role=staff.role, branch_code=branch
    )


def _count_failure(staff: Staff, policy: LockoutPolicy) -> None:
    staff.failed_sign_ins += 1
    if staff.failed_sign_ins >= policy.threshold:
        staff.locked_until = utcnow() + policy.duration
        staff.failed_sign_ins = 0


def check_password(
    actor: audit.Actor, username: str, password: str, policy: LockoutPolicy
) -> Staff:
    """First factor. Unknown user, wrong password, locked or inactive: one message."""
    staff = _find_staff(username or "")
    matches = password_matches(staff.password_hash if staff else None, password or "")
    locked = staff is not None and staff.is_locked
    if staff is None or not staff.active or locked or not matches:
        if staff is not None and staff.active and not locked:
            _count_failure(staff, policy)
        reason = (
            "unknown user"
            if staff is None
            else "inactive"
            if not staff.active
            else "locked"
            if locked
            else "wrong password"
        )
        audit.record(
            _as_staff(actor, staff, username or ""),
            "auth.sign_in",
            object_type="staff",
            object_id=staff.id if staff else "",
            outcome="failed",
            detail={"username": (username or "")[:64], "why": reason},
        )
        db.session.commit()
        raise SignInFailed(SIGN_IN_FAILED)
    return staff


def check_second_factor(
    actor: audit.Actor, staff_id: int, code: str, policy: LockoutPolicy
) -> Staff:
    """Second factor; a failure counts towards the same lockout as a wrong password."""
    staff = db.session.get(Staff, staff_id)
    if staff is None or not staff.active or staff.totp_secret is None:
        raise SignInFailed(SIGN_IN_FAILED)
    if staff.is_locked:
        raise SignInFailed(SIGN_IN_FAILED)
    actor = _as_staff(actor, staff)
    step = totp.matching_step(staff.totp_secret, code, staff.totp_last_step)
    if step is None:
        _count_failure(staff, policy)
        audit.record(
            actor, "auth.second_factor", object_type="staff", object_id=staff.id, outcome="failed"
        )
        db.session.commit()
        raise SignInFailed(CODE_FAILED)
    staff.totp_last_step = step
    if staff.totp_confirmed_at is None:
        staff.totp_confirmed_at = utcnow()
        audit.record(actor, "auth.second_factor_enrolled", object_type="staff", object_id=staff.id)
    staff.failed_sign_ins = 0
    staff.locked_until = None  # a lock that ran out is over
    staff.last_sign_in_at = utcnow()
    audit.record(actor, "auth.sign_in", object_type="staff", object_id=staff.id)
    db.session.commit()
    return staff


def start_enrolment(staff_id: int) -> tuple[str, str]:
    """Give an account without a confirmed second factor a secret; returns it and the username."""
    staff = db.session.get(Staff, staff_id)
    if staff is None or not staff.active:
        raise SignInFailed(SIGN_IN_FAILED)
    if staff.has_second_factor:
        raise DomainError("This account already has a second factor.")
    if staff.totp_secret is None:
        staff.totp_secret = totp.new_secret()
        db.session.commit()
    return staff.totp_secret, staff.username


def record_sign_out(actor: audit.Actor) -> None:
    """Write the sign-out to the audit log and close the person's other open tabs."""
    audit.record(actor, "auth.sign_out", object_type="staff", object_id=actor.staff_id or "")
    if actor.staff_id is not None:
        emit_after_commit(
            staff_room(actor.staff_id),
            "signed_out",
            {"reason": "You signed out."},
            STAFF_NAMESPACE,
        )
    db.session.commit()


def change_password(
    actor: audit.Actor, staff: Staff, current: str, new: str, repeat: str, min_length: int
) -> None:
    """Replace a staff member's password after checking the current one."""
    if not password_matches(staff.password_hash, current or ""):
        raise ValidationFailed("The current password is not right.")
    if new != repeat:
        raise ValidationFailed("The two new passwords differ.")
    if new == current:
        raise ValidationFailed("Choose a password different from the current one.")
    problem = password_problem(new or "", min_length)
    if problem:
        raise ValidationFailed(problem)
    staff.password_hash = hash_password(new)
    staff.must_change_password = False
    audit.record(actor, "auth.password_changed", object_type="staff", object_id=staff.id)
    db.session.commit()


# Built once (it runs on every request); the branch comes along: each audit actor names it.
_SIGNED_IN_STAFF = (select(Staff).options(joinedload(Staff.branch))
                    .where(Staff.id == bindparam("staff_id")))


def load_signed_in_staff(cookie_id: str) -> Staff | None:
    """The staff member a session belongs to, if the account is active and the session current."""
    staff_id, _, version = (cookie_id or "").partition(":")
    if not (is_digits(staff_id) and is_digits(version)):
        return None
    staff = db.session.execute(_SIGNED_IN_STAFF, {"staff_id": int(staff_id)}).scalar()
    if staff is None or not staff.active or staff.session_version != int(version):
        return None
    return staff
