"""Signing material: configured files, a demo certificate made once, refusal without either."""

from __future__ import annotations

import stat

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from tests.documents.conftest import account_of, issue, latest_document
from workstation.documents.signing import signing_material
from workstation.extensions import db
from workstation.models import Hold


def test_demo_mode_makes_one_self_signed_p256_certificate(tmp_path):
    config = {"DEMO_MODE": True, "BANK_NAME": "Cloud Outlet Bank"}
    first = signing_material(config, str(tmp_path))
    second = signing_material(config, str(tmp_path))
    assert first == second
    key_mode = stat.S_IMODE((tmp_path / "documents_signing_key.pem").stat().st_mode)
    assert key_mode == 0o600
    cert = x509.load_pem_x509_certificate((tmp_path / "documents_signing_cert.pem").read_bytes())
    assert isinstance(cert.public_key().curve, ec.SECP256R1)
    assert cert.issuer == cert.subject and "Cloud Outlet Bank" in cert.subject.rfc4514_string()


def test_without_a_certificate_outside_demo_mode_nothing_is_issued(app, client, world, sign_in):
    app.config.update(SIGNING_KEY_PATH=None, SIGNING_CERT_PATH=None, DEMO_MODE=False)
    sign_in(world.staff["manager"])
    customer = world.customers[0]
    with app.app_context():
        account_id = account_of(customer.id).id
    response = issue(client, customer.id, type="deposit_certificate", language="en",
                     account_id=account_id, amount="100.00")
    assert response.status_code == 409
    assert "No document signing certificate is configured" in response.get_data(as_text=True)
    assert latest_document(app) is None
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Hold.id))) == 0


def test_a_missing_configured_file_is_refused(app, client, world, sign_in, tmp_path):
    app.config.update(SIGNING_KEY_PATH=str(tmp_path / "nope.pem"),
                      SIGNING_CERT_PATH=str(tmp_path / "nope.crt"))
    sign_in(world.staff["manager"])
    response = issue(client, world.customers[0].id, type="fee_invoice", language="en",
                     qty_certificate="1")
    assert response.status_code == 409
    assert latest_document(app) is None
