"""Customer tasks: the outbox, delivery acknowledgements, replay, answers, expiry."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from datetime import datetime, timedelta

from limits import parse as parse_limit
from sqlalchemy import bindparam, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import make_transient_to_detached

from workstation import audit
from workstation.customer_auth.service import customer_actor
from workstation.errors import Conflict, DomainError, NotFound, ValidationFailed
from workstation.extensions import db, limiter, on_postgresql
from workstation.models import Customer
from workstation.tasks import delivery
from workstation.tasks.handlers import TaskAnswer, handlers_for, has_handler
from workstation.tasks.kinds import (
    DECISIONS,
    Checked,
    FileIn,
    check_upload,
    hide_long_numbers,
    kind_of,
)
from workstation.tasks.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    CustomerTask,
    CustomerTaskFile,
    CustomerTaskSequence,
)
from workstation.types import utcnow

log = logging.getLogger(__name__)
MAX_EXPIRY = timedelta(days=30)
ANSWER_RATE = parse_limit("10/minute")


class TaskRefused(Conflict):
    """An answer or acknowledgement the task's state does not allow; `code` says why."""


def _expiry(kind_default: timedelta, expires_in) -> timedelta:
    if expires_in is None:
        return kind_default
    if isinstance(expires_in, int | float) and not isinstance(expires_in, bool):
        expires_in = timedelta(seconds=expires_in)
    if not isinstance(expires_in, timedelta) or not timedelta(seconds=5) <= expires_in <= \
            MAX_EXPIRY:
        raise ValidationFailed("A task lives from 5 seconds to 30 days.")
    return expires_in


_TASKS = CustomerTask.__table__
_COUNTERS = CustomerTaskSequence.__table__
_NEW_TASK_DEFAULTS = {"delivered_at": None, "delivered_device_id": None, "answered_at": None,
                      "answered_device_id": None, "closed_at": None, "answer_json": "{}",
                      "close_reason": ""}


def _counter_moved_on(insert):
    """The upsert that moves the customer's task counter on (from 1 for their first task)
    and returns it. It takes the row lock on the counter: concurrent tasks of a customer get
    1, 2, 3... in commit order."""
    return (insert(_COUNTERS).values(customer_id=bindparam("seq_customer"), last_seq=1)
            .on_conflict_do_update(index_elements=[_COUNTERS.c.customer_id],
                                   set_={"last_seq": _COUNTERS.c.last_seq + 1})
            .returning(_COUNTERS.c.last_seq))


# SQLite: the counter, then the task (a statement costs no round trip there).
_NEXT_SEQ = _counter_moved_on(sqlite_insert)
_INSERT_TASK = insert(_TASKS).returning(_TASKS.c.id, _TASKS.c.seq)
# PostgreSQL: both in one statement, one round trip; the counter's upsert is a
# data-modifying CTE whose RETURNING numbers the task.
_NEXT_SEQ_CTE = _counter_moved_on(pg_insert).cte("next_seq")
_INSERT_NEXT_TASK = (insert(_TASKS).values(seq=select(_NEXT_SEQ_CTE.c.last_seq).scalar_subquery())
                     .add_cte(_NEXT_SEQ_CTE).returning(_TASKS.c.id, _TASKS.c.seq))


def _insert_task(**values) -> CustomerTask:
    """Write a new task row, numbered next in its customer's sequence, with INSERT ...
    RETURNING and give it to the session as the row it now is, every column set. Every task
    on the push path goes through here: the ORM's unit of work costs about twice the
    statement itself."""
    values = {**_NEW_TASK_DEFAULTS, **values}
    counter = {"seq_customer": values["customer_id"]}
    if on_postgresql():
        row = db.session.execute(_INSERT_NEXT_TASK, {**values, **counter}).one()
    else:
        seq = db.session.execute(_NEXT_SEQ, counter).scalar_one()
        row = db.session.execute(_INSERT_TASK, {**values, "seq": seq}).one()
    task = CustomerTask(id=row.id, seq=row.seq, **values)
    make_transient_to_detached(task)  # as if loaded: persistent once added, nothing to flush
    db.session.add(task)
    return task


