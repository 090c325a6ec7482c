"""Screening: decision time per application over 10,000 generated applications, and the share
approved automatically on the generated mix.

A temporary SQLite database holds 10,000 applications (with their photos), 10,000 watch-list
entries and the customers behind them. Each application is screened as on submission: the
facts are read from the database (duplicates, phone and device counts, list matches, photos)
and the rules, lists and score decide. The baseline, measured in the same run on the same
applications, is the rules step alone on facts already in memory.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import date, timedelta

from bench.figures import Figure, median, percentile

APPLICATIONS = 10_000
LIST_ENTRIES = 10_000
SEED = 20261128


def _app(url: str):
    from cryptography.fernet import Fernet

    from workstation import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
        "DATA_ENCRYPTION_KEYS": Fernet.generate_key().decode(), "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
    })


def _profile(rng: random.Random, i: int) -> dict:
    """One applicant of the generated mix (mostly ordinary adults, some risk signals)."""
    roll = rng.random()
    today = date.today()
    p = {"born": date(1960, 1, 1) + timedelta(days=rng.randrange(40 * 365)),
         "occupation": rng.choice(["employee", "employee", "civil_servant", "self_employed",
                                   "retired", "farmer"]),
         "purpose": rng.choice(["salary", "savings", "daily_spending", "investment"]),
         "channel": rng.choice(["assisted", "self"]), "phone": f"+86135{i:08d}",
         "device": 100_000 + i, "expires": today + timedelta(days=400 + rng.randrange(3000)),
         "list": ""}
    if roll < 0.06:
        p["born"] = date(today.year - 17, 1, 1) + timedelta(days=rng.randrange(300))
    elif roll < 0.10:
        p["occupation"], p["purpose"] = "student", "business"
    elif roll < 0.14:
        p["phone"] = "+8613500000001"  # one phone behind many applications
    elif roll < 0.16:
        p["list"] = "name"
    elif roll < 0.17:
        p["list"] = "both"
    elif roll < 0.20:
        p["purpose"] = "other"
    elif roll < 0.21:
        p["expires"] = today + timedelta(days=10)
    return p


def _seed(app, rng: random.Random) -> list[int]:
    """Customers, applications, photos and the watch-list, inserted in bulk."""
    from stdnum.cn import ric

    from workstation.crypto import cipher
    from workstation.extensions import db
    from workstation.models import Customer
    from workstation.onboarding.models import (
        OnboardingApplication,
        OnboardingDocument,
        WatchlistEntry,
        WatchlistImport,
    )
    from workstation.onboarding.rules import name_key

    customers, applications, listed = [], [], []
    for i in range(APPLICATIONS):
        p = _profile(rng, i)
        body = f"{110101 + i // 1000}{p['born']:%Y%m%d}{i % 1000:03d}"
        number = body + ric.calc_check_digit(body + "0")
        digest = cipher.lookup_digest(number)
        name = f"Applicant {i}"
        customers.append({"id": i + 1, "customer_no": f"B{i:07d}", "full_name": name,
                          "phone": p["phone"], "birth_date": p["born"], "id_number": number,
                          "id_number_last4": number[-4:], "id_number_digest": digest})
        applications.append({
            "id": i + 1, "reference": f"CB{i:010d}", "customer_id": i + 1, "status": "draft",
            "channel": p["channel"], "device_id": p["device"], "full_name": name,
            "completed_steps": "personal,documents,address,occupation,account",
            "id_number": number, "id_number_last4": number[-4:], "id_digest": digest,
            "open_id_digest": digest, "birth_date": p["born"], "id_expires_on": p["expires"],
            "phone": p["phone"], "occupation": p["occupation"], "purpose": p["purpose"],
            "account_class": "II"})
        if p["list"]:
            listed.append((name_key(name), digest if p["list"] == "both" else ""))
    while len(listed) < LIST_ENTRIES:
        n = len(listed)
        listed.append((name_key(f"Listed person {n}"), cipher.lookup_digest(f"L{n:017d}")))
    with app.app_context():
        db.session.execute(Customer.__table__.insert(), customers)
        db.session.execute(OnboardingApplication.__table__.insert(), applications)
        db.session.execute(OnboardingDocument.__table__.insert(), [
            {"application_id": i + 1, "slot": slot, "content_type": "image/jpeg", "size": 1,
             "width": 640, "height": 400, "sha256": "0" * 64, "content": b"\xff\xd8\xff",
             "received_via": "bench"}
            for i in range(APPLICATIONS) for slot in ("id_front", "id_back", "selfie")])
        batch = WatchlistImport(filename="bench.csv", sha256="0" * 64, entries=len(listed),
                                imported_by="bench")
        db.session.add(batch)
        db.session.flush()
        db.session.execute(WatchlistEntry.__table__.insert(), [
            {"import_id": batch.id, "name_key": k, "id_digest": d, "list_name": "bench"}
            for k, d in listed])
        db.session.commit()
    return [a["id"] for a in applications]


def _measure(app, ids: list[int]):
    from workstation.extensions import db
    from workstation.onboarding.models import OnboardingApplication
    from workstation.onboarding.screening import (
        decide,
        gather_facts,
        rule_reasons,
        screen_facts,
    )
    from workstation.onboarding.settings import current_settings

    full, rules_only, outcomes = [], [], {"approve": 0, "review": 0, "reject": 0}
    cpu = []
    with app.app_context():
        settings = current_settings()
        for app_id in ids:
            row = db.session.get(OnboardingApplication, app_id)
            started, cpu_started = time.perf_counter(), time.thread_time()
            facts = gather_facts(row, settings)
            result = screen_facts(facts, settings)
            full.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - cpu_started) * 1000)
            started = time.perf_counter()
            decide(rule_reasons(facts, settings), settings)
            rules_only.append((time.perf_counter() - started) * 1000)
            outcomes[result.outcome] += 1
            db.session.expunge(row)
    return full, rules_only, outcomes, cpu


def run() -> list[Figure]:
    """Screen 10,000 generated applications; report decision time and auto-approval share."""
    from flask_migrate import upgrade

    handle, path = tempfile.mkstemp(suffix=".db", prefix="bench_screening_")
    os.close(handle)
    try:
        app = _app(f"sqlite:///{path}")
        with app.app_context():
            upgrade()
        ids = _seed(app, random.Random(SEED))
        full, rules_only, outcomes, cpu = _measure(app, ids)
    finally:
        os.unlink(path)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)
    base_median, base_p99 = median(rules_only), percentile(rules_only, 99)
    mix = f"{outcomes['approve']} approved, {outcomes['review']} to review, " \
          f"{outcomes['reject']} rejected of {len(ids)}"
    return [
        Figure("screening_decision_median", median(full), "ms", base_median,
               "rules step alone", note="facts from SQLite + rules, lists, score"),
        Figure("screening_decision_p99", percentile(full, 99), "ms", base_p99,
               "rules step alone", note="target under 10 ms"),
        Figure("screening_decision_cpu_p99", percentile(cpu, 99), "ms", base_p99,
               "rules step alone", note="CPU time of the screening thread (excludes waiting "
               "for a core on a busy machine)"),
        Figure("screening_auto_approved_share", 100 * outcomes["approve"] / len(ids), "%",
               note=mix),
    ]
