"""Large amounts wait for supervisors (one per tier exceeded) before the document is issued."""

from __future__ import annotations

from decimal import Decimal

from tests.documents.conftest import account_of, issue, latest_document
from tests.helpers import make_staff
from workstation.documents.service import approvals_needed
from workstation.extensions import db
from workstation.models import Account, Role

TIERS = {"CNY": ["1000.00", "5000.00"], "*": ["100.00"]}


def test_tiers_count_thresholds_exceeded():
    assert approvals_needed(Decimal("1000.00"), "CNY", TIERS) == 0
    assert approvals_needed(Decimal("1000.01"), "CNY", TIERS) == 1
    assert approvals_needed(Decimal("9000.00"), "CNY", TIERS) == 2
    assert approvals_needed(Decimal("101.00"), "USD", TIERS) == 1
    assert approvals_needed(None, "CNY", TIERS) == 0


def _request_large(app, client, world, sign_in, amount):
    app.config["DOCUMENTS_APPROVAL_TIERS"] = TIERS
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    with app.app_context():
        account_id = account_of(customer.id).id
    response = issue(client, customer.id, type="deposit_certificate", language="en",
                     account_id=account_id, amount=amount)
    assert response.status_code == 302
    client.post("/auth/logout")
    return latest_document(app)


def test_one_tier_needs_one_supervisor_then_issues(app, client, world, sign_in):
    document = _request_large(app, client, world, sign_in, "2000.00")
    assert document.status == "pending_approval" and document.pdf is None
    assert document.hold_id is None
    assert client.get(f"/verify/{document.verification_code}").status_code == 404
    sign_in(world.staff["supervisor"])
    queue = client.get("/documents/approvals").get_data(as_text=True)
    assert document.number in queue
    response = client.post(f"/documents/{document.id}/approve")
    assert response.status_code == 302
    issued = latest_document(app)
    assert issued.status == "issued" and issued.pdf and issued.hold_id
    assert client.get(f"/verify/{document.verification_code}").status_code == 200


def test_two_tiers_need_two_different_supervisors(app, client, world, sign_in):
    with app.app_context():
        db.session.get(Account, account_of(world.customers[0].id).id).balance = Decimal("9000")
        db.session.commit()
        second = make_staff("supervisor2", Role.SUPERVISOR, world.branches["BJ01"])
    document = _request_large(app, client, world, sign_in, "8000.00")
    assert document.approvals_needed == 2
    sign_in(world.staff["supervisor"])
    client.post(f"/documents/{document.id}/approve")
    assert latest_document(app).status == "pending_approval"
    again = client.post(f"/documents/{document.id}/approve")
    assert again.status_code == 409
    client.post("/auth/logout")
    sign_in(second)
    client.post(f"/documents/{document.id}/approve")
    assert latest_document(app).status == "issued"


def test_supervisor_cannot_approve_their_own_request(app, client, world, sign_in):
    app.config["DOCUMENTS_APPROVAL_TIERS"] = TIERS
    sign_in(world.staff["supervisor"])
    customer = world.customers[0]
    client.post(f"/customers/{customer.id}/reason",
                data={"reason_code": "customer_request", "reason_text": "Video call 42 today"})
    with app.app_context():
        account_id = account_of(customer.id).id
    issue(client, customer.id, type="deposit_certificate", language="en",
          account_id=account_id, amount="2000.00")
    document = latest_document(app)
    assert document.status == "pending_approval"
    response = client.post(f"/documents/{document.id}/approve")
    assert response.status_code == 403
    assert latest_document(app).status == "pending_approval"


def test_refusal_needs_a_reason_and_ends_the_request(app, client, world, sign_in):
    document = _request_large(app, client, world, sign_in, "2000.00")
    sign_in(world.staff["supervisor"])
    assert client.post(f"/documents/{document.id}/reject", data={"reason": ""}).status_code == 422
    client.post(f"/documents/{document.id}/reject", data={"reason": "Balance looks unusual"})
    refused = latest_document(app)
    assert refused.status == "rejected" and refused.pdf is None
    assert client.post(f"/documents/{document.id}/approve").status_code == 409


def test_only_supervisors_approve_or_revoke(app, client, world, sign_in):
    document = _request_large(app, client, world, sign_in, "2000.00")
    sign_in(world.staff["manager"])
    assert client.post(f"/documents/{document.id}/approve").status_code == 403
    assert client.post(f"/documents/{document.id}/revoke",
                       data={"reason": "not allowed"}).status_code == 403
    assert client.get("/documents/approvals").status_code == 403


def test_a_request_whose_validity_has_ended_cannot_be_approved(app, client, world, sign_in):
    from datetime import timedelta

    from workstation.documents.models import Document
    from workstation.types import utcnow

    document = _request_large(app, client, world, sign_in, "2000.00")
    with app.app_context():
        db.session.get(Document, document.id).valid_until = utcnow() - timedelta(minutes=1)
        db.session.commit()
    sign_in(world.staff["supervisor"])
    refused = client.post(f"/documents/{document.id}/approve")
    assert refused.status_code == 409 and "request a new one" in refused.get_data(as_text=True)
    with app.app_context():
        row = db.session.get(Document, document.id)
        assert (row.status, row.hold_id, row.pdf) == ("pending_approval", None, None)