def create_task(actor: audit.Actor, customer_id: int, kind: str, payload: dict, *,
                expires_in: timedelta | int | None = None,
                subject: tuple[str, object] | None = None, basis: str = "") -> CustomerTask:
    """Add a task to the outbox in the caller's transaction; it is sent after COMMIT.
    `basis`, why the actor may act on the customer's record, is the reason of the task's
    audit row when that row is also the record of the access."""
    spec = kind_of(kind)
    if not isinstance(payload, dict):
        raise ValidationFailed("A task payload is a JSON object.")
    subject_type, subject_id = (str(subject[0])[:64], str(subject[1])[:64]) if subject else ("", "")
    if spec.needs_handler and not has_handler(kind, subject_type):
        raise ValidationFailed(f"A {kind} task needs a registered answer handler.")
    checked = spec.check_payload(payload)
    title = payload.get("title") or spec.default_title
    if not isinstance(title, str) or len(title) > 200:
        raise ValidationFailed("A task title is text of at most 200 characters.")
    title = hide_long_numbers(title).strip()
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("No such customer.")
    now = utcnow()
    expires_at = now + _expiry(spec.expires_in, expires_in)
    public_id = uuid.uuid4().hex
    task = _insert_task(
        public_id=public_id, customer_id=customer.id, kind=kind,
        title=title, payload_json=delivery.canonical_json(checked),
        payload_hash=delivery.payload_hash(public_id, kind, title, checked,
                                           expires_at.isoformat()),
        status="pending", subject_type=subject_type, subject_id=subject_id,
        created_by_staff_id=actor.staff_id, created_by=actor.username[:64] or actor.role,
        created_at=now, expires_at=expires_at,
    )
    audit.record(actor, "task.created", customer_id=customer.id, object_type="customer_task",
                 object_id=public_id, reason=basis, detail={"kind": kind, "seq": task.seq,
                                              "payload_hash": task.payload_hash,
                                              "subject": f"{subject_type}:{subject_id}"})
    delivery.queue_new_task(task)
    return task


def _open_query(customer_id: int, now: datetime):
    return (select(CustomerTask)
            .where(CustomerTask.customer_id == customer_id,
                   CustomerTask.status.in_(OPEN_STATUSES), CustomerTask.expires_at > now)
            .order_by(CustomerTask.seq))


def pending_tasks_for(customer_id: int) -> list[CustomerTask]:
    """The customer's open tasks (pending or delivered, not expired), oldest first."""
    return list(db.session.scalars(_open_query(customer_id, utcnow())))


def tasks_after(customer_id: int, after_seq: int) -> list[CustomerTask]:
    """Open tasks with a sequence number above the one the device saw last (the replay)."""
    return list(db.session.scalars(
        _open_query(customer_id, utcnow()).where(CustomerTask.seq > after_seq)
    ))


# How many of a customer's tasks the staff task panel shows, newest first.
PANEL_TASKS = 30


def latest_tasks(customer_id: int, limit: int = PANEL_TASKS) -> list[CustomerTask]:
    """The customer's newest tasks, newest first (what the staff task panel shows)."""
    return list(db.session.scalars(select(CustomerTask)
                                   .where(CustomerTask.customer_id == customer_id)
                                   .order_by(CustomerTask.seq.desc()).limit(limit)))


def last_status_change(tasks: list[CustomerTask]) -> str:
    """When any of these tasks last changed status (ISO time; "" for none): each change
    stamps its task (created, delivered, closed), and stamps only grow. A panel compares the
    value for the tasks it shows with the value for the latest tasks now: a change to a task
    it does not show does not make it stale."""
    stamps = [task.closed_at or task.delivered_at or task.created_at for task in tasks]
    return max(stamps).isoformat() if stamps else ""


def customer_task(customer_id: int, public_id: str, *, lock: bool = False) -> CustomerTask:
    """One of the customer's own tasks by id (404 for anyone else's)."""
    query = select(CustomerTask).where(CustomerTask.public_id == str(public_id)[:32],
                                       CustomerTask.customer_id == customer_id)
    task = db.session.scalar(query.with_for_update() if lock else query)
    if task is None:
        raise TaskRefused("No such task.", code="not_found")
    return task


def _expire_if_due(task: CustomerTask, now: datetime) -> None:
    if task.is_open and task.expires_at <= now:
        _close(task, "expired", now, "The time to answer ran out.")
        _notify_closed(task, TaskAnswer(task, "expired"))
        db.session.commit()


def acknowledge(customer_id: int, device_id: int, public_id: str) -> CustomerTask:
    """The device received the task: pending -> delivered (repeats are harmless)."""
    task = customer_task(customer_id, public_id, lock=True)
    now = utcnow()
    _expire_if_due(task, now)
    if task.status == "pending":
        task.status = "delivered"
        task.delivered_at = now
        task.delivered_device_id = device_id
        delivery.queue_status(task, to_customer=False)
    db.session.commit()
    return task


def _refuse_if_closed(task: CustomerTask, payload_hash: str) -> None:
    reasons = {
        "completed": ("answered", "This task was already answered."),
        "declined": ("answered", "This task was already answered."),
        "expired": ("expired", "This task has expired. Ask your adviser to send it again."),
        "cancelled": ("cancelled", "The bank cancelled this task."),
    }
    if task.status in reasons:
        code, message = reasons[task.status]
        raise TaskRefused(message, code=code)
    if not isinstance(payload_hash, str) or payload_hash != task.payload_hash:
        raise TaskRefused("What you saw is not what the bank holds for this task. Reload it "
                          "and check again.", code="changed")


def _check_answer_rate(device_id: int) -> None:
    if not limiter.limiter.hit(ANSWER_RATE, "task-answer", str(device_id)):
        raise TaskRefused("Too many answers in a short time. Wait a minute.",
                          code="rate_limited")


