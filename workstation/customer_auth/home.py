"""What the customer's home screen shows."""

from __future__ import annotations


def home_context(customer_id: int) -> dict:
    """Pending tasks for the home screen (empty until the task outbox is installed)."""
    try:
        from workstation.tasks.service import pending_tasks_for
    except ImportError:
        return {"tasks": []}
    return {"tasks": pending_tasks_for(customer_id)}
