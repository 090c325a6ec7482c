"""The document types the workstation can issue; other areas register their own here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from workstation.core import CoreBanking
from workstation.errors import ValidationFailed
from workstation.models import Customer


@dataclass(frozen=True)
class PrepareRequest:
    """What a document type gets to build its content: who, with what, in which language."""

    customer: Customer
    core: CoreBanking
    params: dict[str, str]
    language: str
    settings: dict
    now: datetime


@dataclass
class Prepared:
    """A type's answer: content for the template (masked, JSON-ready) and what to record."""

    content: dict
    essentials: dict
    account_id: int | None = None
    amount: Decimal | None = None
    currency: str = ""
    valid_until: datetime | None = None
    hold_amount: Decimal | None = None
    hold_reason: str = ""


@dataclass(frozen=True)
class DocumentType:
    """A kind of document: its number prefix, titles, print template and content builder."""

    key: str
    prefix: str
    titles: dict[str, str]
    template: str
    prepare: Callable[[PrepareRequest], Prepared]
    form_template: str
    form_options: Callable[[Customer, CoreBanking, dict], dict] = field(
        default=lambda customer, core, settings: {}
    )
    needs_approval_check: bool = True
    order: int = 100

    def title(self, language: str) -> str:
        """The title printed on the document in a language (English if not translated)."""
        return self.titles.get(language) or self.titles["en"]


_TYPES: dict[str, DocumentType] = {}


def register_document_type(doc_type: DocumentType) -> None:
    """Add a document type (an area calls this when the app starts)."""
    _TYPES[doc_type.key] = doc_type


def document_type(key: str) -> DocumentType:
    """The registered type for a key, or a clear refusal."""
    try:
        return _TYPES[key]
    except KeyError:
        raise ValidationFailed("Choose a kind of document this workstation can issue.") from None


def document_types() -> list[DocumentType]:
    """Every registered type, in menu order."""
    return sorted(_TYPES.values(), key=lambda t: (t.order, t.key))
