"""Fee invoices: lines, tax lines from settings, totals, in each language."""

from __future__ import annotations

import json
import shutil
import subprocess

from tests.documents.conftest import issue, latest_document, pdf_pages_text, squeeze


def test_invoice_lists_services_and_tax_from_settings(app, client, world, sign_in):
    app.config["DOCUMENTS_TAX_LINES"] = [
        {"rate": "0.06", "label": {"en": "VAT 6%", "es": "IVA 6%", "zh": "增值税 6%"}},
        {"rate": "0.01", "label": {"en": "Stamp duty 1%", "es": "Timbre 1%", "zh": "印花税 1%"}},
    ]
    sign_in(world.staff["manager"])
    response = issue(client, world.customers[0].id, type="fee_invoice", language="en",
                     qty_certificate="2", qty_card_replacement="1")
    assert response.status_code == 302
    document = latest_document(app)
    content = json.loads(document.content)
    assert content["net"] == "55.00"
    assert [t["amount"] for t in content["taxes"]] == ["3.30", "0.55"]
    assert content["gross"] == "58.85"
    text = squeeze(pdf_pages_text(document.pdf)[0])
    for expected in ("Fee Invoice", "Deposit certificate fee", "Card replacement", "VAT 6%",
                     "Stamp duty 1%", "55.00 CNY", "58.85 CNY", "Total due"):
        assert squeeze(expected) in text


def test_invoice_in_chinese_and_spanish(app, client, world, sign_in, artifacts_dir):
    sign_in(world.staff["manager"])
    for language, words in (("zh", ("服务费发票", "增值税 6%", "价税合计")),
                            ("es", ("Factura de Comisiones", "IVA 6%", "Total a pagar"))):
        issue(client, world.customers[0].id, type="fee_invoice", language=language,
              qty_urgent_delivery="1")
        document = latest_document(app)
        text = squeeze(pdf_pages_text(document.pdf)[0])
        for word in words:
            assert squeeze(word) in text
        assert "31.80" in text
        path = artifacts_dir / f"invoice-{language}.pdf"
        path.write_bytes(document.pdf)
        assert shutil.which("pdftoppm")
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(path.with_suffix(""))],
                       check=True, timeout=60)


def test_invoice_needs_at_least_one_service(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    response = issue(client, world.customers[0].id, type="fee_invoice", language="en")
    assert response.status_code == 422
    assert "at least one chargeable service" in response.get_data(as_text=True)
    response = issue(client, world.customers[0].id, type="fee_invoice", language="en",
                     qty_certificate="abc")
    assert response.status_code == 422
    assert latest_document(app) is None
