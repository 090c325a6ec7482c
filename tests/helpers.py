"""Builders, sign-in and database helpers shared by the tests."""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pyotp
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from stdnum.cn import ric

from workstation.auth.passwords import hash_password
from workstation.config import normalise_database_url
from workstation.core.local import add_card
from workstation.core.numbers import new_account_number, new_card_number
from workstation.customers.registry import NewCustomer, register_customer
from workstation.extensions import db
from workstation.models import Account, AccountTransaction, Branch, Role, Staff
from workstation.models.audit import GENESIS_HASH, AuditChainHead
from workstation.types import utcnow

PASSWORD = "Test-Passw0rd!"
_TEST_KEY = None
_PASSWORD_HASH: list[str] = []


def password_hash() -> str:
    """The hash of the test password, computed once per run (argon2 is slow on purpose)."""
    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(hash_password(PASSWORD))
    return _PASSWORD_HASH[0]


def test_config(database_url: str, data_key: str | None = None) -> dict:
    """Settings for a test app: a given database, fixed keys, CSRF on."""
    from cryptography.fernet import Fernet

    global _TEST_KEY
    _TEST_KEY = data_key or _TEST_KEY or Fernet.generate_key().decode()
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-" + hashlib.sha256(database_url.encode()).hexdigest(),
        "DATA_ENCRYPTION_KEYS": _TEST_KEY,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "REDIS_URL": None,
    }


def private_postgres_database(base_url: str, prefix: str = "cow_test") -> tuple[str, Callable]:
    """Create an empty PostgreSQL database on the server of `base_url` for one run, so that
    parallel runs never share tables; returns its URL and a function that drops it."""
    url = make_url(normalise_database_url(base_url))
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def empty_database() -> None:
    """Delete every row (keeping the schema) and reset the audit chain head."""
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.add(AuditChainHead(id=1, last_event_id=0, last_hash=GENESIS_HASH))
    db.session.commit()
    db.session.remove()


def csrf_token_for(client) -> str:
    """The CSRF token a page would carry for this client's session (Flask-WTF's format)."""
    app = client.application
    with client.session_transaction() as session:
        if "csrf_token" not in session:
            session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()
        raw = session["csrf_token"]
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)


def unused_totp_code(secret: str, last_step: int) -> tuple[str, int]:
    """A valid authenticator code for a step after `last_step` (the server takes each code
    once), and that step. The current step, not the previous one: on a loaded machine an
    older code can lapse between computing it and the server checking it."""
    totp = pyotp.TOTP(secret)
    current = int(time.time() // totp.interval)
    step = max(current, last_step + 1)
    if step > current + 1:
        time.sleep((step - 1) * totp.interval - time.time() + 0.1)
    return totp.at(step * totp.interval), step


@dataclass
class StaffRef:
    id: int
    username: str
    role: str
    totp_secret: str
    password: str = PASSWORD
    _last_step: int = field(default=-1, repr=False)

    def next_code(self) -> str:
        """A valid code not used before by this helper (codes are single-use)."""
        code, self._last_step = unused_totp_code(self.totp_secret, self._last_step)
        return code


@dataclass
class CustomerRef:
    id: int
    customer_no: str
    full_name: str
    phone: str
    card_last4: str
    pan: str
    id_number: str


@dataclass
class World:
    branches: dict[str, int]
    staff: dict[str, StaffRef]
    customers: list[CustomerRef]


def make_branch(code: str = "BJ01", name: str = "Beijing Xidan", zone: str = "Asia/Shanghai"):
    branch = Branch(code=code, name=name, timezone=zone, address=f"{name} street 1")
    db.session.add(branch)
    db.session.flush()
    return branch


def make_staff(username: str, role: Role, branch_id: int | None = None, **extra) -> StaffRef:
    secret = pyotp.random_base32()
    staff = Staff(
        username=username,
        full_name=username.title(),
        role=Role(role).value,
        branch_id=branch_id,
        password_hash=password_hash(),
        totp_secret=secret,
        totp_confirmed_at=utcnow(),
        **extra,
    )
    db.session.add(staff)
    db.session.commit()
    return StaffRef(staff.id, username, staff.role, secret)


def resident_id(birth: date, seq: int) -> str:
    body = f"110101{birth:%Y%m%d}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_customer(
    seq: int,
    full_name: str,
    phone: str,
    manager_id: int | None = None,
    branch_id: int | None = None,
    balance: Decimal = Decimal("12345.67"),
) -> CustomerRef:
    birth = date(1980, 1, 1) + timedelta(days=seq)
    id_number = resident_id(birth, seq)
    customer = register_customer(
        NewCustomer(
            customer_no=f"C9{seq:05d}",
            full_name=full_name,
            phone=phone,
            birth_date=birth,
            id_number=id_number,
            manager_id=manager_id,
            home_branch_id=branch_id,
        )
    )
    account = Account(
        customer_id=customer.id,
        number=new_account_number("0101"),
        account_class="I",
        currency="CNY",
        balance=balance,
        opened_at=utcnow() - timedelta(days=365),
    )
    db.session.add(account)
    db.session.flush()
    db.session.add(
        AccountTransaction(
            account_id=account.id,
            posted_at=utcnow() - timedelta(days=1),
            amount=Decimal("-88.50"),
            balance_after=balance,
            description="Supermarket",
        )
    )
    pan = new_card_number()
    add_card(customer.id, account.id, pan, "UnionPay debit card", years_valid=3)
    db.session.commit()
    return CustomerRef(
        customer.id, customer.customer_no, full_name, customer.phone, pan[-4:], pan, id_number
    )


def build_world() -> World:
    """Two branches, one staff member per role (two managers), four customers."""
    bj = make_branch("BJ01", "Beijing Xidan")
    sh = make_branch("SH01", "Shanghai Lujiazui")
    db.session.commit()
    staff = {
        "agent": make_staff("agent1", Role.AGENT, bj.id),
        "manager": make_staff("manager1", Role.MANAGER, bj.id),
        "manager2": make_staff("manager2", Role.MANAGER, sh.id),
        "supervisor": make_staff("supervisor1", Role.SUPERVISOR, bj.id),
        "admin": make_staff("admin1", Role.ADMIN, bj.id),
        "auditor": make_staff("auditor1", Role.AUDITOR, bj.id),
    }
    customers = [
        make_customer(1, "Wang Fang", "+86 138 0013 8001", staff["manager"].id, bj.id),
        make_customer(2, "Li Wei", "+86 139 1234 5678", staff["manager"].id, bj.id),
        make_customer(3, "Zhang Min", "+86 137 5555 0003", staff["manager2"].id, sh.id),
        make_customer(4, "Chen Jing", "+86 136 4444 0004", None, sh.id),
    ]
    return World({"BJ01": bj.id, "SH01": sh.id}, staff, customers)


def sign_in(client, staff: StaffRef):
    """Password, then a TOTP code; returns the response after the second factor."""
    response = client.post(
        "/auth/login", data={"username": staff.username, "password": staff.password}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.post(
        "/auth/second-factor", data={"code": staff.next_code()}, follow_redirects=True
    )
