"""Screening: rules, watch-list matches and a risk score, each with the reason it gives."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from sqlalchemy import bindparam, or_, select
from stdnum.cn import ric

from workstation.extensions import db
from workstation.onboarding.models import (
    OPEN_STATUSES,
    OnboardingApplication,
    OnboardingDocument,
    WatchlistEntry,
)
from workstation.onboarding.rules import age_on, name_key
from workstation.onboarding.settings import OnboardingSettings
from workstation.types import utcnow

# What the customer is told: the category of the main reason, never its detail.
CATEGORIES = {
    "identity": "identity document checks",
    "eligibility": "eligibility for a remote account",
    "duplicate": "an application already under way",
    "velocity": "too many recent applications",
    "lists": "compliance checks",
    "profile": "account purpose and profile",
    "documents": "missing documents",
    "clear": "all checks passed",
    "review": "the decision of our supervisor",
}
RISKY_PURPOSE = {("student", "business"), ("unemployed", "business"), ("retired", "business"),
                 ("student", "investment"), ("unemployed", "investment")}


@dataclass(frozen=True)
class Reason:
    code: str
    category: str
    points: int
    text: str
    effect: str = "score"  # score, review (a person must look) or reject


@dataclass(frozen=True)
class Facts:
    """Everything screening looks at, gathered before the rules run."""

    today: date
    full_name: str
    id_number: str
    birth_date: date | None
    id_expires_on: date | None
    occupation: str
    purpose: str
    account_class: str
    channel: str
    documents: frozenset[str]
    other_open: int = 0
    recent_rejections: int = 0
    same_phone: int = 0
    same_device: int = 0
    list_id_and_name: bool = False
    list_id_only: bool = False
    list_name_only: bool = False


@dataclass
class Result:
    outcome: str
    score: int
    category: str
    reasons: list[Reason] = field(default_factory=list)

    def reasons_as_dicts(self) -> list[dict]:
        return [asdict(r) for r in self.reasons]


def rule_reasons(f: Facts, s: OnboardingSettings) -> list[Reason]:
    """The rule checks: identity, age, documents, duplicates, velocity and profile."""
    out: list[Reason] = []
    if not ric.is_valid(f.id_number or "") or f.birth_date is None:
        out.append(Reason("id_invalid", "identity", 100, "ID number fails its check digit "
                          "or birth date", "reject"))
    elif f.id_expires_on is None or f.id_expires_on < f.today:
        out.append(Reason("id_expired", "identity", 100, "ID card has expired", "reject"))
    elif f.id_expires_on < f.today + timedelta(days=30):
        out.append(Reason("id_expiring", "identity", 10, "ID card expires within 30 days"))
    if f.birth_date is not None:
        age = age_on(f.birth_date, f.today)
        if age < s.min_age:
            out.append(Reason("under_age", "eligibility", 100,
                              f"Applicant is {age}, under {s.min_age}", "reject"))
        elif age < s.adult_age:
            out.append(Reason("minor", "eligibility", 20, f"Applicant is {age}, a minor: "
                              "a supervisor checks the source of funds", "review"))
        elif age >= 75:
            out.append(Reason("elderly", "eligibility", 15, f"Applicant is {age}"))
    missing = {"id_front", "id_back", "selfie"} - set(f.documents)
    if missing:
        out.append(Reason("documents_missing", "documents", 100,
                          "Missing: " + ", ".join(sorted(missing)), "reject"))
    out.extend(_duplicate_and_velocity(f, s))
    if (f.occupation, f.purpose) in RISKY_PURPOSE:
        out.append(Reason("purpose_mismatch", "profile", 25,
                          f"Purpose '{f.purpose}' is unusual for occupation '{f.occupation}'"))
    if f.purpose == "other":
        out.append(Reason("purpose_other", "profile", 10, "Purpose of the account not stated"))
    if f.channel == "self":
        out.append(Reason("unassisted", "profile", 5, "Applied without an adviser"))
    return out


def _duplicate_and_velocity(f: Facts, s: OnboardingSettings) -> list[Reason]:
    out: list[Reason] = []
    if f.other_open:
        out.append(Reason("duplicate_open", "duplicate", 100,
                          "Another application for this ID number is open", "reject"))
    if f.recent_rejections:
        out.append(Reason("recently_rejected", "duplicate", 40,
                          f"{f.recent_rejections} application(s) for this ID number rejected "
                          f"in the last {s.recent_rejection_days} days"))
    if f.same_phone > s.max_per_phone:
        out.append(Reason("phone_velocity", "velocity", 35,
                          f"{f.same_phone} applications from this phone in "
                          f"{s.velocity_days} days (limit {s.max_per_phone})", "review"))
    if f.same_device > s.max_per_device:
        out.append(Reason("device_velocity", "velocity", 35,
                          f"{f.same_device} applications from this device in "
                          f"{s.velocity_days} days (limit {s.max_per_device})", "review"))
    return out


def list_reasons(f: Facts) -> list[Reason]:
    """Watch-list matches: name and ID together reject; one of them sends it to a person."""
    if f.list_id_and_name:
        return [Reason("watchlist_match", "lists", 100,
                       "Name and ID number are on the watch-list", "reject")]
    out = []
    if f.list_id_only:
        out.append(Reason("watchlist_id", "lists", 60,
                          "ID number is on the watch-list under another name", "review"))
    if f.list_name_only:
        out.append(Reason("watchlist_name", "lists", 30,
                          "Name is on the watch-list (ID number differs)", "review"))
    return out


def decide(reasons: list[Reason], s: OnboardingSettings) -> Result:
    """Sum the score and choose: reject, a person's review, or automatic approval."""
    score = min(100, sum(r.points for r in reasons))
    ranked = sorted(reasons, key=lambda r: -r.points)
    rejecting = [r for r in ranked if r.effect == "reject"]
    if rejecting or score >= s.reject_from:
        category = (rejecting or ranked)[0].category
        return Result("reject", score, category, ranked)
    if any(r.effect == "review" for r in ranked) or score >= s.auto_approve_below:
        main = next((r for r in ranked if r.effect == "review"), ranked[0])
        return Result("review", score, main.category, ranked)
    return Result("approve", score, "clear", ranked)


