"""Submitting an application: screening, automatic decisions and the supervisor's review."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from sqlalchemy import select

from workstation import audit
from workstation.errors import Conflict, Forbidden, ValidationFailed
from workstation.extensions import db
from workstation.models import AuditEvent, Role, Staff
from workstation.onboarding import fulfilment, notify
from workstation.onboarding.models import STEPS, OnboardingApplication, ScreeningDecision
from workstation.onboarding.screening import CATEGORIES, Result, gather_facts, screen_facts
from workstation.onboarding.service import atomic
from workstation.onboarding.settings import current_settings
from workstation.types import utcnow

MIN_REVIEW_NOTE = 10


def screen(application: OnboardingApplication) -> tuple[Result, int]:
    """Run screening on an application; the result and the milliseconds it took."""
    started = time.perf_counter()
    settings = current_settings()
    result = screen_facts(gather_facts(application, settings), settings)
    return result, round((time.perf_counter() - started) * 1000)


@atomic
def submit(actor: audit.Actor, application: OnboardingApplication) -> ScreeningDecision:
    """Screen a complete application and decide: approve, send to review, or reject."""
    if application.status != "draft":
        raise Conflict("This application was already submitted.")
    missing = [s for s in STEPS if s not in application.steps_done]
    if missing:
        raise ValidationFailed("Complete these steps first: " + ", ".join(missing) + ".")
    now = utcnow()
    application.submitted_at = now
    result, elapsed = screen(application)
    decision = ScreeningDecision(
        application_id=application.id, kind="screening", outcome=result.outcome,
        score=result.score, reasons_json=json.dumps(result.reasons_as_dicts()),
        category=result.category, decided_by="screening", elapsed_ms=elapsed)
    db.session.add(decision)
    application.risk_score = result.score
    audit.record(actor, "onboarding.screened", customer_id=application.customer_id,
                 object_type="onboarding_application", object_id=application.reference,
                 outcome=result.outcome,
                 detail={"score": result.score, "reasons": [r.code for r in result.reasons]})
    _apply(actor, application, result.outcome, result.category, now)
    db.session.commit()
    notify.after_commit(application)
    return decision


def _apply(actor: audit.Actor, application: OnboardingApplication, outcome: str,
           category: str, now) -> None:
    application.outcome_category = category
    if outcome == "review":
        application.status = "review"
        notify.tell_customer(actor, application, "review")
        return
    application.decided_at = now
    if outcome == "reject":
        application.status = "rejected"
        application.closed_at = now
        application.open_id_digest = None
        notify.tell_customer(actor, application, "rejected")
        return
    application.status = "approved"
    notify.tell_customer(actor, application, "approved")
    fulfilment.ask_for_signature(actor, application)


@atomic
def review(actor: audit.Actor, staff: Staff, application: OnboardingApplication,
           outcome: str, note: str) -> ScreeningDecision:
    """A supervisor approves or rejects a flagged application (not one they prepared)."""
    if staff.role != Role.SUPERVISOR:
        raise Forbidden("Only a supervisor decides on a flagged application.")
    if application.status != "review":
        raise Conflict(f"This application is {application.status}, not waiting for review.")
    if application.prepared_by_id == staff.id or took_part(staff.id, application):
        raise Forbidden("You prepared this application: another supervisor must decide "
                        "(maker-checker).")
    if outcome not in ("approve", "reject"):
        raise ValidationFailed("Choose approve or reject.")
    note = " ".join((note or "").split())
    if len(note) < MIN_REVIEW_NOTE:
        raise ValidationFailed(f"Give the reason for the decision ({MIN_REVIEW_NOTE}+ "
                               "characters); it is kept with the application.")
    last = latest_screening(application)
    category = last.category if outcome == "reject" and last else "review"
    decision = ScreeningDecision(
        application_id=application.id, kind="review", outcome=outcome,
        score=application.risk_score or 0, reasons_json=last.reasons_json if last else "[]",
        category=category, decided_by_id=staff.id, decided_by=staff.username, note=note[:2000])
    db.session.add(decision)
    audit.record(actor, "onboarding.reviewed", customer_id=application.customer_id,
                 object_type="onboarding_application", object_id=application.reference,
                 outcome=outcome, reason=note)
    _apply(actor, application, outcome, category, utcnow())
    db.session.commit()
    notify.after_commit(application)
    return decision


@atomic
def withdraw(actor: audit.Actor, application: OnboardingApplication, reason: str = "") -> None:
    """The customer or staff withdraw an application that is not yet decided."""
    if application.status not in ("draft", "review"):
        raise Conflict(f"This application is {application.status}; it cannot be withdrawn now.")
    now = utcnow()
    application.status, application.closed_at = "withdrawn", now
    application.open_id_digest = None
    fulfilment.cancel_open_tasks(actor, application, "The application was withdrawn.")
    audit.record(actor, "onboarding.withdrawn", customer_id=application.customer_id,
                 object_type="onboarding_application", object_id=application.reference,
                 reason=reason[:500])
    db.session.commit()
    notify.after_commit(application)


PREPARING_ACTIONS = ("onboarding.started", "onboarding.step_saved",
                     "onboarding.document_received", "onboarding.photos_requested",
                     "onboarding.screened")


def took_part(staff_id: int, application: OnboardingApplication) -> bool:
    """Whether this staff member filled in or submitted any part of the application."""
    return db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.object_type == "onboarding_application",
        AuditEvent.object_id == application.reference, AuditEvent.actor_id == staff_id,
        AuditEvent.action.in_(PREPARING_ACTIONS)).limit(1)) is not None


def expire_stale_drafts(days: int, batch: int = 200) -> int:
    """Close drafts untouched for `days` days, so they no longer block a new application."""
    cutoff = utcnow() - timedelta(days=days)
    actor = audit.Actor.system("onboarding-expiry")
    stale = db.session.scalars(
        select(OnboardingApplication).where(OnboardingApplication.status == "draft",
                                            OnboardingApplication.updated_at < cutoff)
        .order_by(OnboardingApplication.id).limit(batch).with_for_update(skip_locked=True)).all()
    for application in stale:
        application.status, application.closed_at = "withdrawn", utcnow()
        application.open_id_digest = None
        fulfilment.cancel_open_tasks(actor, application, "The application expired.")
        audit.record(actor, "onboarding.expired", customer_id=application.customer_id,
                     object_type="onboarding_application", object_id=application.reference,
                     reason=f"No change for {days} days")
    db.session.commit()
    return len(stale)


def latest_screening(application: OnboardingApplication) -> ScreeningDecision | None:
    """The newest automatic screening decision."""
    return db.session.scalar(
        select(ScreeningDecision)
        .where(ScreeningDecision.application_id == application.id,
               ScreeningDecision.kind == "screening")
        .order_by(ScreeningDecision.id.desc()).limit(1))


def decisions_of(application: OnboardingApplication) -> list[dict]:
    """Every decision on the application with its reasons, oldest first."""
    rows = db.session.scalars(
        select(ScreeningDecision).where(ScreeningDecision.application_id == application.id)
        .order_by(ScreeningDecision.id))
    return [{"decision": d, "reasons": json.loads(d.reasons_json),
             "category_label": CATEGORIES.get(d.category, d.category)} for d in rows]
