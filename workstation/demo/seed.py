"""`seed-demo`: branches, staff of every role and 200 customers. Safe to run again."""

from __future__ import annotations

import os
import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from stdnum.cn import ric

from appointments.demo import seed_appointments_demo
from workstation.auth import totp
from workstation.auth.passwords import hash_password
from workstation.core.local import add_card
from workstation.core.numbers import new_account_number, new_card_number
from workstation.customers.registry import NewCustomer, register_customer
from workstation.extensions import db
from workstation.models import (
    Account,
    AccountTransaction,
    Branch,
    Customer,
    Role,
    ServiceRecord,
    Staff,
)
from workstation.types import to_money, utcnow

CUSTOMER_COUNT = 200
BRANCHES = [
    ("BJ01", "Beijing Xidan", "Asia/Shanghai", "120 Xidan North Street, Xicheng, Beijing"),
    ("SH01", "Shanghai Lujiazui", "Asia/Shanghai", "8 Century Avenue, Pudong, Shanghai"),
    ("HK01", "Hong Kong Central", "Asia/Hong_Kong", "3 Garden Road, Central, Hong Kong"),
]
STAFF = [
    ("agent1", "Li Na", Role.AGENT, "BJ01", "card,password,new_card,appointment,other"),
    ("agent2", "Zhou Jie", Role.AGENT, "SH01", "card,password,certificate,other"),
    ("manager1", "Chen Jing", Role.MANAGER, "BJ01", ""),
    ("manager2", "Sun Hao", Role.MANAGER, "SH01", ""),
    ("supervisor1", "Huang Min", Role.SUPERVISOR, "BJ01", ""),
    ("admin1", "Zhao Lei", Role.ADMIN, "BJ01", ""),
    ("auditor1", "Wu Yan", Role.AUDITOR, "BJ01", ""),
]
SURNAMES = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Lin",
    "Gao",
    "Luo",
]
GIVEN = [
    "Wei",
    "Fang",
    "Na",
    "Min",
    "Jing",
    "Li",
    "Qiang",
    "Lei",
    "Jun",
    "Yang",
    "Yong",
    "Yan",
    "Jie",
    "Tao",
    "Ming",
    "Chao",
    "Xiu",
    "Xia",
    "Hui",
    "Ping",
    "Gang",
    "Hong",
]
REGIONS = ["110101", "110102", "110105", "110108", "310101", "310104", "310105", "310110"]
STREETS = ["Chang'an", "Jianguo", "Nanjing", "Huaihai"]
MERCHANTS = [
    "Salary",
    "Supermarket",
    "Utilities",
    "Rent",
    "Restaurant",
    "Online shop",
    "ATM withdrawal",
    "Transfer in",
    "Transfer out",
    "Metro card top-up",
]


def demo_password() -> str:
    """The sign-in password of every demo account (DEMO_PASSWORD overrides it)."""
    return os.environ.get("DEMO_PASSWORD", "Demo-Passw0rd!")


def _resident_id(rng: random.Random, birth: date) -> str:
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")  # the function ignores the last digit


def _seed_branches() -> dict[str, Branch]:
    branches = {b.code: b for b in db.session.scalars(select(Branch))}
    for code, name, zone, address in BRANCHES:
        if code not in branches:
            branches[code] = Branch(code=code, name=name, timezone=zone, address=address)
            db.session.add(branches[code])
    db.session.flush()
    return branches


def _seed_staff(branches: dict[str, Branch]) -> dict[str, Staff]:
    staff = {s.username: s for s in db.session.scalars(select(Staff))}
    password_hash = None
    for username, name, role, branch, skills in STAFF:
        if username in staff:
            continue
        password_hash = password_hash or hash_password(demo_password())
        staff[username] = Staff(
            username=username,
            full_name=name,
            role=role.value,
            branch_id=branches[branch].id,
            password_hash=password_hash,
            totp_secret=totp.new_secret(),
            totp_confirmed_at=utcnow(),
            skills=skills,
            capacity=3 if role == Role.AGENT else 2,
        )
        db.session.add(staff[username])
    db.session.flush()
    return staff


