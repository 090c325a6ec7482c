"""Account statements for a period: every transaction with a running balance."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from workstation.documents import common
from workstation.documents.certificates import account_options
from workstation.documents.ledger import balance_at, transactions_between
from workstation.documents.registry import DocumentType, Prepared, PrepareRequest
from workstation.errors import ValidationFailed
from workstation.localtime import zone_of
from workstation.masking import mask_tail, scrub_digits


def _period(request: PrepareRequest):
    today = common.local_today(request)
    start = common.parse_date(request.params.get("start"), "first day",
                              default=today.replace(day=1))
    end = common.parse_date(request.params.get("end"), "last day", default=today)
    if end < start:
        raise ValidationFailed("The period ends before it starts.")
    if end > today:
        raise ValidationFailed("A statement cannot cover days still to come.")
    if (end - start).days + 1 > request.settings["DOCUMENTS_STATEMENT_MAX_DAYS"]:
        raise ValidationFailed(
            f"A statement covers at most {request.settings['DOCUMENTS_STATEMENT_MAX_DAYS']} days."
        )
    return start, end


def prepare_statement(request: PrepareRequest) -> Prepared:
    """Opening balance, each transaction with the balance after it, and the closing balance."""
    account = common.pick_account(request)
    start, end = _period(request)
    zone = zone_of(request.customer)
    begin, finish = common.start_of_day(start, zone), common.start_of_day(end + timedelta(1), zone)
    opening = balance_at(request.core, account, begin)
    running, debits, credits, rows = opening, Decimal("0.00"), Decimal("0.00"), []
    for t in transactions_between(request.core, account, begin, finish):
        running += t.amount
        debits += -t.amount if t.amount < 0 else 0
        credits += t.amount if t.amount > 0 else 0
        rows.append({
            "date": t.posted_at.astimezone(zone).date().isoformat(),
            "description": scrub_digits(t.description),
            "channel": t.channel,
            "debit": str(-t.amount) if t.amount < 0 else "",
            "credit": str(t.amount) if t.amount > 0 else "",
            "balance": str(running),
        })
    content = {
        "holder": common.holder_block(request.customer),
        "account": common.account_block(account),
        "branch": common.branch_block(request.customer, request.settings["BANK_NAME"]),
        "start": start.isoformat(), "end": end.isoformat(),
        "opening": str(opening), "closing": str(running),
        "debits": str(debits), "credits": str(credits),
        "currency": account.currency, "rows": rows,
    }
    essentials = {
        **common.basic_essentials(request.customer),
        "account": mask_tail(account.number_last4),
        "period": f"{start.isoformat()} – {end.isoformat()}",
        "transactions": len(rows),
    }
    return Prepared(content=content, essentials=essentials, account_id=account.id,
                    currency=account.currency)


STATEMENT = DocumentType(
    key="statement",
    prefix="ST",
    titles={"en": "Account Statement", "es": "Extracto de Cuenta", "zh": "账户对账单"},
    template="documents/print/statement.html",
    prepare=prepare_statement,
    form_template="documents/forms/_statement.html",
    form_options=account_options,
    needs_approval_check=False,
    order=30,
)
