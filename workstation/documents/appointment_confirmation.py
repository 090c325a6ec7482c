"""Appointment confirmation: a branch visit booked for the customer, as a verifiable document."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select

from appointments.models import ACTIVE_STATUSES, Appointment
from workstation.core import CoreBanking
from workstation.documents import common
from workstation.documents.registry import DocumentType, Prepared, PrepareRequest
from workstation.documents.texts import format_date
from workstation.errors import ValidationFailed
from workstation.extensions import db
from workstation.models import Customer

SERVICE_NAMES = {
    "counter": ("Counter service", "Servicio de ventanilla", "柜台业务"),
    "large_cash": ("Large cash withdrawal", "Retirada de efectivo de gran importe", "大额取现"),
    "card_pickup": ("Card pickup", "Recogida de tarjeta", "领取银行卡"),
    "account_opening": ("Account opening completion", "Finalización de apertura de cuenta",
                        "开户手续办理"),
    "wealth": ("Wealth consultation", "Asesoría patrimonial", "理财咨询"),
    "video": ("Remote video appointment", "Cita por videollamada", "远程视频预约"),
}
_LANGUAGE_INDEX = {"en": 0, "es": 1, "zh": 2}


def upcoming_appointments(customer_id: int) -> list[Appointment]:
    """The customer's booked or checked-in appointments, soonest first."""
    return list(db.session.scalars(
        select(Appointment).where(Appointment.customer_id == customer_id,
                                  Appointment.status.in_(ACTIVE_STATUSES))
        .order_by(Appointment.starts_at)
    ))


def _service_name(kind: str, language: str) -> str:
    names = SERVICE_NAMES.get(kind)
    return names[_LANGUAGE_INDEX[language]] if names else kind.replace("_", " ")


def prepare_appointment_confirmation(request: PrepareRequest) -> Prepared:
    """Where and when the customer is expected, and for what."""
    wanted = (request.params.get("appointment_id") or "").strip()
    appointment = next((a for a in upcoming_appointments(request.customer.id)
                        if str(a.id) == wanted), None)
    if appointment is None:
        raise ValidationFailed("Choose one of the customer's upcoming appointments.")
    zone = ZoneInfo(appointment.branch.timezone or "UTC")
    starts, ends = appointment.starts_at.astimezone(zone), appointment.ends_at.astimezone(zone)
    branch = {**common.branch_block(request.customer, request.settings["BANK_NAME"]),
              "name": appointment.branch.name, "address": appointment.branch.address,
              "code": appointment.branch.code, "timezone": zone.key}
    content = {
        "holder": common.holder_block(request.customer),
        "branch": branch,
        "reference": appointment.reference,
        "service": _service_name(appointment.service.kind, request.language),
        "day": starts.date().isoformat(),
        "time": f"{starts:%H:%M} – {ends:%H:%M} ({zone.key})",
        "cash_amount": str(appointment.cash_amount) if appointment.cash_amount else "",
        "cash_currency": appointment.cash_currency or "",
        "purpose": appointment.purpose,
    }
    essentials = {**common.basic_essentials(request.customer),
                  "reference": appointment.reference, "branch": appointment.branch.name,
                  "appointment": f"{format_date(starts.date(), 'en')} {starts:%H:%M}"}
    return Prepared(content=content, essentials=essentials, valid_until=appointment.ends_at)


def appointment_options(customer: Customer, core: CoreBanking, settings: dict) -> dict:
    """The appointments a confirmation can be issued for."""
    choices = []
    for a in upcoming_appointments(customer.id):
        local = a.starts_at.astimezone(ZoneInfo(a.branch.timezone or "UTC"))
        choices.append((a.id, f"{a.reference} · {local:%Y-%m-%d %H:%M} · {a.branch.name} · "
                              f"{_service_name(a.service.kind, 'en')}"))
    return {"appointments": choices}


APPOINTMENT_CONFIRMATION = DocumentType(
    key="appointment_confirmation",
    prefix="AC",
    titles={"en": "Appointment Confirmation", "es": "Confirmación de Cita", "zh": "预约确认书"},
    template="documents/print/appointment.html",
    prepare=prepare_appointment_confirmation,
    form_template="documents/forms/_appointment_confirmation.html",
    form_options=appointment_options,
    needs_approval_check=False,
    order=50,
)
