"""Print HTML for a document: the same template feeds the PDF and the staff print view."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import segno
from flask import render_template

from workstation.documents.registry import document_type
from workstation.documents.texts import format_date, format_money, labels

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def format_code(code: str) -> str:
    """A verification code in groups of four, as printed and typed."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str:
    """A typed code made comparable: upper case, no separators, look-alike letters mapped."""
    text = (text or "").upper().replace("-", "").replace(" ", "")
    return text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))[:32]


def verify_url(public_base_url: str, code: str) -> str:
    """The public address that answers for a document's verification code."""
    return f"{public_base_url.rstrip('/')}/verify/{format_code(code)}"


@lru_cache(maxsize=256)
def qr_data_uri(url: str) -> str:
    """A QR code for the verify address, as a PNG data URI."""
    return segno.make(url, error="m").png_data_uri(scale=4, border=2)


@dataclass(frozen=True)
class PrintSource:
    """Everything a print template needs, independent of where it is shown."""

    doc_type: str
    language: str
    number: str
    code: str
    issued_at: datetime | None
    content: dict
    public_base_url: str


def _local_date(source: PrintSource):
    if source.issued_at is None:
        return None
    zone = ZoneInfo(source.content.get("branch", {}).get("timezone") or "UTC")
    return source.issued_at.astimezone(zone).date()


def render_print_html(source: PrintSource, *, for_screen: bool, static_prefix: str = "") -> str:
    """The print HTML: relative asset links for the PDF, `static_prefix` links on screen."""
    kind = document_type(source.doc_type)
    url = verify_url(source.public_base_url, source.code)
    return render_template(
        kind.template,
        c=source.content,
        t=labels(source.language),
        lang=source.language,
        title=kind.title(source.language),
        number=source.number,
        code=format_code(source.code),
        verify_url=url,
        qr=qr_data_uri(url),
        issued_on=format_date(_local_date(source), source.language),
        money=format_money,
        day=lambda value: format_date(value, source.language),
        for_screen=for_screen,
        asset=lambda name: f"{static_prefix}documents/{name}",
    )


def print_source(document, public_base_url: str) -> PrintSource:
    """The print source of a stored document."""
    return PrintSource(
        doc_type=document.doc_type, language=document.language, number=document.number or "",
        code=document.verification_code, issued_at=document.issued_at,
        content=json.loads(document.content), public_base_url=public_base_url,
    )
