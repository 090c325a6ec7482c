"""The card status state machine: which step is possible from which status, and why not."""

from __future__ import annotations

from workstation.errors import Conflict

ACTIVE = "active"
LOCKED = "locked"
VERBAL_LOSS = "verbal_loss"
NOT_ACTIVATED = "not_activated"
LOSS_KINDS = ("lost", "stolen", "damaged", "retained")
BLOCKED_FOR_GOOD = frozenset(LOSS_KINDS)

LABELS = {
    ACTIVE: "Active",
    LOCKED: "Temporarily locked",
    VERBAL_LOSS: "Verbal loss report (pending confirmation)",
    NOT_ACTIVATED: "Not yet activated",
    "lost": "Reported lost (blocked)",
    "stolen": "Reported stolen (blocked)",
    "damaged": "Damaged (blocked)",
    "retained": "Kept by an ATM (blocked)",
}
LOSS_LABELS = {
    "lost": "Lost",
    "stolen": "Stolen",
    "damaged": "Damaged",
    "retained": "Kept by an ATM",
}

# action -> statuses it may start from
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "lock": frozenset({ACTIVE}),
    "unlock": frozenset({LOCKED}),
    "verbal_loss": frozenset({ACTIVE, LOCKED}),
    "formal_loss": frozenset({ACTIVE, LOCKED, VERBAL_LOSS}),
    "replacement": BLOCKED_FOR_GOOD,
    "activate": frozenset({NOT_ACTIVATED}),
    "pin_reset": frozenset({ACTIVE, LOCKED, NOT_ACTIVATED}),
}

_WHY_NOT = {
    "lock": {
        LOCKED: "This card is already locked.",
        VERBAL_LOSS: "This card is already blocked by a verbal loss report.",
        NOT_ACTIVATED: "This card is not activated yet, so it cannot be used and needs no lock.",
    },
    "unlock": {
        ACTIVE: "This card is not locked.",
        VERBAL_LOSS: "This card is blocked by a verbal loss report: confirm the report or "
                     "wait until it lapses; it cannot simply be unlocked.",
        NOT_ACTIVATED: "This card is not activated yet; activate it instead.",
    },
    "verbal_loss": {
        VERBAL_LOSS: "A verbal loss report for this card is already in force.",
        NOT_ACTIVATED: "This card is not activated yet.",
    },
    "formal_loss": {NOT_ACTIVATED: "This card is not activated yet."},
    "replacement": {
        ACTIVE: "Only a card blocked for good (lost, stolen, damaged or kept by an ATM) can be "
                "replaced; this card is active. Report it first.",
        LOCKED: "Only a card blocked for good can be replaced; this card is only locked. "
                "Report it lost first.",
        VERBAL_LOSS: "The verbal loss report must be confirmed by the customer before a "
                     "replacement can be ordered.",
        NOT_ACTIVATED: "This card is itself a new card waiting to be activated.",
    },
    "activate": {ACTIVE: "This card is already active."},
    "pin_reset": {VERBAL_LOSS: "This card is blocked by a loss report; its PIN cannot be reset."},
}


def label(status: str) -> str:
    """A staff- and customer-readable name for a card status."""
    return LABELS.get(status, status.replace("_", " ").capitalize())


def is_blocked_for_good(status: str) -> bool:
    """Whether the card can never be used again (a formal loss report)."""
    return status in BLOCKED_FOR_GOOD


def allowed(action: str, status: str) -> bool:
    """Whether `action` may start from a card in `status`."""
    return status in ALLOWED_FROM[action]


def require(action: str, status: str) -> None:
    """Refuse an impossible step with a message that says why (Conflict, 409)."""
    if allowed(action, status):
        return
    if status in BLOCKED_FOR_GOOD and action != "replacement":
        raise Conflict(f"This card is {LOSS_LABELS[status].lower()} and blocked for good; "
                       "nothing but a replacement can be done with it.")
    message = _WHY_NOT.get(action, {}).get(status)
    raise Conflict(message or f"This step is not possible for a card that is {label(status)}.")


def actions_for(status: str) -> list[str]:
    """The actions the staff page offers for a card in this status."""
    return [action for action, sources in ALLOWED_FROM.items() if status in sources]


def set_status(card, status: str) -> None:
    """Move a card to a status; a core system that keeps card status is told as well.

    The embedded core keeps the status on the workstation's own card row. A bank's core
    adapter that offers `set_card_status(card_id, status)` gets the change in the same
    transaction, so a card blocked here is blocked for payments too.
    """
    from workstation.core import core_banking

    card.status = status
    core = core_banking()
    if hasattr(core, "set_card_status"):
        core.set_card_status(card.id, status)
