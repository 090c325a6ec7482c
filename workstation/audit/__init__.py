"""Audit log: who did what to which customer record, chained so that edits show."""

from workstation.audit.service import Actor, ChainReport, record, verify_chain

__all__ = ["Actor", "ChainReport", "record", "verify_chain"]