def _seed_history(rng: random.Random, account: Account, opening: Decimal) -> None:
    now = utcnow()
    balance = opening
    for day in sorted(rng.sample(range(1, 90), 12), reverse=True):
        merchant = rng.choice(MERCHANTS)
        incoming = merchant in ("Salary", "Transfer in")
        amount = to_money(rng.uniform(20, 3000)) * (1 if incoming else -1)
        if balance + amount < 0:
            amount = -amount
        balance += amount
        db.session.add(
            AccountTransaction(
                account_id=account.id,
                posted_at=now - timedelta(days=day, minutes=rng.randrange(600)),
                amount=amount,
                balance_after=balance,
                description=merchant,
                channel=rng.choice(["card", "mobile", "branch", "atm"]),
                reference=f"T{rng.randrange(10**10):010d}",
            )
        )
    account.balance = balance


def _seed_customer(rng: random.Random, index: int, branches, staff) -> None:
    customer_no = f"C{100000 + index}"
    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    manager = staff["manager1"] if index <= 60 else staff["manager2"] if index <= 120 else None
    branch = branches["BJ01"] if index % 2 else branches["SH01"]
    middle = rng.choice(["", " " + rng.choice(GIVEN)])
    full_name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}{middle}"
    customer = register_customer(
        NewCustomer(
            customer_no=customer_no,
            full_name=full_name,
            phone=f"+86 13{rng.randrange(10)} {rng.randrange(10**8):08d}",
            birth_date=birth,
            id_number=_resident_id(rng, birth),
            email=f"customer{index}@example.com",
            address=f"{rng.randrange(1, 300)} {rng.choice(STREETS)} Road",
            manager_id=manager.id if manager else None,
            home_branch_id=branch.id,
        )
    )
    plans = [("I", "CNY", "Current account")]
    if rng.random() < 0.5:
        plans.append(("II", "CNY", "Electronic account"))
    if rng.random() < 0.15:
        plans.append(("I", "USD", "Foreign currency account"))
    for account_class, currency, product in plans:
        account = Account(
            customer_id=customer.id,
            number=new_account_number(branch.code, rng),
            account_class=account_class,
            currency=currency,
            product=product,
            balance=Decimal("0.00"),
            opened_at=utcnow() - timedelta(days=rng.randrange(120, 3000)),  # before its history
        )
        db.session.add(account)
        db.session.flush()
        _seed_history(rng, account, to_money(rng.uniform(500, 250000)))
        if currency == "CNY":
            status = rng.choices(["active", "locked", "lost"], weights=[90, 6, 4])[0]
            add_card(
                customer.id,
                account.id,
                new_card_number(rng=rng),
                "UnionPay debit card",
                years_valid=rng.randrange(1, 6),
                status=status,
            )
    db.session.add(
        ServiceRecord(
            customer_id=customer.id,
            staff_id=staff["agent1"].id,
            channel="video",
            topic=rng.choice(["card", "password", "certificate", "appointment"]),
            summary="Handled in a video session.",
            outcome="completed",
            started_at=utcnow() - timedelta(days=rng.randrange(1, 200)),
        )
    )


def seed_demo() -> str:
    """Create whatever demo data is missing and commit; returns a summary line."""
    branches = _seed_branches()
    staff = _seed_staff(branches)
    existing = set(db.session.scalars(select(Customer.customer_no)))
    created = 0
    for index in range(1, CUSTOMER_COUNT + 1):
        rng = random.Random(index)  # one generator per customer: re-runs give the same data
        if f"C{100000 + index}" in existing:
            continue
        _seed_customer(rng, index, branches, staff)
        created += 1
    db.session.commit()
    total = db.session.scalar(select(func.count(Customer.id)))
    calendars = seed_appointments_demo()
    return (
        f"demo data ready: {len(branches)} branches, {len(staff)} staff, "
        f"{total} customers ({created} new); {calendars}"
    )
