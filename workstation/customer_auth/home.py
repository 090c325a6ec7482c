"""What the customer's home screen shows."""

from __future__ import annotations


def home_context(customer_id: int) -> dict:
    """The customer's open tasks and the kind labels to show beside them."""
    from workstation.tasks.kinds import KINDS
    from workstation.tasks.service import pending_tasks_for

    return {"tasks": pending_tasks_for(customer_id), "kinds": KINDS}
