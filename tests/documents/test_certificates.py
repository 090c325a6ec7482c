"""Balance and deposit certificates: content per language, signature, holds, access."""

from __future__ import annotations

import io
import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.documents.conftest import (
    account_of,
    issue,
    latest_document,
    pdf_pages_text,
    squeeze,
    validate_signature,
)
from workstation.documents.models import Document
from workstation.extensions import db
from workstation.models import AuditEvent, Customer, Hold

TEXTS = {
    "en": ("Balance Certificate", "Twelve thousand three hundred forty-five yuan and 67/100",
           "Valid until"),
    "es": ("Certificado de Saldo", "Doce mil trescientos cuarenta y cinco yuanes con 67/100",
           "Válido hasta"),
    "zh": ("存款余额证明", "人民币壹万贰仟叁佰肆拾伍元陆角柒分", "有效期至"),
}


@pytest.mark.parametrize("language", ["en", "es", "zh"])
def test_certificate_pdf_states_the_balance_in_the_chosen_language(
    app, client, world, sign_in, language
):
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    with app.app_context():
        account = account_of(customer.id)
        account_id, last4 = account.id, account.number[-4:]
    response = issue(client, customer.id, type="balance_certificate", language=language,
                     account_id=account_id)
    assert response.status_code == 302
    document = latest_document(app)
    assert document.status == "issued"
    text = squeeze(" ".join(pdf_pages_text(document.pdf)))
    title, words, valid_label = TEXTS[language]
    for expected in (title, words, valid_label, "12,345.67", document.number, "Wang Fang",
                     last4, customer.id_number[-4:], "bank.example/verify/"):
        assert squeeze(expected) in text
    assert customer.id_number not in text
    assert account.number not in text


def test_signature_validates_and_a_one_byte_change_breaks_it(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    with app.app_context():
        account_id = account_of(customer.id).id
    issue(client, customer.id, type="balance_certificate", language="en", account_id=account_id)
    document = latest_document(app)
    cert = app.config["SIGNING_CERT_PATH"]
    status = validate_signature(document.pdf, cert)
    assert status.bottom_line and status.intact and status.trusted
    root = PdfReader(io.BytesIO(document.pdf)).trailer["/Root"]
    metadata = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in metadata or b"<pdfaid:part>3</pdfaid:part>" in metadata
    assert b"pdfaid:conformance" in metadata and "/OutputIntents" in root

    tampered = bytearray(document.pdf)
    position = document.pdf.index(b"/MediaBox") + 12
    tampered[position] = ord("7") if tampered[position] != ord("7") else ord("8")
    broken = validate_signature(bytes(tampered), cert)
    assert not broken.intact
    assert not broken.bottom_line


def test_issue_is_audited_and_pdf_served_to_staff(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    with app.app_context():
        account_id = account_of(customer.id).id
    issue(client, customer.id, type="balance_certificate", language="en", account_id=account_id)
    document = latest_document(app)
    response = client.get(f"/documents/{document.id}/pdf")
    assert response.mimetype == "application/pdf"
    assert response.data == document.pdf
    with app.app_context():
        actions = set(db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.object_id == document.number)))
    assert {"document.request", "document.issue", "document.download"} <= actions


