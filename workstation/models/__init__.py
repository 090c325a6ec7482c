"""All models, imported here so that metadata (and migrations) see every table."""

from workstation.models.access import AccessGrant
from workstation.models.audit import AuditChainHead, AuditEvent
from workstation.models.banking import (
    Account,
    AccountTransaction,
    Card,
    Customer,
    Hold,
    ServiceRecord,
)
from workstation.models.staff import SERVING_ROLES, Branch, Role, Staff

__all__ = [
    "AccessGrant",
    "Account",
    "AccountTransaction",
    "AuditChainHead",
    "AuditEvent",
    "Branch",
    "Card",
    "Customer",
    "Hold",
    "Role",
    "SERVING_ROLES",
    "ServiceRecord",
    "Staff",
]