def _store_file(task: CustomerTask, upload: FileIn) -> int:
    stored = CustomerTaskFile(task_id=task.id, filename=upload.filename,
                              content_type=upload.content_type, size=len(upload.content),
                              sha256=hashlib.sha256(upload.content).hexdigest(),
                              content=upload.content)
    db.session.add(stored)
    db.session.flush()
    return stored.id


def _close(task: CustomerTask, status: str, now: datetime, reason: str = "") -> None:
    task.status = status
    task.closed_at = now
    task.close_reason = reason[:255]
    delivery.queue_status(task)


def _notify(task: CustomerTask, answer: TaskAnswer) -> None:
    for handler in handlers_for(task):
        handler(answer)


def _notify_closed(task: CustomerTask, answer: TaskAnswer) -> None:
    # A task closed without an answer cannot be refused: a failing handler is logged.
    try:
        _notify(task, answer)
    except Exception:
        log.exception("answer handler failed on %s task %s", answer.decision, task.public_id)


def _check_answer(task: CustomerTask, decision: str, data, upload: FileIn | None) -> Checked:
    spec = kind_of(task.kind)
    if decision not in DECISIONS or (decision == "decline" and not spec.can_decline):
        allowed = "accept or decline" if spec.can_decline else "accept"
        raise TaskRefused(f"Answer this task with {allowed}.", code="invalid")
    if decision == "decline":
        return Checked()
    if not isinstance(data, dict):
        raise TaskRefused("The answer's data must be a JSON object.", code="invalid")
    payload = json.loads(task.payload_json)
    try:
        if upload is not None and task.kind == "upload":
            return check_upload(payload, upload)
        return spec.check_answer(payload, data)
    except ValidationFailed as error:
        raise TaskRefused(error.message, code="wrong_answer") from None


def answer_task(customer_id: int, device_id: int, public_id: str, payload_hash: str,
                decision: str, data: dict | None = None, *, upload: FileIn | None = None,
                actor: audit.Actor | None = None) -> CustomerTask:
    """Record the customer's answer; refused for a changed, closed or wrong answer."""
    _check_answer_rate(device_id)
    task = customer_task(customer_id, public_id, lock=True)
    now = utcnow()
    _expire_if_due(task, now)
    _refuse_if_closed(task, payload_hash)
    checked = _check_answer(task, decision, data if data is not None else {}, upload)
    file_id = _store_file(task, checked.file) if checked.file else None
    stored = dict(checked.stored, **({"file_id": file_id} if file_id else {}))
    task.answer_json = delivery.canonical_json(stored)
    task.answered_at = now
    task.answered_device_id = device_id
    task.delivered_at = task.delivered_at or now
    try:
        _notify(task, TaskAnswer(task, decision, stored, checked.private, device_id, file_id))
    except DomainError as error:
        db.session.rollback()
        raise TaskRefused(error.message, code="refused") from None
    _close(task, "completed" if decision == "accept" else "declined", now)
    audit.record(actor or customer_actor(db.session.get(Customer, customer_id)),
                 f"task.{task.status}", customer_id=customer_id, object_type="customer_task",
                 object_id=task.public_id, detail={"kind": task.kind, "device_id": device_id,
                                                   "payload_hash": task.payload_hash})
    db.session.commit()
    return task


def cancel_task(actor: audit.Actor, customer_id: int, public_id: str,
                reason: str = "") -> CustomerTask:
    """Withdraw an open task (the caller commits); devices are told after commit."""
    task = customer_task(customer_id, public_id, lock=True)
    if not task.is_open:
        raise TaskRefused(f"This task is already {task.status}.", code=task.status)
    _close(task, "cancelled", utcnow(), reason or "Withdrawn by the bank.")
    _notify_closed(task, TaskAnswer(task, "cancelled"))
    audit.record(actor, "task.cancelled", customer_id=customer_id, object_type="customer_task",
                 object_id=task.public_id, reason=reason[:255])
    return task


def expire_due_tasks(batch: int = 200) -> int:
    """Close open tasks past their expiry; safe to run in many workers at once."""
    now = utcnow()
    query = (select(CustomerTask).where(CustomerTask.status.in_(OPEN_STATUSES),
                                        CustomerTask.expires_at <= now)
             .order_by(CustomerTask.id).limit(batch).with_for_update(skip_locked=True))
    due = list(db.session.scalars(query))
    actor = audit.Actor.system("task-expiry")
    for task in due:
        _close(task, "expired", now, "The time to answer ran out.")
        _notify_closed(task, TaskAnswer(task, "expired"))
        audit.record(actor, "task.expired", customer_id=task.customer_id,
                     object_type="customer_task", object_id=task.public_id)
    db.session.commit()
    return len(due)


__all__ = ["CLOSED_STATUSES", "TaskRefused", "acknowledge", "answer_task", "cancel_task",
           "create_task", "customer_task", "expire_due_tasks", "last_status_change",
           "pending_tasks_for", "tasks_after"]
