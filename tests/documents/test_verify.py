"""The public verify page: valid, revoked, expired and unknown codes; masked essentials only."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.documents.conftest import account_of, issue, latest_document
from workstation.core import core_banking
from workstation.documents.lifecycle import expire_due_documents
from workstation.documents.models import Document
from workstation.documents.printing import format_code
from workstation.extensions import db
from workstation.jobs import jobs_of
from workstation.models import Hold


def _issue_certificate(app, client, world, sign_in, kind="balance_certificate", **extra):
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    with app.app_context():
        account_id = account_of(customer.id).id
    issue(client, customer.id, type=kind, language="zh", account_id=account_id, **extra)
    client.post("/auth/logout")
    return latest_document(app)


def test_valid_document_shows_masked_essentials_only(app, client, world, sign_in):
    document = _issue_certificate(app, client, world, sign_in)
    customer = world.customers[0]
    response = client.get(f"/verify/{format_code(document.verification_code)}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-testid="verdict"' in page and "Valid:" in page
    assert document.number in page and "12,345.67 CNY" in page
    assert "Wang F•••" in page and customer.id_number[-4:] in page
    for private in ("Wang Fang", customer.id_number, customer.phone, customer.customer_no,
                    "Beijing Xidan"):
        assert private not in page


def test_codes_are_accepted_typed_loosely(app, client, world, sign_in):
    document = _issue_certificate(app, client, world, sign_in)
    loose = document.verification_code.lower()
    response = client.get(f"/verify/?code={loose}")
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200


def test_revoked_document_says_revoked(app, client, world, sign_in):
    document = _issue_certificate(app, client, world, sign_in)
    sign_in(world.staff["supervisor"])
    client.post(f"/documents/{document.id}/revoke", data={"reason": "Issued to the wrong branch"})
    client.post("/auth/logout")
    page = client.get(f"/verify/{document.verification_code}").get_data(as_text=True)
    assert "Revoked:" in page and "Valid:" not in page
    assert "wrong branch" not in page


def test_expired_document_says_expired_and_expiry_releases_the_hold(app, client, world, sign_in):
    document = _issue_certificate(app, client, world, sign_in, kind="deposit_certificate",
                                  amount="500.00", validity_days="1")
    ended = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)
    with app.app_context():
        assert expire_due_documents(core_banking()) == 0
        row = db.session.get(Document, document.id)
        row.valid_until = ended
        db.session.commit()
    page = client.get(f"/verify/{document.verification_code}").get_data(as_text=True)
    assert "Expired:" in page  # already past its end, before the job ran
    # the public reader sees the end in the bank's time zone (Asia/Shanghai), not in UTC
    assert "since 2026-03-02 00:30 CST" in page and "16:30" not in page
    runner = app.test_cli_runner()
    result = runner.invoke(args=["documents", "expire"])
    assert "1 document(s) expired" in result.output
    assert "0 document(s) expired" in runner.invoke(args=["documents", "expire"]).output
    with app.app_context():
        assert db.session.get(Document, document.id).status == "expired"
        assert db.session.get(Hold, document.hold_id).released_at is not None
    page = client.get(f"/verify/{document.verification_code}").get_data(as_text=True)
    assert "Expired:" in page


def test_unknown_code_is_not_found(client, world):
    response = client.get("/verify/ABCD-EFGH-JKMN-PQRS")
    assert response.status_code == 404
    assert "No document carries this verification code" in response.get_data(as_text=True)


def test_pending_document_does_not_verify(app, client, world, sign_in):
    document = _issue_certificate(app, client, world, sign_in, kind="deposit_certificate",
                                  amount="1000.00")
    with app.app_context():
        row = db.session.get(Document, document.id)
        row.status = "pending_approval"
        db.session.commit()
    assert client.get(f"/verify/{document.verification_code}").status_code == 404


def test_the_expiry_job_frees_the_frozen_amount_when_the_certificate_ends(app, client, world,
                                                                         sign_in):
    """Each serving process runs the expiry round every few minutes: nobody has to remember
    the command for the customer's money to be free again."""
    document = _issue_certificate(app, client, world, sign_in, kind="deposit_certificate",
                                  amount="500.00", validity_days="1")
    expiry = jobs_of(app)["certificate expiry"]
    with app.app_context():
        available = core_banking().accounts_of(world.customers[0].id)[0].available
        assert expiry.run() == 0
        db.session.get(Document, document.id).valid_until = datetime(2026, 3, 1, tzinfo=UTC)
        db.session.commit()
        assert expiry.run() == 1
        assert db.session.get(Document, document.id).status == "expired"
        freed = core_banking().accounts_of(world.customers[0].id)[0].available
    assert freed == available + 500
