"""The customer's side of a reset: code, confirmation, then the new secret from the device.

The clear PIN or password exists only in `answer.private` while this module runs: it is
checked, handed to the hash setter and dropped; it is never logged, audited or stored.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy import select

from workstation import audit
from workstation.cards import device
from workstation.cards.common import masked
from workstation.core import core_banking
from workstation.credentials import identity, rules
from workstation.credentials.models import CredentialReset, OnlineBankingLogin
from workstation.credentials.service import (
    KINDS,
    SUBJECT,
    attempts_allowed,
    finish,
    push_code_task,
)
from workstation.customer_auth.service import customer_actor
from workstation.extensions import db
from workstation.tasks.handlers import TaskAnswer
from workstation.tasks.service import create_task
from workstation.types import utcnow

_hasher = PasswordHasher()
CLOSED = {"decline": "declined", "expired": "expired", "cancelled": "cancelled"}


def _current(answer: TaskAnswer) -> CredentialReset | None:
    reset = db.session.execute(select(CredentialReset).where(
        CredentialReset.id == int(answer.task.subject_id)).with_for_update()
    ).scalar_one_or_none()
    if reset is None or reset.task_public_id != answer.task.public_id or not reset.is_open:
        return None
    return reset


def on_reset_answer(answer: TaskAnswer) -> None:
    """Move a reset on by the customer's answer to its current task."""
    reset = _current(answer)
    if reset is None:
        return
    actor = customer_actor(reset.customer)
    if answer.decision != "accept":
        finish(reset, CLOSED[answer.decision], f"The {answer.task.kind} step was "
                                               f"{CLOSED[answer.decision]}.")
        _record(actor, reset, reset.status)
    elif answer.task.kind == "code":
        _on_code(actor, reset, str(answer.private.get("code", "")))
    elif answer.task.kind == "confirm":
        _ask_for_secret(actor, reset, "")
    elif answer.task.kind == "set_secret":
        _on_secret(actor, reset, answer.private.get("secret"))
    device.announce_change(reset.customer_id, "credential_reset")


def _record(actor: audit.Actor, reset: CredentialReset, what: str, **detail) -> None:
    audit.record(actor, f"credential.{reset.kind}_reset_{what}", customer_id=reset.customer_id,
                 object_type="credential_reset", object_id=reset.id,
                 outcome="ok" if what in ("code_ok", "confirmed", "set") else "refused",
                 detail={"step": reset.step, **detail})


def _on_code(actor: audit.Actor, reset: CredentialReset, code: str) -> None:
    right, why = identity.check_code(reset.challenge_public_id, code, reset.customer_id)
    if right:
        reset.step = "confirm"
        _record(actor, reset, "code_ok")
        _ask_to_confirm(actor, reset)
        return
    reset.code_attempts += 1
    left = attempts_allowed("CREDENTIAL_CODE_ATTEMPTS") - reset.code_attempts
    _record(actor, reset, "code_wrong", attempts=reset.code_attempts)
    if left <= 0 or why != "That code is not right.":
        finish(reset, "failed", "Too many wrong codes." if left <= 0 else why)
        _tell(actor, reset, "Reset stopped", f"The {KINDS[reset.kind]} was stopped: "
              f"{reset.outcome_note} Ask your adviser to start again.")
        return
    push_code_task(actor, reset, reset.customer,
                   f"{why} {left} attempt{'s' if left != 1 else ''} left.")


def _ask_to_confirm(actor: audit.Actor, reset: CredentialReset) -> None:
    if reset.kind == "pin":
        summary = f"Set a new PIN for your card {masked(reset.card)}."
        details = [("Card", masked(reset.card)), ("Product", reset.card.product)]
    else:
        summary = "Set a new password for online banking."
        details = [("Service", "Online banking")]
    details.append(("Next", "You type the new secret twice on this phone; nobody at the bank "
                            "sees it."))
    task = device.ask_to_confirm(actor, reset.customer_id, f"Confirm the {KINDS[reset.kind]}",
                                 summary, details, (SUBJECT, reset.id),
                                 identity.CODE_LIFETIME * 2)
    reset.task_public_id = task.public_id


def _ask_for_secret(actor: audit.Actor, reset: CredentialReset, note: str) -> None:
    reset.step = "secret"
    if reset.kind == "pin":
        label = f"New 6-digit PIN for card {masked(reset.card)}"
        payload = {"title": "Set your new PIN", "secret_type": "pin", "length": rules.PIN_LENGTH}
    else:
        label = f"New online-banking password ({rules.PASSWORD_MIN}+ characters)"
        payload = {"title": "Set your new password", "secret_type": "password",
                   "min_length": rules.PASSWORD_MIN}
    payload["label"] = label[:120]
    if note:
        payload["title"] = f"Try again: {note}"[:200]
    task = create_task(actor, reset.customer_id, "set_secret", payload,
                       expires_in=identity.CODE_LIFETIME * 2, subject=(SUBJECT, reset.id))
    reset.task_public_id = task.public_id
    if not note:
        _record(actor, reset, "confirmed")


def _on_secret(actor: audit.Actor, reset: CredentialReset, secret) -> None:
    customer = reset.customer
    try:
        if reset.kind == "pin":
            rules.check_pin(secret, customer.birth_date)
        else:
            rules.check_password(secret, personal=_personal(customer))
    except rules.RuleBroken as broken:
        _refused_secret(actor, reset, str(broken))
        return
    if reset.kind == "pin":
        core_banking().set_pin(reset.card_id, secret)
    else:
        _store_password(reset.customer_id, secret)
    finish(reset, "set", "")
    _record(actor, reset, "set")
    what = f"the PIN of card {masked(reset.card)}" if reset.kind == "pin" \
        else "your online-banking password"
    _tell(actor, reset, "Changed", f"You changed {what} at {utcnow():%Y-%m-%d %H:%M} UTC. "
          "If this was not you, call the bank at once.")


def _refused_secret(actor: audit.Actor, reset: CredentialReset, why: str) -> None:
    reset.secret_attempts += 1
    left = attempts_allowed("CREDENTIAL_SECRET_ATTEMPTS") - reset.secret_attempts
    _record(actor, reset, "secret_refused", attempts=reset.secret_attempts, rule=why)
    if left <= 0:
        finish(reset, "failed", "The new secret broke the rules too often.")
        _tell(actor, reset, "Reset stopped", f"{why} That was the last attempt; ask your "
              "adviser to start again.")
        return
    _ask_for_secret(actor, reset, f"{why} ({left} left.)")


def _personal(customer) -> tuple[str, ...]:
    digits = "".join(c for c in customer.phone if c.isdigit())
    names = tuple(part for part in customer.full_name.split() if len(part) >= 4)
    return (*names, digits[-8:], customer.birth_date.strftime("%Y%m%d"))


def _store_password(customer_id: int, password: str) -> None:
    core = core_banking()
    if hasattr(core, "set_online_banking_password"):
        core.set_online_banking_password(customer_id, password)
        return
    login = db.session.scalar(select(OnlineBankingLogin).where(
        OnlineBankingLogin.customer_id == customer_id).with_for_update())
    if login is None:
        login = OnlineBankingLogin(customer_id=customer_id, password_hash="")
        db.session.add(login)
    login.password_hash = _hasher.hash(password)
    login.set_at = utcnow()


def _tell(actor: audit.Actor, reset: CredentialReset, title: str, message: str) -> None:
    device.notify_customer(actor, reset.customer_id, title, message, (SUBJECT, reset.id))
