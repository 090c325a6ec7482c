"""Fee invoices for chargeable services, with the tax lines set in the settings."""

from __future__ import annotations

from decimal import Decimal

from workstation.core import CoreBanking
from workstation.documents import common
from workstation.documents.registry import DocumentType, Prepared, PrepareRequest
from workstation.errors import ValidationFailed
from workstation.models import Customer
from workstation.types import to_money

MAX_QUANTITY = 99


def invoice_lines(fees: dict, quantities: dict[str, int], language: str) -> list[dict]:
    """One line per chargeable service with a quantity above zero."""
    lines = []
    for code, fee in fees.items():
        quantity = quantities.get(code, 0)
        if quantity:
            unit = to_money(Decimal(fee["amount"]))
            lines.append({"code": code, "label": fee["label"].get(language, fee["label"]["en"]),
                          "quantity": quantity, "unit": str(unit),
                          "total": str(to_money(unit * quantity))})
    return lines


def tax_lines(net: Decimal, taxes: list[dict], language: str) -> list[dict]:
    """Each configured tax on the net total, rounded to cents."""
    return [{"label": tax["label"].get(language, tax["label"]["en"]), "rate": tax["rate"],
             "amount": str(to_money(net * Decimal(tax["rate"])))} for tax in taxes]


def prepare_fee_invoice(request: PrepareRequest) -> Prepared:
    """An invoice for the services ticked in the form, with net, tax and gross totals."""
    fees = request.settings["DOCUMENTS_FEES"]
    quantities = {
        code: common.parse_int(request.params.get(f"qty_{code}"), "quantity", 0, 0, MAX_QUANTITY)
        for code in fees
    }
    lines = invoice_lines(fees, quantities, request.language)
    if not lines:
        raise ValidationFailed("Give a quantity for at least one chargeable service.")
    net = sum((Decimal(line["total"]) for line in lines), Decimal("0.00"))
    taxes = tax_lines(net, request.settings["DOCUMENTS_TAX_LINES"], request.language)
    gross = net + sum((Decimal(t["amount"]) for t in taxes), Decimal("0.00"))
    currency = request.settings["DOCUMENTS_FEE_CURRENCY"]
    content = {
        "holder": common.holder_block(request.customer),
        "branch": common.branch_block(request.customer, request.settings["BANK_NAME"]),
        "lines": lines, "taxes": taxes, "net": str(net), "gross": str(gross),
        "currency": currency,
    }
    essentials = {**common.basic_essentials(request.customer), "amount": str(gross),
                  "currency": currency}
    return Prepared(content=content, essentials=essentials, amount=gross, currency=currency)


def fee_options(customer: Customer, core: CoreBanking, settings: dict) -> dict:
    """The chargeable services and their prices for the invoice form."""
    return {"fees": settings["DOCUMENTS_FEES"], "fee_currency": settings["DOCUMENTS_FEE_CURRENCY"]}


FEE_INVOICE = DocumentType(
    key="fee_invoice",
    prefix="IN",
    titles={"en": "Fee Invoice", "es": "Factura de Comisiones", "zh": "服务费发票"},
    template="documents/print/invoice.html",
    prepare=prepare_fee_invoice,
    form_template="documents/forms/_fee_invoice.html",
    form_options=fee_options,
    needs_approval_check=False,
    order=40,
)