def screen_facts(f: Facts, s: OnboardingSettings) -> Result:
    """The whole screening decision for gathered facts (no database access)."""
    return decide(rule_reasons(f, s) + list_reasons(f), s)


def gather_facts(app: OnboardingApplication, s: OnboardingSettings) -> Facts:
    """Read what screening needs about an application from the database (three queries)."""
    now = utcnow()
    related = _related_applications(app, now - timedelta(days=s.velocity_days))
    rejected_since = now - timedelta(days=s.recent_rejection_days)
    same_id = [r for r in related if r.id_digest == app.id_digest and r.id != app.id]
    recent = [r for r in related if r.created_at >= now - timedelta(days=s.velocity_days)]
    slots = db.session.scalars(_SLOTS, {"application_id": app.id}).all()
    return Facts(
        today=now.date(), full_name=app.full_name, id_number=app.id_number or "",
        birth_date=app.birth_date, id_expires_on=app.id_expires_on,
        occupation=app.occupation, purpose=app.purpose, account_class=app.account_class,
        channel=app.channel, documents=frozenset(slots),
        other_open=sum(r.status in OPEN_STATUSES for r in same_id),
        recent_rejections=sum(r.status == "rejected" and r.closed_at is not None
                              and r.closed_at >= rejected_since for r in same_id),
        same_phone=sum(r.phone == app.phone for r in recent),
        same_device=sum(app.device_id is not None and r.device_id == app.device_id
                        for r in recent),
        **watchlist_facts(app.full_name, app.id_digest),
    )


_A = OnboardingApplication
# Built once: screening runs on every submission, and a statement built per call costs more
# than the indexed lookups themselves. A NULL device matches nothing (SQL NULL = NULL is false).
_RELATED = select(_A.id, _A.id_digest, _A.phone, _A.device_id, _A.status, _A.closed_at,
                  _A.created_at).where(
    (_A.id_digest == bindparam("digest"))
    | ((_A.phone == bindparam("phone")) & (_A.created_at >= bindparam("since")))
    | ((_A.device_id == bindparam("device")) & (_A.created_at >= bindparam("since"))))
_SLOTS = select(OnboardingDocument.slot).where(
    OnboardingDocument.application_id == bindparam("application_id"))
_LISTED = select(WatchlistEntry.name_key, WatchlistEntry.id_digest).where(
    or_(WatchlistEntry.name_key == bindparam("key"),
        (WatchlistEntry.id_digest == bindparam("digest")) & (WatchlistEntry.id_digest != "")))


def _related_applications(app: OnboardingApplication, since):
    """Applications sharing the ID number (any age), or the phone or device (recent ones)."""
    return db.session.execute(_RELATED, {"digest": app.id_digest, "phone": app.phone,
                                         "since": since, "device": app.device_id}).all()


def watchlist_facts(full_name: str, id_digest: str) -> dict:
    """Which watch-list matches an applicant has (by name key and ID digest)."""
    key = name_key(full_name)
    rows = db.session.execute(_LISTED, {"key": key, "digest": id_digest}).all()
    both = any(n == key and d == id_digest for n, d in rows)
    return {
        "list_id_and_name": both,
        "list_id_only": not both and any(d == id_digest and d for _, d in rows),
        "list_name_only": not both and any(n == key for n, _ in rows),
    }
