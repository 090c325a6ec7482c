"""Fixtures for the documents tests: signing material, fast rendering, builders."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from workstation.documents.signing import create_demo_material
from workstation.extensions import db
from workstation.models import Account, AccountTransaction
from workstation.types import utcnow


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("signing")
    create_demo_material(directory, "Cloud Outlet Bank")
    return directory


@pytest.fixture(autouse=True)
def documents_config(app, signing_dir):
    """Sign with a test key and render in a thread pool (the process pool has its own test)."""
    app.config.update(
        SIGNING_KEY_PATH=str(signing_dir / "documents_signing_key.pem"),
        SIGNING_CERT_PATH=str(signing_dir / "documents_signing_cert.pem"),
        DOCUMENTS_RENDER_POOL="thread",
        PUBLIC_BASE_URL="https://bank.example",
    )
    return app.config


def pdf_pages_text(pdf: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def squeeze(text: str) -> str:
    """Text without any white space, so line breaks in a PDF do not matter."""
    return "".join(text.split())


def add_history(account_id: int, count: int, start_balance: Decimal, days: int = 60) -> Decimal:
    """Replace the history with `count` transactions over the last `days` days; final balance."""
    db.session.execute(db.delete(AccountTransaction)
                       .where(AccountTransaction.account_id == account_id))
    balance = start_balance
    first = utcnow() - timedelta(days=days)
    for index in range(count):
        amount = Decimal("250.00") if index % 3 == 0 else Decimal("-37.25")
        balance += amount
        db.session.add(AccountTransaction(
            account_id=account_id,
            posted_at=first + timedelta(minutes=index * (days * 1440 // max(count, 1))),
            amount=amount, balance_after=balance,
            description=f"Payment {index + 1:04d}", channel="mobile",
        ))
    db.session.get(Account, account_id).balance = balance
    db.session.commit()
    return balance


def account_of(customer_id: int) -> Account:
    return db.session.scalar(db.select(Account).where(Account.customer_id == customer_id))


def issue(client, customer_id: int, **form):
    """Post the issue form for a customer (as the signed-in staff member)."""
    return client.post(f"/customers/{customer_id}/documents",
                       data={k: str(v) for k, v in form.items()})


def latest_document(app):
    """The most recently created document (detached, with its PDF bytes loaded)."""
    from workstation.documents.models import Document

    with app.app_context():
        document = db.session.scalar(db.select(Document).order_by(Document.id.desc()))
        if document is not None:
            db.session.expunge(document)
        return document


def validate_signature(pdf: bytes, cert_path: str):
    """pyHanko's validation status of the document's only signature."""
    # pyHanko runs its own asyncio loop; a browser test may hold the main thread's loop.
    with ThreadPoolExecutor(1) as executor:
        return executor.submit(_validate, pdf, cert_path).result(timeout=120)


def _validate(pdf: bytes, cert_path: str):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[load_cert_from_pemder(cert_path)])
    return validate_pdf_signature(signature, context)

from tests.e2e.conftest import browser, live_server, screenshots  # noqa: E402,F401
