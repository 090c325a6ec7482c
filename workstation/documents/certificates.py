"""Balance certificates (as of a date) and deposit certificates (amount frozen while valid)."""

from __future__ import annotations

from datetime import timedelta

from workstation.core import CoreBanking
from workstation.documents import common
from workstation.documents.ledger import balance_at
from workstation.documents.registry import DocumentType, Prepared, PrepareRequest
from workstation.documents.words import amount_in_words
from workstation.errors import ValidationFailed
from workstation.localtime import zone_of
from workstation.masking import mask_tail
from workstation.models import Customer


def _certificate(request: PrepareRequest, account, amount, as_of, kind: str) -> Prepared:
    last_day, valid_until = common.validity_end(request)
    content = {
        "kind": kind,
        "holder": common.holder_block(request.customer),
        "account": common.account_block(account),
        "branch": common.branch_block(request.customer, request.settings["BANK_NAME"]),
        "as_of": as_of.isoformat(),
        "amount": str(amount),
        "currency": account.currency,
        "amount_words": amount_in_words(amount, account.currency, request.language),
        "valid_until": last_day.isoformat(),
    }
    essentials = {
        **common.basic_essentials(request.customer),
        "account": mask_tail(account.number_last4),
        "amount": str(amount),
        "currency": account.currency,
        "as_of": as_of.isoformat(),
    }
    return Prepared(content=content, essentials=essentials, account_id=account.id,
                    amount=amount, currency=account.currency, valid_until=valid_until)


def prepare_balance_certificate(request: PrepareRequest) -> Prepared:
    """A certificate of the balance at the end of a day (today or earlier)."""
    account = common.pick_account(request)
    today = common.local_today(request)
    as_of = common.parse_date(request.params.get("as_of"), "balance date", default=today)
    if as_of > today:
        raise ValidationFailed("The balance date cannot be in the future.")
    zone = zone_of(request.customer)
    opened = account.opened_at.astimezone(zone).date() if account.opened_at else None
    if opened is not None and as_of < opened:
        raise ValidationFailed(f"The account was opened on {opened.isoformat()}: choose that "
                               "day or a later one.")
    if as_of == today:
        amount = account.balance
    else:
        amount = balance_at(request.core, account,
                            common.start_of_day(as_of + timedelta(days=1), zone))
    if amount <= 0:
        raise ValidationFailed("The account had no positive balance on that date.")
    return _certificate(request, account, amount, as_of, "balance")


def prepare_deposit_certificate(request: PrepareRequest) -> Prepared:
    """A period certificate: the amount is held on the account until the certificate ends."""
    account = common.pick_account(request)
    raw = request.params.get("amount", "").strip()
    amount = common.parse_amount(raw, "amount") if raw else account.available
    if amount <= 0:
        raise ValidationFailed("The account has no available balance to certify.")
    if amount > account.available:
        raise ValidationFailed("The amount is more than the account has available.")
    prepared = _certificate(request, account, amount, common.local_today(request), "deposit")
    prepared.hold_amount = amount
    prepared.hold_reason = "Deposit certificate"
    return prepared


def account_options(customer: Customer, core: CoreBanking, settings: dict) -> dict:
    """The accounts a certificate or statement can be about."""
    return {
        "accounts": [a for a in core.accounts_of(customer.id) if a.status == "active"],
        "default_validity": settings["DOCUMENTS_CERTIFICATE_VALIDITY_DAYS"],
        "max_validity": settings["DOCUMENTS_CERTIFICATE_MAX_VALIDITY_DAYS"],
    }


BALANCE_CERTIFICATE = DocumentType(
    key="balance_certificate",
    prefix="BC",
    titles={"en": "Balance Certificate", "es": "Certificado de Saldo", "zh": "存款余额证明"},
    template="documents/print/certificate.html",
    prepare=prepare_balance_certificate,
    form_template="documents/forms/_balance_certificate.html",
    form_options=account_options,
    order=10,
)

DEPOSIT_CERTIFICATE = DocumentType(
    key="deposit_certificate",
    prefix="DC",
    titles={"en": "Deposit Certificate", "es": "Certificado de Depósito", "zh": "存款证明（时段）"},
    template="documents/print/certificate.html",
    prepare=prepare_deposit_certificate,
    form_template="documents/forms/_deposit_certificate.html",
    form_options=account_options,
    order=20,
)
