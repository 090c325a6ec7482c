"""The customer's device gets a download task; the customer downloads only their own PDFs."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.channel.builders import web_sign_in
from tests.documents.conftest import account_of, issue, latest_document
from workstation.extensions import db
from workstation.tasks.models import CustomerTask


def _issue_for(app, client, world, sign_in, customer):
    sign_in(world.staff["manager"])
    with app.app_context():
        account_id = account_of(customer.id).id
    issue(client, customer.id, type="balance_certificate", language="es", account_id=account_id)
    client.post("/auth/logout")
    return latest_document(app)


def test_issue_sends_a_download_task_that_fetches_the_signed_pdf(app, client, world, sign_in):
    customer = world.customers[0]
    document = _issue_for(app, client, world, sign_in, customer)
    with app.app_context():
        task = db.session.scalar(select(CustomerTask).where(
            CustomerTask.customer_id == customer.id, CustomerTask.kind == "download"))
        payload = json.loads(task.payload_json)
        assert task.subject_type == "document" and task.subject_id == str(document.id)
        assert task.title == f"Certificado de Saldo {document.number}"  # as on the PDF
    assert payload["document_title"] == "Certificado de Saldo"
    web_sign_in(client, app, customer.phone)
    response = client.get(payload["url"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == document.pdf
    listing = client.get("/m/documents/").get_data(as_text=True)
    assert document.number in listing and "Certificado de Saldo" in listing


def test_customer_cannot_download_another_customers_document(app, client, world, sign_in):
    document = _issue_for(app, client, world, sign_in, world.customers[0])
    web_sign_in(client, app, world.customers[1].phone)
    assert client.get(f"/m/documents/{document.id}/pdf").status_code == 404
    assert document.number not in client.get("/m/documents/").get_data(as_text=True)


def test_download_needs_a_signed_in_customer(app, client, world, sign_in):
    document = _issue_for(app, client, world, sign_in, world.customers[0])
    response = client.get(f"/m/documents/{document.id}/pdf")
    assert response.status_code == 302 and "/m/sign-in" in response.headers["Location"]


def test_native_app_lists_and_downloads_with_its_device_token(app, client, world, sign_in):
    from tests.channel.builders import api_sign_in

    customer = world.customers[0]
    document = _issue_for(app, client, world, sign_in, customer)
    token = api_sign_in(client, app, customer.phone)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    listing = client.get("/api/v1/documents", headers=headers).json["documents"]
    assert [d["number"] for d in listing] == [document.number]
    assert listing[0]["title"] == "Certificado de Saldo" and listing[0]["status"] == "issued"
    response = client.get(listing[0]["pdf_url"], headers=headers)
    assert response.data == document.pdf
    assert response.headers["X-Content-SHA256"] == document.pdf_sha256
    assert client.get("/api/v1/documents").status_code == 401
    assert client.get("/api/v1/documents/999/pdf", headers=headers).status_code == 404
