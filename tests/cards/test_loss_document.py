"""The loss-report confirmation issued as a numbered, signed document of the documents area."""

from __future__ import annotations

import io
import uuid

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.cards.builders import card_id_of, phone_of
from workstation.documents.signing import create_demo_material
from workstation.extensions import db


@pytest.fixture
def signing(app, tmp_path):
    create_demo_material(tmp_path, "Cloud Outlet Bank")
    app.config.update(SIGNING_KEY_PATH=str(tmp_path / "documents_signing_key.pem"),
                      SIGNING_CERT_PATH=str(tmp_path / "documents_signing_cert.pem"),
                      DOCUMENTS_RENDER_POOL="thread", PUBLIC_BASE_URL="https://bank.example")


def test_loss_confirmation_document(client, app, world, sign_in, signing):
    from workstation.documents.models import Document

    wang = world.customers[0]
    sign_in(world.staff["manager"])
    refused = client.post(f"/customers/{wang.id}/documents",
                          data={"type": "card_loss_confirmation", "language": "en",
                                "loss_report_id": "1"})
    assert refused.status_code == 422
    assert "confirmed loss reports" in refused.get_data(as_text=True)
    phone = phone_of(app, wang)
    card = card_id_of(app, wang)
    client.post(f"/customers/{wang.id}/cards/{card}/requests",
                data={"kind": "formal_loss", "loss_kind": "retained",
                      "reason": "ATM kept the card", "request_key": uuid.uuid4().hex})
    phone.confirm_latest()
    form = client.get(f"/customers/{wang.id}/documents/new?type=card_loss_confirmation")
    assert "CL-00000001" in form.get_data(as_text=True)
    issued = client.post(f"/customers/{wang.id}/documents",
                         data={"type": "card_loss_confirmation", "language": "en",
                               "loss_report_id": "1"})
    assert issued.status_code == 302, issued.get_data(as_text=True)
    with app.app_context():
        document = db.session.scalar(select(Document))
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(document.pdf)).pages)
    squeezed = "".join(text.split())
    assert "CardLossReportConfirmation" in squeezed and "CL-00000001" in squeezed
    assert wang.card_last4 in squeezed and wang.pan not in squeezed
    assert "KeptbyanATM" in squeezed
