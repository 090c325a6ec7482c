"""The loss-report confirmation as a numbered, signed document of the documents area."""

from __future__ import annotations

from sqlalchemy import select

from workstation.cards import states
from workstation.cards.common import masked
from workstation.cards.models import CardRequest
from workstation.core import CoreBanking
from workstation.documents import common
from workstation.documents.registry import (
    DocumentType,
    Prepared,
    PrepareRequest,
    register_document_type,
)
from workstation.errors import ValidationFailed
from workstation.extensions import db
from workstation.localtime import zone_of
from workstation.models import Customer


def confirmed_reports(customer_id: int) -> list[CardRequest]:
    """The customer's formal loss reports confirmed on the device, newest first."""
    return list(db.session.scalars(select(CardRequest).where(
        CardRequest.customer_id == customer_id, CardRequest.kind == "formal_loss",
        CardRequest.status == "completed").order_by(CardRequest.id.desc())))


def _local(moment, customer: Customer) -> str:
    return moment.astimezone(zone_of(customer)).strftime("%Y-%m-%d %H:%M %Z")


def prepare_loss_confirmation(request: PrepareRequest) -> Prepared:
    """The content of one confirmed loss report: card masked, what happened, when."""
    wanted = (request.params.get("loss_report_id") or "").strip()
    report = next((r for r in confirmed_reports(request.customer.id) if str(r.id) == wanted),
                  None)
    if report is None:
        raise ValidationFailed("Choose one of the customer's confirmed loss reports.")
    content = {
        "holder": common.holder_block(request.customer),
        "branch": common.branch_block(request.customer, request.settings["BANK_NAME"]),
        "reference": f"CL-{report.id:08d}",
        "card": masked(report.card),
        "product": report.card.product,
        "loss": states.LOSS_LABELS[report.loss_kind],
        "reported_at": _local(report.created_at, request.customer),
        "confirmed_at": _local(report.decided_at, request.customer),
    }
    essentials = {**common.basic_essentials(request.customer), "reference": content["reference"],
                  "card": content["card"]}
    return Prepared(content=content, essentials=essentials)


def report_options(customer: Customer, core: CoreBanking, settings: dict) -> dict:
    """The confirmed loss reports to choose from in the document form."""
    return {"reports": [(r.id, f"CL-{r.id:08d} · {masked(r.card)} · "
                               f"{states.LOSS_LABELS[r.loss_kind]}")
                        for r in confirmed_reports(customer.id)]}


LOSS_CONFIRMATION = DocumentType(
    key="card_loss_confirmation",
    prefix="CL",
    titles={"en": "Card Loss Report Confirmation", "es": "Confirmación de Denuncia de Tarjeta",
            "zh": "银行卡挂失确认书"},
    template="cards/print/loss_confirmation.html",
    prepare=prepare_loss_confirmation,
    form_template="cards/forms/_loss_confirmation.html",
    form_options=report_options,
    needs_approval_check=False,
    order=60,
)


def register() -> None:
    """Offer the confirmation among the documents staff can issue."""
    register_document_type(LOSS_CONFIRMATION)
