"""Statements: every transaction, running balance, "page x of y", PNG pages for review."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

from tests.documents.conftest import (
    account_of,
    add_history,
    issue,
    latest_document,
    pdf_pages_text,
    squeeze,
)
from workstation.extensions import db
from workstation.types import utcnow

PAGE_FORMS = {
    "en": "Page {x} of {y}",
    "es": "Página {x} de {y}",
    "zh": "第 {x} 页，共 {y} 页",
}


def _statement(app, client, world, sign_in, language, count):
    sign_in(world.staff["manager"])
    customer = world.customers[1]
    with app.app_context():
        account = account_of(customer.id)
        account_id = account.id
        closing = add_history(account_id, count, account.balance, days=60)
    start = (utcnow() - timedelta(days=90)).date().isoformat()
    response = issue(client, customer.id, type="statement", language=language,
                     account_id=account_id, start=start)
    assert response.status_code == 302
    return latest_document(app), closing


def test_long_statement_numbers_every_page_x_of_y(app, client, world, sign_in, artifacts_dir):
    document, closing = _statement(app, client, world, sign_in, "en", 320)
    pages = pdf_pages_text(document.pdf)
    total = len(pages)
    assert total >= 6
    for index, text in enumerate(pages, start=1):
        assert squeeze(PAGE_FORMS["en"].format(x=index, y=total)) in squeeze(text)
        assert document.number in text
    everything = "\n".join(pages)
    payments = re.findall(r"Payment (\d{4})", everything)
    assert sorted(set(payments)) == [f"{n:04d}" for n in range(1, 321)]
    assert f"Closing balance {closing:,.2f}" in everything
    _save_pngs(document, artifacts_dir, "statement-en")


def test_statement_pages_in_spanish_and_chinese(app, client, world, sign_in, artifacts_dir):
    for language in ("es", "zh"):
        document, _closing = _statement(app, client, world, sign_in, language, 120)
        pages = pdf_pages_text(document.pdf)
        assert len(pages) >= 2
        for index, text in enumerate(pages, start=1):
            expected = PAGE_FORMS[language].format(x=index, y=len(pages))
            assert squeeze(expected) in squeeze(text)
        _save_pngs(document, artifacts_dir, f"statement-{language}")
        client.post("/auth/logout")


def test_running_balance_adds_up(app, client, world, sign_in):
    document, closing = _statement(app, client, world, sign_in, "en", 12)
    import json

    content = json.loads(document.content)
    opening = Decimal(content["opening"])
    moved = sum(Decimal(r["credit"] or 0) - Decimal(r["debit"] or 0) for r in content["rows"])
    assert opening + moved == Decimal(content["closing"]) == closing
    assert content["rows"][-1]["balance"] == str(closing)


def test_empty_period_and_reversed_period(app, client, world, sign_in):
    sign_in(world.staff["manager"])
    customer = world.customers[1]
    with app.app_context():
        account_id = account_of(customer.id).id
        db.session.commit()
    response = issue(client, customer.id, type="statement", language="en",
                     account_id=account_id, start="2020-01-01", end="2020-01-31")
    assert response.status_code == 302
    text = pdf_pages_text(latest_document(app).pdf)[0]
    assert "No transactions in this period." in text and "Page 1 of 1" in text
    response = issue(client, customer.id, type="statement", language="en",
                     account_id=account_id, start="2020-02-01", end="2020-01-01")
    assert response.status_code == 422


def _save_pngs(document, artifacts_dir, name):
    """Render the pages to PNG with poppler so that a person can look at them."""
    pdf_path = artifacts_dir / f"{name}.pdf"
    pdf_path.write_bytes(document.pdf)
    assert shutil.which("pdftoppm"), "poppler-utils (pdftoppm) must be installed"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf_path), str(artifacts_dir / name)],
                   check=True, timeout=120)
    assert list(artifacts_dir.glob(f"{name}-*.png"))
