"""What happens when the customer answers one of the application's tasks on the device."""

from __future__ import annotations

import logging

from sqlalchemy import select

from workstation.extensions import db
from workstation.onboarding import access, fulfilment, notify
from workstation.onboarding.models import DOCUMENT_SLOTS, OnboardingTaskLink
from workstation.onboarding.service import attach_document
from workstation.types import utcnow

log = logging.getLogger(__name__)


def on_task_answer(answer) -> None:
    """Route an answered task to its step; a DomainError refuses the answer on the device."""
    task = answer.task
    link = db.session.scalar(select(OnboardingTaskLink).where(
        OnboardingTaskLink.task_public_id == task.public_id))
    if link is None or answer.decision != "accept":
        return
    application = access.by_reference(task.subject_id, lock=True)
    if link.purpose in DOCUMENT_SLOTS:
        _receive_photo(application, link.purpose, answer)
    elif link.purpose == "agreement":
        fulfilment.record_signature(application, answer)
    elif link.purpose == "pin":
        fulfilment.record_pin(application, answer)
    link.answered_at = utcnow()
    _after_commit(application)


def _receive_photo(application, slot: str, answer) -> None:
    from workstation.customer_auth.service import customer_actor
    from workstation.tasks.models import CustomerTaskFile

    upload = db.session.get(CustomerTaskFile, answer.file_id) if answer.file_id else None
    content = upload.content if upload is not None else b""
    attach_document(customer_actor(application.customer), application, slot, content,
                    "device_task", commit=False)


def _after_commit(application) -> None:
    # The task service commits; status events go out once the row is visible.
    from sqlalchemy import event

    status = notify.status_event(application)

    @event.listens_for(db.session(), "after_commit", once=True)
    def _emit(_session):
        notify.emit_status(status)


def register_handlers() -> None:
    """Attach the handler to the task channel, when the build has one."""
    try:
        from workstation.tasks.handlers import register_answer_handler
    except ImportError:
        return
    register_answer_handler(notify.SUBJECT_TYPE, on_task_answer)
