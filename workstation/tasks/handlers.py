"""Answer handlers: how the area that asked for a task reacts when it is answered or closed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from workstation.tasks.models import CustomerTask


@dataclass(frozen=True)
class TaskAnswer:
    """What a handler receives. `private` holds a clear secret or code: use it, never keep it.

    decision is "accept" or "decline" (answered by the customer), or "expired" /
    "cancelled" (closed without an answer).
    """

    task: CustomerTask
    decision: str
    data: dict = field(default_factory=dict)
    private: dict = field(default_factory=dict, repr=False)
    device_id: int | None = None
    file_id: int | None = None


AnswerHandler = Callable[[TaskAnswer], None]
_handlers: dict[str, list[AnswerHandler]] = {}


def register_answer_handler(kind_or_subject_type: str, handler: AnswerHandler) -> None:
    """Call `handler(TaskAnswer)` inside the answer's transaction for a kind or subject type.

    A handler may raise a DomainError to refuse the answer: nothing is saved and the
    device gets the error's message.
    """
    registered = _handlers.setdefault(kind_or_subject_type, [])
    if handler not in registered:
        registered.append(handler)


def handlers_for(task: CustomerTask) -> list[AnswerHandler]:
    """Handlers of the task's subject type first, then those of its kind."""
    found = list(_handlers.get(task.subject_type, [])) if task.subject_type else []
    return found + [h for h in _handlers.get(task.kind, []) if h not in found]


def has_handler(kind: str, subject_type: str) -> bool:
    """Whether an answer of this kind / subject would reach any handler."""
    return bool(_handlers.get(kind) or (subject_type and _handlers.get(subject_type)))