def test_the_issue_form_is_on_record_with_the_access_basis(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    form = client.get(f"/customers/{customer.id}/documents/new?type=balance_certificate")
    assert form.status_code == 200 and "Balance Certificate" in form.get_data(as_text=True)
    with app.app_context():  # the form lists the customer's accounts: that is on record
        views = db.session.execute(select(AuditEvent.reason, AuditEvent.detail).where(
            AuditEvent.action == "document.form_view", AuditEvent.customer_id == customer.id
        )).all()
    assert [(reason, json.loads(detail)) for reason, detail in views] == [
        ("portfolio", {"type": "balance_certificate"})]


def test_a_customer_without_a_home_branch_gets_dates_in_the_banks_zone(app, client, world,
                                                                       sign_in):
    """As staff pages show their times: the bank's zone, not UTC (from 16:00 UTC on, the
    bank's day is already the next one)."""
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    with app.app_context():
        db.session.get(Customer, customer.id).home_branch_id = None
        db.session.commit()
        account_id = account_of(customer.id).id
    issue(client, customer.id, type="balance_certificate", language="en", account_id=account_id)
    content = json.loads(latest_document(app).content)
    bank_zone = ZoneInfo(app.config["DEFAULT_TIMEZONE"])
    assert content["branch"]["timezone"] == bank_zone.key == "Asia/Shanghai"
    assert content["as_of"] == datetime.now(bank_zone).date().isoformat()


def test_deposit_certificate_holds_the_amount_until_revoked(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    with app.app_context():
        account_id = account_of(customer.id).id
    response = issue(client, customer.id, type="deposit_certificate", language="en",
                     account_id=account_id, amount="10000.00", validity_days="90")
    assert response.status_code == 302
    document = latest_document(app)
    assert document.status == "issued" and document.hold_id
    with app.app_context():
        hold = db.session.get(Hold, document.hold_id)
        assert hold.amount == Decimal("10000.00") and hold.released_at is None
        assert hold.expires_at == document.valid_until
    printed = json.loads(document.content)["valid_until"]  # the last day, as on the PDF
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert f'data-testid="valid-until">{printed} (the last valid day)<' in page
    verify = client.get(f"/verify/{document.verification_code}").get_data(as_text=True)
    assert f'data-testid="valid-until">{printed} (the last valid day)<' in verify
    client.post("/auth/logout")
    sign_in(world.staff["supervisor"])
    response = client.post(f"/documents/{document.id}/revoke",
                           data={"reason": "Customer withdrew the visa application"})
    assert response.status_code == 302
    with app.app_context():
        hold = db.session.get(Hold, document.hold_id)
        assert hold.released_at is not None and document.number in hold.release_reason
        assert db.session.get(Document, document.id).status == "revoked"


def test_deposit_certificate_cannot_certify_more_than_available(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    with app.app_context():
        account_id = account_of(customer.id).id
    response = issue(client, customer.id, type="deposit_certificate", language="en",
                     account_id=account_id, amount="20000.00")
    assert response.status_code == 422
    assert "more than the account has available" in response.get_data(as_text=True)
    assert latest_document(app) is None


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"type": "balance_certificate", "language": "en", "account_id": "999"},
         "Choose one of the customer"),
        ({"type": "balance_certificate", "language": "fr", "account_id": "{acc}"},
         "English, Spanish or Chinese"),
        ({"type": "balance_certificate", "language": "en", "account_id": "{acc}",
          "as_of": "2999-01-01"}, "cannot be in the future"),
        ({"type": "balance_certificate", "language": "en", "account_id": "{acc}",
          "as_of": "yesterday"}, "yyyy-mm-dd"),
        ({"type": "balance_certificate", "language": "en", "account_id": "{acc}",
          "as_of": "1900-01-01"}, "The account was opened on"),
        ({"type": "deposit_certificate", "language": "en", "account_id": "{acc}",
          "amount": "-5"}, "positive amount"),
        ({"type": "deposit_certificate", "language": "en", "account_id": "{acc}",
          "validity_days": "9999"}, "from 1 to 366"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(app, client, world, sign_in, form, message):
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    with app.app_context():
        account_id = str(account_of(customer.id).id)
    form = {k: v.replace("{acc}", account_id) for k, v in form.items()}
    response = issue(client, customer.id, **form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert latest_document(app) is None


def test_unknown_document_type_is_refused(client, world, sign_in):
    sign_in(world.staff["manager"])
    response = issue(client, world.customers[0].id, type="passport", language="en")
    assert response.status_code == 422


def test_out_of_portfolio_staff_must_state_a_reason(app, client, world, sign_in):
    sign_in(world.staff["manager2"])
    customer = world.customers[0]
    response = client.get(f"/customers/{customer.id}/documents")
    assert response.status_code == 302
    assert f"/customers/{customer.id}/reason" in response.headers["Location"]
    response = issue(client, customer.id, type="statement", language="en", account_id="1")
    assert response.status_code == 302
    assert latest_document(app) is None
    with app.app_context():  # both refusals are on record, as what was tried
        refusals = db.session.execute(select(AuditEvent.action, AuditEvent.customer_id)
                                      .where(AuditEvent.outcome == "reason_required")
                                      .order_by(AuditEvent.id)).all()
    assert [tuple(row) for row in refusals] == [("documents.list", customer.id),
                                                ("document.request", customer.id)]


def test_auditor_cannot_issue(client, world, sign_in):
    sign_in(world.staff["auditor"])
    response = issue(client, world.customers[0].id, type="statement", language="en")
    assert response.status_code == 403


def test_issue_without_csrf_token_changes_nothing(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    response = client.post(f"/customers/{world.customers[0].id}/documents",
                           data={"type": "fee_invoice", "language": "en",
                                 "qty_certificate": "1"}, csrf=False)
    assert response.status_code == 400
    assert latest_document(app) is None
