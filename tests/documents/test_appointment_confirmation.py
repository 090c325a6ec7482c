"""Appointment confirmation: where and when, in the customer's language, verifiable."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from appointments.models import Appointment, BranchService
from tests.documents.conftest import issue, latest_document, pdf_pages_text, squeeze
from workstation.extensions import db
from workstation.types import utcnow


def _appointment(world, status="booked") -> int:
    customer = world.customers[0]
    service = BranchService(branch_id=world.branches["BJ01"], kind="large_cash")
    db.session.add(service)
    db.session.flush()
    starts = (utcnow() + timedelta(days=3)).replace(hour=2, minute=0, second=0, microsecond=0)
    appointment = Appointment(
        reference="AP7K2Q9M", checkin_code="482913", customer_id=customer.id,
        branch_id=world.branches["BJ01"], service_id=service.id, starts_at=starts,
        ends_at=starts + timedelta(minutes=30), status=status, cash_amount=Decimal("80000.00"),
        cash_currency="CNY", purpose="House purchase deposit",
    )
    db.session.add(appointment)
    db.session.commit()
    return appointment.id


def test_confirmation_states_branch_time_and_cash_in_chinese(app, client, world, sign_in):
    with app.app_context():
        appointment_id = _appointment(world)
    sign_in(world.staff["manager"])
    form = client.get(f"/customers/{world.customers[0].id}/documents/new"
                      "?type=appointment_confirmation").get_data(as_text=True)
    assert "AP7K2Q9M" in form and "10:00" in form  # Beijing local time of 02:00 UTC
    response = issue(client, world.customers[0].id, type="appointment_confirmation",
                     language="zh", appointment_id=appointment_id)
    assert response.status_code == 302
    document = latest_document(app)
    text = squeeze(pdf_pages_text(document.pdf)[0])
    for expected in ("预约确认书", "AP7K2Q9M", "大额取现", "10:00–10:30", "Beijing Xidan",
                     "80,000.00 CNY", document.number):
        assert squeeze(expected) in text
    assert "482913" not in text  # the check-in code stays with the appointments area
    verify = client.get(f"/verify/{document.verification_code}").get_data(as_text=True)
    assert "AP7K2Q9M" in verify and "Valid:" in verify and "House purchase" not in verify
    assert document.valid_until == latest_document(app).valid_until is not None


def test_cancelled_appointment_cannot_be_confirmed(app, client, world, sign_in):
    with app.app_context():
        appointment_id = _appointment(world, status="cancelled")
    sign_in(world.staff["manager"])
    response = issue(client, world.customers[0].id, type="appointment_confirmation",
                     language="en", appointment_id=appointment_id)
    assert response.status_code == 422
    assert "upcoming appointments" in response.get_data(as_text=True)
    assert latest_document(app) is None
