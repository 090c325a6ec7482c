"""In Chromium: a manager issues a certificate from the profile, opens the print view, and the
public verify page answers; no CSP violation, no console error, no full ID or card number."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import PageWatch, new_watched_page, sign_in
from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def test_issue_print_and_verify_in_the_browser(live_server, browser, screenshots):
    watch = PageWatch(live_server.base_url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = new_watched_page(context, watch)
    demo = live_server.demo
    sign_in(page, live_server.base_url, "manager1", DEMO_PASSWORD,
            demo.accounts["manager1"].next_code)
    customer = demo.portfolio_customer
    page.goto(f"{live_server.base_url}/customers/{customer['id']}")
    page.get_by_test_id("profile-links").get_by_role("link", name="Documents").click()
    expect(page).to_have_url(re.compile(rf"/customers/{customer['id']}/documents$"))
    page.get_by_test_id("document-kinds").get_by_role("link", name="Balance Certificate").click()
    page.get_by_label("Language of the document").select_option("es")
    page.get_by_label("Account").select_option(index=1)
    page.screenshot(path=str(screenshots / "documents-issue-form.png"), full_page=True)
    page.get_by_role("button", name="Issue").click()
    expect(page.get_by_test_id("document-status")).to_contain_text("issued")
    number = page.get_by_test_id("document-number").inner_text().split(" ")[0]
    page.screenshot(path=str(screenshots / "documents-issued.png"), full_page=True)
    watch.remember_dom(page)

    page.get_by_test_id("print-view").click()
    expect(page.get_by_test_id("doc-number")).to_contain_text(number)
    expect(page.locator("h1")).to_have_text("Certificado de Saldo")
    expect(page.get_by_test_id("print-button")).to_be_visible()
    page.screenshot(path=str(screenshots / "documents-print-view.png"), full_page=True)
    watch.remember_dom(page)
    code = page.locator("td.code").inner_text()

    public = browser.new_context()
    visitor = new_watched_page(public, watch)
    visitor.goto(f"{live_server.base_url}/verify/{code}")
    expect(visitor.get_by_test_id("verdict")).to_contain_text("Valid")
    expect(visitor.get_by_test_id("essentials")).to_contain_text(number)
    visitor.screenshot(path=str(screenshots / "documents-verify.png"), full_page=True)
    watch.remember_dom(visitor)

    watch.assert_clean()
    assert watch.full_numbers_shown(demo.id_numbers | demo.card_numbers) == []
    public.close()
    context.close()
