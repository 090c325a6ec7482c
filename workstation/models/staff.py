"""Branches and bank staff."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workstation.crypto import EncryptedString
from workstation.extensions import db
from workstation.types import UTCDateTime, utcnow


class Role(StrEnum):
    """What a staff member does; each role has its own home page and rights."""

    AGENT = "agent"
    MANAGER = "manager"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return {
            "agent": "Remote agent",
            "manager": "Account manager",
            "supervisor": "Supervisor",
            "admin": "Administrator",
            "auditor": "Auditor",
        }[self.value]


# Staff who serve customers: open records for their work and act for the customer (cards,
# documents, card applications, tasks on the customer's phone). Admins and auditors do not.
SERVING_ROLES = frozenset({Role.AGENT, Role.MANAGER, Role.SUPERVISOR})


class Branch(db.Model):
    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    address: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(default=True)


class Staff(UserMixin, db.Model):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    # Secrets are loaded only by sign-in, not with every request's staff member.
    password_hash: Mapped[str] = mapped_column(String(255), deferred=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    totp_secret: Mapped[str | None] = mapped_column(EncryptedString(), deferred=True)
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_version: Mapped[int] = mapped_column(default=1)
    skills: Mapped[str] = mapped_column(String(255), default="")
    capacity: Mapped[int] = mapped_column(default=2)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    branch: Mapped[Branch | None] = relationship()

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_locked(self) -> bool:
        """Locked out after failed sign-ins, until the lock runs out or an admin lifts it."""
        return self.locked_until is not None and self.locked_until > utcnow()

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None and self.totp_confirmed_at is not None

    def get_id(self) -> str:
        # The version makes every old session cookie invalid when it changes.
        return f"{self.id}:{self.session_version}"
